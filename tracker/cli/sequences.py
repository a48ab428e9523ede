"""Sequences from the command line: enroll contacts, unenroll them, pause (a vacation)
and resume, the funnel of every sequence (``outreach sequences``) and a check of
``sequences.toml`` that runs nothing (``outreach sequences check``).

Each command takes one contact or several; with several, a contact it does not apply to
is skipped with the reason and the others are changed. With one, that is an error
(exit 1: the tracker refuses it).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, tzinfo
from typing import Any

import click

from tracker.cli.common import Invocation, pass_invocation
from tracker.cli.render import dumps, table
from tracker.errors import BlockedError, UsageError
from tracker.sequences.plan import Plan, plan_lines, status_words
from tracker.service.batch import Batch
from tracker.text import safe, shown
from tracker.timeutil import now_utc
from tracker.words import long_date


def _ids(invocation: Invocation, refs: Sequence[str]) -> list[int]:
    """Each reference resolved (all before anything is written), once each."""
    return list(dict.fromkeys(invocation.resolve(ref).id for ref in refs))


def _report(batch: Batch, done: str, single: bool) -> None:
    """One line per contact changed (``done`` with ``{name}``) and per contact skipped;
    with one contact asked for, a skip is a refusal (exit 1)."""
    if single and batch.skipped:
        skip = batch.skipped[0]
        raise BlockedError(f"{skip.contact}: {skip.reason}")
    if not batch.changed and not batch.skipped:
        click.echo("no running sequence")
        return
    for _, name in batch.changed:
        click.echo(done.format(name=shown(name)))
    for skip in batch.skipped:
        click.echo(f"skipped {shown(skip.contact)}: {skip.reason}")
    if not single:
        extra = f", {len(batch.skipped):,} skipped" if batch.skipped else ""
        click.echo(f"{len(batch.changed):,} changed{extra}")


@click.command()
@click.argument("args", nargs=-1, metavar="CONTACT... SEQUENCE")
@click.option("--start", metavar="DATE", help="The day step 1 is due (default: today).")
@click.option(
    "--migrate",
    is_flag=True,
    help="Move contacts running SEQUENCE to the version the file defines now, keeping the "
    "steps they are past (no CONTACT: every one on an older version).",
)
@pass_invocation
def enroll(invocation: Invocation, args: tuple[str, ...], start: str | None, migrate: bool) -> None:
    """Enroll CONTACT (or several) in SEQUENCE: step 1 is due on the start day, each
    later step its delay after the one before. A contact is in one running sequence at
    a time."""
    if not args:
        raise UsageError("give CONTACT... SEQUENCE")
    *refs, name = args
    if not refs and not migrate:
        raise UsageError(f"give one or more contacts before the sequence {name!r}")
    if start is not None and migrate:
        raise UsageError("--start is for a new enrollment, not --migrate")
    tracker = invocation.tracker
    day = invocation.day(start) if start else None
    if refs:
        ids = _ids(invocation, refs)
    else:
        ids = [row["contact_id"] for row in tracker.enrollments_on_older_version(name)]
        if not ids:
            click.echo(f"every enrollment in {name} runs its current version")
            return
    now = now_utc()
    batch = tracker.enroll(ids, name, day, now, migrate)
    if migrate:
        _report(batch, f"{{name}}: moved to the current version of {name}", len(refs) == 1)
        return
    when = long_date(day or tracker.clock(now).today)
    _report(batch, f"{{name}} enrolled in {name}, starting {when}", len(refs) == 1)


@click.command()
@click.argument("contacts", nargs=-1, required=True, metavar="CONTACT...")
@click.option("--reason", default="", help="Why, kept with the enrollment.")
@pass_invocation
def unenroll(invocation: Invocation, contacts: tuple[str, ...], reason: str) -> None:
    """End the running sequence of CONTACT (or of several): it ends as exited, with the
    reason."""
    batch = invocation.tracker.unenroll(_ids(invocation, contacts), reason, now_utc())
    _report(batch, "{name}: sequence ended", len(contacts) == 1)


def _targets(invocation: Invocation, contacts: Sequence[str], everyone: bool) -> list[int] | None:
    if contacts and everyone:
        raise UsageError("give contacts or --all, not both")
    if not contacts and not everyone:
        raise UsageError("give one or more contacts, or --all")
    return None if everyone else _ids(invocation, contacts)


@click.command()
@click.argument("contacts", nargs=-1, metavar="[CONTACT...]")
@click.option("--all", "everyone", is_flag=True, help="Every running sequence (a vacation).")
@click.option("--from", "start", metavar="DATE", help="The first day paused (default: today).")
@click.option("--until", required=True, metavar="DATE", help="Back on this day.")
@pass_invocation
def pause(
    invocation: Invocation,
    contacts: tuple[str, ...],
    everyone: bool,
    start: str | None,
    until: str,
) -> None:
    """Pause the sequence of CONTACT (or of several, or --all) until a date: no step
    shows meanwhile, and the days paused do not count toward a delay or a wait."""
    targets = _targets(invocation, contacts, everyone)
    back = invocation.day(until)
    first = invocation.day(start) if start else None
    batch = invocation.tracker.pause_sequences(targets, back, first, now_utc())
    _report(batch, f"{{name}}: paused until {long_date(back)}", len(contacts) == 1)


@click.command()
@click.argument("contacts", nargs=-1, metavar="[CONTACT...]")
@click.option("--all", "everyone", is_flag=True, help="Every paused sequence.")
@pass_invocation
def resume(invocation: Invocation, contacts: tuple[str, ...], everyone: bool) -> None:
    """End the pause of CONTACT's sequence (or of several, or --all) today, a pause
    after their reply too (on_reply = "pause")."""
    targets = _targets(invocation, contacts, everyone)
    batch = invocation.tracker.resume_sequences(targets, now_utc())
    _report(batch, "{name}: resumed", len(contacts) == 1)


@click.group(invoke_without_command=True)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_context
def sequences(ctx: click.Context, fmt: str) -> None:
    """Every sequence with its funnel (per step: reached, done, skipped, replied after;
    acceptance for invitations) and its enrollments, each skip and end with its reason.
    `sequences check` checks sequences.toml without running anything."""
    if ctx.invoked_subcommand is not None:
        return
    invocation: Invocation = ctx.obj
    tracker = invocation.tracker
    report = tracker.sequence_report(tracker.clock())
    if fmt == "json":
        click.echo(dumps(report))
        return
    click.echo("\n\n".join(_sequence_text(found) for found in report))


@sequences.command()
@pass_invocation
def check(invocation: Invocation) -> None:
    """Check sequences.toml (and [sequences] in config.toml): every key, value and
    template; say which enrollments run an older version. Exit 2 on a mistake."""
    from tracker.sequences.loading import sequences_path

    invocation.settings  # noqa: B018 - config.toml is checked as it loads
    tracker = invocation.tracker
    definitions = tracker.sequence_definitions()
    path = sequences_path()
    mine = [d.name for d in definitions.values() if not d.builtin]
    where = (
        f"{path}: {len(mine)} sequence{'s' * (len(mine) != 1)}"
        if path.exists()
        else (f"{path}: no file (the built-in sequences are in use)")
    )
    click.echo(f"{where}{': ' + ', '.join(mine) if mine else ''}; all OK")
    click.echo(f"sequences: {', '.join(definitions)}")
    for name in definitions:
        older = tracker.enrollments_on_older_version(name)
        if older:
            count = f"{len(older)} running enrollment{'s' * (len(older) != 1)}"
            click.echo(f"{name}: {count} on an older version (enroll --migrate {name} moves them)")


def _sequence_text(found: dict[str, Any]) -> str:
    source = {"built-in": "built-in", "file": "sequences.toml", "removed": "no longer defined"}
    lines = [f"{found['name']} ({source[found['source']]})"]
    if found["description"]:
        lines[0] += f": {found['description']}"
    lines.append(
        f"  {found['enrolled']} enrolled, {found['active']} active ({found['paused']} paused), "
        f"{found['replied']} replied, {found['finished']} finished, {found['exited']} exited"
    )
    rows = []
    for step in found["steps"]:
        accepted = ""
        if "acceptance" in step:
            a = step["acceptance"]
            rate = f" ({round(100 * a['rate'])}%)" if a["rate"] is not None else ""
            decided = a["accepted"] + a["not_accepted"]
            accepted = f"{a['accepted']} of {decided}{rate}" if decided else ""
            if a["waiting"]:
                accepted += f", {a['waiting']} waiting"
        rows.append(
            (
                str(step["step"]),
                step["channel"],
                step["after"],
                str(step["reached"]),
                str(step["done"]),
                str(step["skipped"]),
                str(step["replied_after"]),
                accepted,
                step["title"],
            )
        )
    headers: tuple[str, ...] = ("STEP", "CHANNEL", "AFTER", "REACHED", "DONE", "SKIPPED")
    headers += ("REPLIED AFTER", "ACCEPTED", "TITLE")
    lines += ["  " + line for line in table(headers, rows, limit=140).splitlines()]
    if found["enrollments"]:
        lines.append("  enrollments:")
    for one in found["enrollments"]:
        state = one["status"]
        if one["step"]:
            state += f", step {one['step']}"
        if one["paused_until"]:
            state += f", until {one['paused_until']}"
        older = ", older version" if one["version"] == "older" else ""
        lines.append(f"    {one['contact']} (#{one['contact_id']}): {state}{older}")
        for skip in one["skips"]:
            lines.append(f"      skipped step {skip['step']} ({skip['title']}): {skip['reason']}")
        if one["end"]:
            lines.append(f"      ended {one['end']['status']}: {one['end']['reason']}")
    return "\n".join(safe(line) for line in lines)


def plan_text(plans: Sequence[Plan], today: date, tz: tzinfo) -> str:
    """A contact's sequence for ``outreach show``: the latest enrollment's status and
    its steps (done, next, later), then earlier enrollments in one line each."""
    if not plans:
        return "Sequence: none (outreach enroll CONTACT SEQUENCE)"
    plan, *earlier = plans
    older = "" if plan.current_version else " (an older version: enroll --migrate)"
    lines = [f"Sequence: {plan.sequence}, since {plan.start_on.isoformat()}{older}"]
    lines.append(f"  {status_words(plan, today)}")
    lines += [f"  {line}" for _, line in plan_lines(plan, today, tz)]
    for before in earlier:
        lines.append(
            f"Earlier: {before.sequence} from {before.start_on.isoformat()}, "
            f"{before.progress.status}: {before.progress.end_reason}"
        )
    return "\n".join(safe(line) for line in lines)


def plan_record(plans: Sequence[Plan], today: date, tz: tzinfo) -> dict[str, Any] | None:
    """The contact's latest enrollment as ``show --format json`` gives it."""
    if not plans:
        return None
    plan = plans[0]
    progress = plan.progress
    pending = progress.pending or progress.waiting
    return {
        "name": plan.sequence,
        "status": progress.status,
        "started": plan.start_on.isoformat(),
        "version": "current" if plan.current_version else "older",
        "paused_until": progress.paused_until.isoformat() if progress.paused_until else None,
        "next": None
        if pending is None or not progress.live
        else {
            "step": pending.number,
            "title": pending.title,
            "channel": pending.channel,
            "due": pending.slot_on.isoformat() if pending.slot_on else None,
            "waiting": pending.wait == "waiting",
        },
        "steps": [
            {
                "step": r.number,
                "title": r.title,
                "channel": r.channel,
                "action": r.action,
                "outcome": r.outcome,
                "at": r.at.astimezone(tz).isoformat() if r.at else None,
                "reason": r.reason,
            }
            for r in progress.steps
            if r.outcome is not None
        ],
        "end": None
        if progress.live
        else {
            "status": progress.status,
            "reason": progress.end_reason,
            "at": progress.ended_at.astimezone(tz).isoformat() if progress.ended_at else None,
        },
        "said": status_words(plan, today),
    }


COMMANDS = [enroll, unenroll, pause, resume, sequences]
