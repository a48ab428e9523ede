"""Identity commands: likely duplicates, and merging two contacts into one."""

from __future__ import annotations

import click

from tracker.cli.common import Invocation, pass_invocation, pass_reader
from tracker.cli.render import dumps, table


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@pass_reader
def duplicates(invocation: Invocation, fmt: str) -> None:
    """List contacts that may be one person, each pair with the reason: the same name
    where one has no company, the same phone (held by one, in the other's notes) with
    different names, the same name and company with different LinkedIn URLs or emails.
    Merge a pair with: outreach merge KEEP OTHER."""
    found = invocation.tracker.duplicates()
    if fmt == "json":
        click.echo(dumps([d.record() for d in found]))
        return
    if not found:
        click.echo("No likely duplicates.")
        return
    rows = [(f"{d.ids[0]}, {d.ids[1]}", " / ".join(d.names), d.reason) for d in found]
    click.echo(table(("IDS", "NAMES", "REASON"), rows))


@click.command()
@click.argument("keep")
@click.argument("other")
@click.option("--dry-run", is_flag=True, help="Say what would move; change nothing.")
@pass_invocation
def merge(invocation: Invocation, keep: str, other: str, dry_run: bool) -> None:
    """Merge OTHER into KEEP (each a CONTACT: id, name, phone, email or URL).

    Every touch (invitations too), follow-up, snooze, tag, phone, email and note of OTHER
    moves to KEEP, KEEP's empty fields are filled from OTHER, and OTHER is deleted; the
    review is recomputed at once. No prompt: use --dry-run to look first."""
    tracker = invocation.tracker
    kept, gone = invocation.resolve(keep), invocation.resolve(other)
    result = tracker.merge(kept, gone, dry_run=dry_run)
    for line in result.lines():
        click.echo(line)


COMMANDS = [duplicates, merge]
