"""``outreach import [KIND] PATH``: what reps already have, in one go.

With no kind, the path is told by its contents (a folder: its own files, one level deep,
each listed with what it is and what it added). A kind word (``linkedin``, ``sms``,
``contacts``, ``calls``, ``email``, ``calendar``, ``whatsapp``) imports only that and
refuses a file of another kind. Each file imports in one transaction; a malformed file is
one line on stderr naming the file and line, exit 2, nothing written. A progress bar
shows on a terminal only.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from tracker.cli.common import Invocation, pass_invocation
from tracker.errors import UsageError
from tracker.models import CONTACT_MAP_FIELDS
from tracker.text import safe

AUTO = "auto"
"""The hidden command a bare ``outreach import PATH`` runs."""


class ImportGroup(click.Group):
    """``import KIND PATH`` or ``import PATH``: anything that is not a kind word is a path
    (or an option) for the command that tells the kind by itself."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = [AUTO, *args]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "[KIND] PATH [OPTIONS]")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The options of ``import PATH`` (every kind's command lists its own), then the
        kind words."""
        params = [p for p in self.commands[AUTO].get_params(ctx) if isinstance(p, click.Option)]
        records = [r for p in params if (r := p.get_help_record(ctx))]
        with formatter.section("Options"):
            formatter.write_dl(records)
        with formatter.section("Kinds"):
            formatter.write_dl(
                [
                    (name, command.get_short_help_str(formatter.width - 16))
                    for name, command in sorted(self.commands.items())
                    if not command.hidden
                ]
            )


dry_run_option = click.option(
    "--dry-run", is_flag=True, help="Report what would change and write nothing."
)
create_option = click.option(
    "--create-contacts",
    is_flag=True,
    help="Make a contact for each person that matches none (named from the file).",
)
me_option = click.option(
    "--me",
    "me_values",
    multiple=True,
    metavar="VALUE",
    help="Who you are: your email address, phone number, LinkedIn profile URL or name as "
    "chats show it (told apart by form; repeatable). Remembered in config.toml [me].",
)
map_option = click.option(
    "--map",
    "column_map",
    multiple=True,
    metavar="COLUMN=FIELD",
    help=f"Contacts CSV: read COLUMN as FIELD ({', '.join(CONTACT_MAP_FIELDS)}). Repeatable.",
)
path_argument = click.argument("path", type=click.Path(exists=True))


class _Bars:
    """A progress bar on stderr per file when it is a terminal; nothing when piped."""

    def __init__(self) -> None:
        self.on = sys.stderr.isatty()
        self.label = "importing"
        self.bar: Any = None
        self.done = 0

    def start(self, label: str) -> None:
        self.close()
        self.label = label

    def update(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=max(total, 1), label=self.label, file=sys.stderr)
            self.bar.__enter__()
            self.done = 0
        self.bar.length = max(total, 1)
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr when it is a terminal; nothing when piped."""
    bars = _Bars()
    if not bars.on:
        yield None
        return
    bars.start(label)
    try:
        yield bars.update
    finally:
        bars.close()


def _run(invocation: Invocation, path: str, kind: str | None, **options: Any) -> None:
    from tracker.importers import ImportOptions, plan_import, run_plan
    from tracker.importers.contacts_csv import parse_map

    column_map = options.pop("column_map", ())
    options["column_map"] = parse_map(column_map) if column_map else ()
    tracker = invocation.tracker
    plan = plan_import(path, kind)
    bars = _Bars()
    try:
        result = run_plan(
            tracker,
            plan,
            ImportOptions(**options),
            bars.update if bars.on else None,
            on_unit=lambda unit: bars.start(f"importing {click.format_filename(unit.path)}"),
        )
    finally:
        bars.close()
    listing = result.listing()
    for line in listing:
        click.echo(safe(line))
    for summary in result.summaries:
        if listing:
            click.echo("")
        for line in summary.lines():
            click.echo(safe(line))
    if result.refused:
        names = ", ".join(r.unit.path.name for r in result.refused)
        raise UsageError(f"{plan.path}: refused, nothing of it written: {names}")


