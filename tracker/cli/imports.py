"""``outreach import linkedin|sms|contacts PATH``: what reps already have, in one go.

Each path imports in one transaction; a malformed file is one line on stderr naming the
file and line, exit 2, nothing written. A progress bar shows on a terminal only.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from tracker.cli.common import Invocation, pass_invocation
from tracker.models import CONTACT_MAP_FIELDS
from tracker.text import safe

dry_run_option = click.option(
    "--dry-run", is_flag=True, help="Report what would change and write nothing."
)
create_option = click.option(
    "--create-contacts",
    is_flag=True,
    help="Make a contact for each person that matches none (named from the file).",
)


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr when it is a terminal; nothing when piped."""
    if not sys.stderr.isatty():
        yield None
        return
    bar: Any = None
    done_so_far = 0

    def update(done: int, total: int) -> None:
        nonlocal bar, done_so_far
        if bar is None:
            bar = click.progressbar(length=max(total, 1), label=label, file=sys.stderr)
            bar.__enter__()
        bar.length = max(total, 1)
        bar.update(done - done_so_far)
        done_so_far = done

    try:
        yield update
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def _run(invocation: Invocation, path: str, kind: str, **options: Any) -> None:
    from tracker.importers import ImportOptions, run_import

    tracker = invocation.tracker
    with _progress(f"importing {click.format_filename(path)}") as progress:
        summary = run_import(tracker, path, kind, ImportOptions(**options), progress)
    for line in summary.lines():
        click.echo(safe(line))


@click.group(name="import")
def import_group() -> None:
    """Import a LinkedIn export, text history or contacts file.

    Importing the same file again adds nothing; a malformed file changes nothing.
    """


@import_group.command()
@click.argument("path", type=click.Path(exists=True))
@click.option("--me", metavar="URL", default="", help="Your own LinkedIn profile URL.")
@create_option
@dry_run_option
@pass_invocation
def linkedin(
    invocation: Invocation, path: str, me: str, create_contacts: bool, dry_run: bool
) -> None:
    """LinkedIn's data export: its zip, its folder, or Connections.csv, Invitations.csv,
    messages.csv one by one. Connections become contacts; invitations and messages become
    touches (--create-contacts also adds people you only messaged)."""
    _run(invocation, path, "linkedin", me=me, create_contacts=create_contacts, dry_run=dry_run)


@import_group.command()
@click.argument("path", type=click.Path(exists=True))
@create_option
@dry_run_option
@pass_invocation
def sms(invocation: Invocation, path: str, create_contacts: bool, dry_run: bool) -> None:
    """An Android "SMS Backup & Restore" XML file, or imessage-exporter .txt output (a
    file or a folder). Texts match contacts by phone number; others are skipped and
    counted unless --create-contacts."""
    _run(invocation, path, "sms", create_contacts=create_contacts, dry_run=dry_run)


@import_group.command()
@click.argument("path", type=click.Path(exists=True))
@click.option(
    "--map",
    "column_map",
    multiple=True,
    metavar="COLUMN=FIELD",
    help=f"Read COLUMN as FIELD ({', '.join(CONTACT_MAP_FIELDS)}). Repeatable.",
)
@dry_run_option
@pass_invocation
def contacts(invocation: Invocation, path: str, column_map: tuple[str, ...], dry_run: bool) -> None:
    """vCard (2.1, 3.0, 4.0) or CSV: our own `export contacts` (every field back), Google
    Contacts, Outlook, HubSpot or Close; any other CSV with --map. Existing contacts only
    get their empty fields filled, and an opt-out is never cleared."""
    from tracker.importers.contacts_csv import parse_map

    _run(invocation, path, "contacts", column_map=parse_map(column_map), dry_run=dry_run)


COMMANDS = [import_group]
