"""Commands that record something: log a touch and its shortcuts, invitation status,
follow-up dates and SMS consent. Each takes ``--at`` (default: now). Withdrawing,
ignoring, snoozing and marking done take several contacts: ``tracker.cli.bulk``."""

from __future__ import annotations

from datetime import datetime

import click

from tracker.cli.common import MAX_INT, Invocation, at_option, pass_invocation
from tracker.errors import UsageError
from tracker.models import Channel, Direction, InviteStatus, Moment
from tracker.service import parse_channel, parse_moment
from tracker.text import shown
from tracker.timeutil import now_utc

CHANNELS = ", ".join(c.value for c in Channel)
MOMENTS = ", ".join(m.value for m in Moment)
force_option = click.option(
    "--force",
    is_flag=True,
    help="Record it even if refused: a message the coach blocks, or an invitation LinkedIn "
    "would not have sent (already connected, one pending, or inside the re-invite lockout).",
)
template_option = click.option(
    "--template",
    "template_name",
    metavar="NAME",
    help="The template the message was drafted from (for insights).",
)


def _known_template(name: str | None) -> str | None:
    if not name:
        return None
    from tracker.coach.templates import load_templates

    if name not in load_templates():
        raise UsageError(f"unknown template {name!r} (see `outreach templates`)")
    return name


@click.command()
@click.argument("channel", metavar="CHANNEL")
@click.argument("contact")
@click.option("--in", "inbound", is_flag=True, help="They reached you (default: outbound).")
@at_option
@click.option("--text", help="What was said.")
@click.option("--moment", metavar="M", help=f"Why now: {MOMENTS}.")
@click.option(
    "--status",
    metavar="S",
    help="Invitations: pending, accepted, ignored, withdrawn. Calls: connected, no_answer, "
    "voicemail.",
)
@click.option("--group", is_flag=True, help="Part of a group thread someone else started.")
@template_option
@force_option
@pass_invocation
def log(
    invocation: Invocation,
    channel: str,
    contact: str,
    inbound: bool,
    at: str | None,
    text: str | None,
    moment: str | None,
    status: str | None,
    group: bool,
    template_name: str | None,
    force: bool,
) -> None:
    parsed_channel = parse_channel(channel)
    template = _known_template(template_name)
    parsed_moment = parse_moment(moment) if moment else None
    when = invocation.when(at)
    found = invocation.resolve(contact)
    is_invitation = parsed_channel is Channel.LINKEDIN_INVITE and not inbound and not group
    limits = _limits(invocation, when, text) if is_invitation else []
    touch = invocation.tracker.log(
        found,
        parsed_channel,
        Direction.IN if inbound else Direction.OUT,
        when,
        text or "",
        parsed_moment,
        status,
        is_group=group,
        template=template,
        coach=True,
        force=force,
    )
    click.echo(touch.id)
    _warn(limits)


log.help = f"Record a touch with CONTACT on CHANNEL ({CHANNELS}); outbound unless --in."


@click.command()
@click.argument("contact")
@click.option("--note", help="The note sent with the invitation (none: no note).")
@click.option("--moment", metavar="M", help=f"Why now: {MOMENTS}.")
@at_option
@template_option
@force_option
@pass_invocation
def invite(
    invocation: Invocation,
    contact: str,
    note: str | None,
    moment: str | None,
    at: str | None,
    template_name: str | None,
    force: bool,
) -> None:
    """Record a LinkedIn invitation you sent (pending until accepted or withdrawn).

    Refused (exit 1, with the reason) when LinkedIn would not have sent it: CONTACT is
    already connected, has an invitation pending, or had one withdrawn less than
    resend_invite_days ago. --force records it anyway. One that passes your weekly
    invitation limit (or, with a note, the monthly note limit) is recorded with a warning
    saying when there is room again."""
    parsed_moment = parse_moment(moment) if moment else None
    template = _known_template(template_name)
    when = invocation.when(at)
    found = invocation.resolve(contact)
    limits = _limits(invocation, when, note)
    touch = invocation.tracker.log(
        found,
        Channel.LINKEDIN_INVITE,
        Direction.OUT,
        when,
        note or "",
        parsed_moment,
        has_note=bool(note and note.strip()),
        template=template,
        coach=True,
        force=force,
    )
    click.echo(touch.id)
    _warn(limits)


