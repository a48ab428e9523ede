"""Commands that act on one review item or many: withdraw and ignored (a pending
invitation), snooze and done (an item of a kind). Each takes one CONTACT or several
(each argument one contact: quote a name of several words), or ``--older-than DAYS``:
for withdraw and ignored every pending invitation sent more than DAYS days ago (as
``outreach health`` counts them), for snooze and done the review's items of the kind
(lapsed ones too); each says what it changed and what it skipped.

With one contact they behave as they always have: an error (exit 2) when there is
nothing to act on. With several, a contact the action does not apply to is skipped
with the reason, and the others are changed.
"""

from __future__ import annotations

from collections.abc import Sequence

import click

from tracker.cli.common import MAX_INT, Invocation, at_option, pass_invocation
from tracker.errors import UsageError
from tracker.models import Contact, InviteStatus, Kind
from tracker.service import parse_kind
from tracker.service.batch import Batch
from tracker.text import shown
from tracker.timeutil import now_utc
from tracker.words import ITEM_TITLES, plural

older_than_option = click.option(
    "--older-than",
    "older_than",
    type=click.IntRange(0, MAX_INT),
    metavar="DAYS",
    help="Instead of contacts: every item of the review (lapsed ones too) older than DAYS.",
)
pending_older_than_option = click.option(
    "--older-than",
    "older_than",
    type=click.IntRange(0, MAX_INT),
    metavar="DAYS",
    help="Instead of contacts: every pending invitation sent more than DAYS days ago.",
)
kind_option = click.option(
    "--kind",
    "kind_name",
    metavar="KIND",
    help="The item's kind (then every argument is a contact); needed with --older-than.",
)


def _contacts(invocation: Invocation, refs: Sequence[str]) -> list[Contact]:
    """Each reference resolved (all of them before anything is written), once each."""
    found: dict[int, Contact] = {}
    for ref in refs:
        contact = invocation.resolve(ref)
        found.setdefault(contact.id, contact)
    return list(found.values())


def _kind_and_contacts(
    args: Sequence[str], kind_name: str | None, older_than: int | None
) -> tuple[Kind, list[str]]:
    """The KIND (``--kind``, else the last argument) and the contact references."""
    refs = list(args)
    if kind_name is None:
        if not refs:
            raise UsageError("give CONTACT... KIND, or --older-than DAYS --kind KIND")
        kind_name = refs.pop()
    kind = parse_kind(kind_name)
    if older_than is None and not refs:
        raise UsageError(f"give one or more contacts before the kind {kind.value!r}")
    if older_than is not None and refs:
        raise UsageError("give contacts or --older-than, not both")
    return kind, refs


def _report(batch: Batch, changed_line: str, summary: str) -> None:
    """One line per contact changed and per contact skipped, then the counts."""
    for _, name in batch.changed:
        click.echo(changed_line.format(name=shown(name)))
    for skip in batch.skipped:
        click.echo(f"skipped {shown(skip.contact)}: {skip.reason}")
    skipped = f", {len(batch.skipped):,} skipped" if batch.skipped else ""
    click.echo(f"{summary}{skipped}")


def _status_command(name: str, status: InviteStatus, verb: str) -> click.Command:
    @click.command(
        name=name,
        help=f"Mark the pending invitation of CONTACT (or of several) {verb}; with "
        f"--older-than DAYS, every pending invitation sent more than DAYS days ago.",
    )
    @click.argument("contacts", nargs=-1, metavar="CONTACT...")
    @pending_older_than_option
    @at_option
    @pass_invocation
    def command(
        invocation: Invocation, contacts: tuple[str, ...], older_than: int | None, at: str | None
    ) -> None:
        if contacts and older_than is not None:
            raise UsageError("give contacts or --older-than, not both")
        if not contacts and older_than is None:
            raise UsageError("give one or more contacts, or --older-than DAYS")
        when = invocation.when(at)
        tracker = invocation.tracker
        if len(contacts) == 1:
            found = invocation.resolve(contacts[0])
            touch = tracker.set_invitation(found, status, when)
            click.echo(f"invitation #{touch.id} to {shown(found.name)} marked {status.value}")
            return
        if older_than is not None:
            ids = tracker.pending_older_than(tracker.clock(), older_than)
            if not ids:
                click.echo(f"no pending invitation older than {plural(older_than, 'day')}")
                return
        else:
            ids = [contact.id for contact in _contacts(invocation, contacts)]
        batch = tracker.mark_invitations(ids, status, when or now_utc())
        summary = f"{plural(batch.count, 'invitation')} marked {status.value}"
        _report(batch, f"invitation to {{name}} marked {status.value}", summary)

    return command


