"""The message coach from the command line: draft from a template, check a draft, and
list the templates."""

from __future__ import annotations

import sys

import click

from tracker.cli.common import Invocation, at_option, pass_invocation, pass_reader
from tracker.cli.render import dumps
from tracker.coach.findings import CheckResult
from tracker.coach.suggestions import blocked_reasons
from tracker.errors import BlockedError, UsageError
from tracker.models import Channel
from tracker.service import parse_channel, parse_moment
from tracker.text import safe
from tracker.words import MESSAGE_WORDS, plural

COACHED = ("sms", "linkedin_invite", "linkedin_message", "email", "whatsapp")
channel_option = click.option(
    "--channel", required=True, type=click.Choice(COACHED), help="What you are writing."
)


def _fields(pairs: tuple[str, ...]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip().isidentifier():
            raise UsageError(f"--field takes NAME=VALUE, not {pair!r}")
        values[key.strip()] = value
    return values


@click.command()
@click.argument("contact")
@channel_option
@click.option("--template", "template_name", metavar="NAME", help="Template to use.")
@click.option("--moment", metavar="M", help="Why now, to pick a note template.")
@click.option(
    "--field",
    "fields",
    multiple=True,
    metavar="NAME=VALUE",
    help="Fill a template field, e.g. --field event='SaaStr Europa' (repeatable).",
)
@at_option
@pass_reader
def draft(
    invocation: Invocation,
    contact: str,
    channel: str,
    template_name: str | None,
    moment: str | None,
    fields: tuple[str, ...],
    at: str | None,
) -> None:
    """Print a draft for CONTACT (the text alone on stdout; notes on stderr).

    The coach picks a template that fits and whose fields it can fill; when none can
    be filled it says which --field to give (exit 2). A message the coach blocks for
    this contact (opted out, already connected...) is not drafted (exit 1).
    """
    from tracker.coach.templates import UnfillableError

    parsed_channel = parse_channel(channel)
    parsed_moment = parse_moment(moment) if moment else None
    extra = _fields(fields)
    when = invocation.when(at)
    found = invocation.resolve(contact)
    tracker = invocation.tracker
    before = tracker.check(found, parsed_channel, "", when)
    if before.blocked:
        raise BlockedError(
            f"no {MESSAGE_WORDS[parsed_channel]} for {found.name}: {blocked_reasons(before)}"
        )
    try:
        text, template, _ = tracker.draft(
            found, parsed_channel, template_name, parsed_moment, extra, as_of=when, strict=True
        )
    except UnfillableError as exc:
        raise UsageError(f"{exc}: {_give(exc.missing)}") from None
    click.echo(safe(text))
    click.echo(f"template: {template.name}", err=True)
    result = tracker.check(found, parsed_channel, text, when)
    for finding in result.findings:
        click.echo(f"{finding.severity.value}: {safe(finding.reason, single_line=True)}", err=True)
    if result.blocked:
        sys.exit(1)


def _give(missing: tuple[str, ...]) -> str:
    """How to give the fields a draft lacks, on the command line."""
    flags = " ".join(f"--field {name}=VALUE" for name in missing)
    said = f"give {'it' if len(missing) == 1 else 'them'} with {flags}"
    if any(name in ("my_name", "my_first_name") for name in missing):
        said += ' (or set your name once: outreach settings set my_name "First Last")'
    return said


def format_findings(result: CheckResult, text: str) -> str:
    c = result.counters
    counted = f"{plural(c.characters, 'character')}, {plural(c.words, 'word')}"
    if c.segments is not None:
        counted += f", {c.encoding}, {plural(c.segments, 'segment')}"
    lines = [counted]
    if not result.findings:
        lines.append("ok: no findings")
    for finding in result.findings:
        where = ""
        if finding.span:
            start, end = finding.span
            where = f"  “{safe(text[start:end], single_line=True, limit=30)}”"
        reason = safe(finding.reason, single_line=True)
        lines.append(f"{finding.severity.value:<5} {reason}{where}")
    return "\n".join(lines)


@click.command()
@click.argument("contact")
@channel_option
@click.argument("text", required=False)
@at_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@pass_reader
def check(
    invocation: Invocation, contact: str, channel: str, text: str | None, at: str | None, fmt: str
) -> None:
    """Check TEXT (or stdin) as a message to CONTACT. Exits 1 when anything blocks."""
    if text is None:
        if sys.stdin.isatty():
            raise UsageError("give the TEXT to check, or pipe it on stdin")
        text = sys.stdin.read().rstrip("\n")
    when = invocation.when(at)
    found = invocation.resolve(contact)
    result = invocation.tracker.check(found, Channel(channel), text, when)
    if fmt == "json":
        click.echo(dumps(result.as_dict()))
    else:
        click.echo(format_findings(result, text))
    if result.blocked:
        sys.exit(1)


@click.command()
@pass_invocation
def templates(invocation: Invocation) -> None:
    """List message templates (built-in and your own templates.toml)."""
    from tracker.coach.templates import load_templates, templates_path

    found = load_templates()
    for template in sorted(found.values(), key=lambda t: (t.channel.value, t.name)):
        origin = "" if template.builtin else " (yours)"
        moment = template.moment.value if template.moment else "any moment"
        fields = ", ".join(template.fields)
        click.echo(
            f"{template.name:<28} {template.channel.value:<17} {moment:<23} {fields}{origin}"
        )
    click.echo(f"\nyour templates: {templates_path()}", err=True)


COMMANDS = [draft, check, templates]