def _limits(invocation: Invocation, when: datetime | None, note: str | None) -> list[str]:
    """What one more invitation would pass (``[linkedin]`` limits), worked out before it
    is recorded: a warning, never a refusal."""
    found = invocation.tracker.invitation_limits(when, bool(note and note.strip()))
    return [warning.message for warning in found]


def _warn(messages: list[str]) -> None:
    for message in messages:
        click.echo(f"outreach: warning: {message}", err=True)


def _status_command(name: str, status: InviteStatus, verb: str) -> click.Command:
    @click.command(name=name, help=f"Mark CONTACT's pending invitation {verb}.")
    @click.argument("contact")
    @at_option
    @pass_invocation
    def command(invocation: Invocation, contact: str, at: str | None) -> None:
        when = invocation.when(at)
        found = invocation.resolve(contact)
        touch = invocation.tracker.set_invitation(found, status, when)
        click.echo(f"invitation #{touch.id} to {shown(found.name)} marked {status.value}")

    return command


accepted = _status_command("accepted", InviteStatus.ACCEPTED, "accepted")


@click.command(name="follow-up")
@click.argument("contact")
@click.option("--on", "on", metavar="DATE", help="Due date: YYYY-MM-DD, today, tomorrow, +3d.")
@click.option("--in", "in_days", type=int, metavar="DAYS", help="Due in this many days.")
@click.option("--reason", default="", help="What to do then (one line).")
@click.option("--clear", is_flag=True, help="Remove the follow-up date.")
@click.option(
    "--force", is_flag=True, help="Set a date more than a year back (likely a typo otherwise)."
)
@at_option
@pass_invocation
def follow_up(
    invocation: Invocation,
    contact: str,
    on: str | None,
    in_days: int | None,
    reason: str,
    clear: bool,
    force: bool,
    at: str | None,
) -> None:
    """Set (or --clear) CONTACT's next follow-up date."""
    chosen = sum(x is not None and x is not False for x in (on, in_days, clear or None))
    if chosen != 1:
        raise UsageError("give exactly one of --on DATE, --in DAYS or --clear")
    when = invocation.when(at)
    if in_days is not None and in_days < 0:
        raise UsageError("--in takes 0 days or more")
    found = invocation.resolve(contact)
    if clear:
        removed = invocation.tracker.clear_follow_up(found)
        click.echo(
            f"follow-up cleared for {shown(found.name)}"
            if removed
            else f"{shown(found.name)} had no follow-up date"
        )
        return
    base = (when or now_utc()).astimezone(invocation.tz).date()
    due = invocation.day(on) if on else invocation.day(f"+{in_days or 0}d", base)
    invocation.tracker.follow_up(found, due, reason, when, force=force)
    click.echo(f"follow up with {shown(found.name)} on {due.isoformat()}")


@click.command(name="opt-in")
@click.argument("contact")
@at_option
@pass_invocation
def opt_in(invocation: Invocation, contact: str, at: str | None) -> None:
    """Record that CONTACT agreed to receive texts."""
    when = invocation.when(at)
    found = invocation.resolve(contact)
    invocation.tracker.opt_in(found, when)
    click.echo(f"{shown(found.name)} opted in to texts")


@click.command(name="opt-out")
@click.argument("contact")
@at_option
@pass_invocation
def opt_out(invocation: Invocation, contact: str, at: str | None) -> None:
    """Record that CONTACT asked not to be texted (no text will be suggested)."""
    when = invocation.when(at)
    found = invocation.resolve(contact)
    invocation.tracker.opt_out(found, when)
    click.echo(f"{shown(found.name)} opted out of texts")


@click.command(name="delete-touch")
@click.argument("touch_id", type=click.IntRange(1, MAX_INT))
@pass_invocation
def delete_touch(invocation: Invocation, touch_id: int) -> None:
    """Delete one touch by its id (shown by `outreach show`)."""
    touch = invocation.tracker.delete_touch(touch_id)
    click.echo(f"deleted touch {touch.id}")


COMMANDS = [
    log,
    invite,
    accepted,
    follow_up,
    opt_in,
    opt_out,
    delete_touch,
]