withdraw = _status_command("withdraw", InviteStatus.WITHDRAWN, "withdrawn")
ignored = _status_command("ignored", InviteStatus.IGNORED, "ignored")


@click.command()
@click.argument("args", nargs=-1, metavar="CONTACT... KIND")
@click.option("--until", required=True, metavar="DATE", help="Hide it until this date.")
@kind_option
@older_than_option
@pass_invocation
def snooze(
    invocation: Invocation,
    args: tuple[str, ...],
    until: str,
    kind_name: str | None,
    older_than: int | None,
) -> None:
    """Hide the review item of KIND of CONTACT (or of several) until a date (it returns
    on that date); with --older-than DAYS --kind KIND, every such item older than DAYS."""
    kind, refs = _kind_and_contacts(args, kind_name, older_than)
    day = invocation.day(until)
    today = now_utc().astimezone(invocation.tz).date()
    if day <= today:
        raise UsageError(f"--until must be after today ({today.isoformat()}), not {until!r}")
    tracker = invocation.tracker
    if len(refs) == 1:
        found = invocation.resolve(refs[0])
        tracker.snooze(found, kind, day)
        click.echo(f"{kind.value} for {shown(found.name)} snoozed until {day.isoformat()}")
        return
    targets = _targets(invocation, refs, kind, older_than)
    if not targets:
        click.echo(f"no “{ITEM_TITLES[kind]}” item older than {plural(older_than or 0, 'day')}")
        return
    batch = tracker.snooze_items(targets, day)
    summary = f"{plural(batch.count, 'item')} snoozed until {day.isoformat()}"
    _report(batch, f"{kind.value} for {{name}} snoozed until {day.isoformat()}", summary)


@click.command()
@click.argument("args", nargs=-1, metavar="CONTACT... KIND")
@kind_option
@older_than_option
@pass_invocation
def done(
    invocation: Invocation, args: tuple[str, ...], kind_name: str | None, older_than: int | None
) -> None:
    """Mark the review item of KIND of CONTACT (or of several) done for today: it leaves
    today's queue, counts as done, and is back tomorrow if still due; with --older-than
    DAYS --kind KIND, every such item older than DAYS."""
    kind, refs = _kind_and_contacts(args, kind_name, older_than)
    tracker = invocation.tracker
    clock = tracker.clock()
    targets = _targets(invocation, refs, kind, older_than)
    if not targets:
        click.echo(f"no “{ITEM_TITLES[kind]}” item older than {plural(older_than or 0, 'day')}")
        return
    batch = tracker.mark_done(targets, clock)
    line, done, back = f"{kind.value} for {{name}} done for today", "done for today", BACK_TOMORROW
    if kind is Kind.SEQUENCE_STEP:  # done completes the step; the next one follows
        line, done, back = f"{kind.value} for {{name}} done", "done", "; the next step follows"
    if len(refs) == 1:
        if batch.skipped:
            skip = batch.skipped[0]
            raise UsageError(f"{skip.contact}: {skip.reason}")
        click.echo(line.format(name=shown(batch.changed[0][1])) + back)
        return
    _report(batch, line, f"{plural(batch.count, 'item')} {done}" + back)


BACK_TOMORROW = " (back tomorrow if still due)"


def _targets(
    invocation: Invocation, refs: Sequence[str], kind: Kind, older_than: int | None
) -> list[tuple[int, Kind]]:
    """The items to act on: the contacts' items of ``kind``, or the review's older
    than ``older_than`` days."""
    if older_than is not None:
        tracker = invocation.tracker
        return [
            (i.contact_id, kind) for i in tracker.select_items(tracker.clock(), kind, older_than)
        ]
    return [(contact.id, kind) for contact in _contacts(invocation, refs)]


COMMANDS = [withdraw, ignored, snooze, done]