@click.group(name="import", cls=ImportGroup)
def import_group() -> None:
    """Import what you already have: `outreach import PATH` tells a file by its contents
    (a LinkedIn export, an SMS backup or call log, iMessage text, contacts, an mbox or
    .eml files, an .ics calendar, a WhatsApp chat); a folder is read one level deep.
    A kind word first (`outreach import sms PATH`) imports only that kind.

    Importing the same file again adds nothing; a malformed file changes nothing.
    """


@import_group.command(name=AUTO, hidden=True)
@path_argument
@me_option
@create_option
@map_option
@dry_run_option
@pass_invocation
def auto(
    invocation: Invocation,
    path: str,
    me_values: tuple[str, ...],
    create_contacts: bool,
    column_map: tuple[str, ...],
    dry_run: bool,
) -> None:
    """Any file or folder, told by its contents."""
    _run(
        invocation,
        path,
        None,
        me_values=me_values,
        create_contacts=create_contacts,
        column_map=column_map,
        dry_run=dry_run,
    )


@import_group.command()
@path_argument
@me_option
@create_option
@dry_run_option
@pass_invocation
def linkedin(
    invocation: Invocation,
    path: str,
    me_values: tuple[str, ...],
    create_contacts: bool,
    dry_run: bool,
) -> None:
    """LinkedIn's data export: its zip, its folder, or Connections.csv, Invitations.csv,
    messages.csv one by one. Connections become contacts; invitations and messages become
    touches (--create-contacts also adds people you only messaged; --me URL says which
    profile is yours when the export cannot tell)."""
    _run(
        invocation,
        path,
        "linkedin",
        me_values=me_values,
        create_contacts=create_contacts,
        dry_run=dry_run,
    )


def _touch_command(kind: str, doc: str) -> click.Command:
    """A command for a kind whose files become touches (texts, calls, mail, meetings,
    chats): path, --me, --create-contacts, --dry-run."""

    @path_argument
    @me_option
    @create_option
    @dry_run_option
    @pass_invocation
    def command(
        invocation: Invocation,
        path: str,
        me_values: tuple[str, ...],
        create_contacts: bool,
        dry_run: bool,
    ) -> None:
        _run(
            invocation,
            path,
            kind,
            me_values=me_values,
            create_contacts=create_contacts,
            dry_run=dry_run,
        )

    command.__doc__ = doc
    return click.command(name=kind)(command)


import_group.add_command(
    _touch_command(
        "sms",
        """An Android "SMS Backup & Restore" XML file, or imessage-exporter .txt output (a
    file or a folder). Texts match contacts by phone number; others are skipped and
    counted unless --create-contacts.""",
    )
)
import_group.add_command(
    _touch_command(
        "calls",
        """An Android call log (SMS Backup & Restore calls-*.xml): each call a touch, with
    its direction and status (connected, no answer, voicemail).""",
    )
)
import_group.add_command(
    _touch_command(
        "email",
        """An mbox (Gmail Takeout, Thunderbird, Apple Mail's export folder) or .eml files:
    your mail is one touch per contact among To and Cc, theirs one from the sender; lists,
    bulk mail, spam and mail to many are skipped. Needs your address (--me).""",
    )
)
import_group.add_command(
    _touch_command(
        "calendar",
        """An .ics calendar (or Google's zip of them): each meeting with a contact a touch
    at its start; a future one is a scheduled meeting that holds back their nudges.""",
    )
)
import_group.add_command(
    _touch_command(
        "whatsapp",
        """A WhatsApp chat export (.txt, or the .zip the app shares): messages become
    WhatsApp touches; a group chat, group touches. Your name in chats: --me "Your Name".""",
    )
)


@import_group.command()
@path_argument
@map_option
@dry_run_option
@pass_invocation
def contacts(invocation: Invocation, path: str, column_map: tuple[str, ...], dry_run: bool) -> None:
    """vCard (2.1, 3.0, 4.0) or CSV: our own `export contacts` (every field back), Google
    Contacts, Outlook, HubSpot or Close; any other CSV with --map. Existing contacts only
    get their empty fields filled, and an opt-out is never cleared."""
    _run(invocation, path, "contacts", column_map=column_map, dry_run=dry_run)


COMMANDS = [import_group]
