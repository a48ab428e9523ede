"""A contact's history boiled down to a ``ContactState``: a pure function of its touches.

The store keeps the state of every contact over its whole history, refreshed in the same
transaction as each write; the review reads those rows. For a review "as of" a moment
before a contact's latest event, the review recomputes that contact's state from its
touches up to that moment with the same function, so both paths agree by construction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tracker.models import (
    CallStatus,
    Channel,
    ContactState,
    Direction,
    InviteStatus,
    Touch,
    dataclass_builder,
)

# Outbound touches on these channels answer a connected call (DOMAIN.md: after_call_text);
# a WhatsApp message is treated like a LinkedIn message ("Imports and identity").
_CALL_FOLLOW_UPS = frozenset(
    {Channel.SMS, Channel.LINKEDIN_MESSAGE, Channel.EMAIL, Channel.WHATSAPP}
)
_NO_REPLY_CHANNELS = frozenset({Channel.EMAIL, Channel.LINKEDIN_MESSAGE, Channel.WHATSAPP})
# An outbound touch on these after the last text means the rep switched channel, as
# step_back advises (DOMAIN.md, "What clears an item").
SWITCH_CHANNELS = frozenset(
    {Channel.EMAIL, Channel.CALL, Channel.LINKEDIN_MESSAGE, Channel.MEETING, Channel.WHATSAPP}
)
# Enum members read once: a lookup on the class costs more than the test it serves, and
# a summary is computed for every contact of an import and every day of a replay.
_OUT, _IN = Direction.OUT, Direction.IN
_CALL, _SMS, _MEETING = Channel.CALL, Channel.SMS, Channel.MEETING
_CONNECTED = CallStatus.CONNECTED
_PENDING, _ACCEPTED = InviteStatus.PENDING, InviteStatus.ACCEPTED
_PENDING_VALUE = _PENDING.value
_EMPTY = dict(ContactState(contact_id=0).__dict__)
_make_state = dataclass_builder(ContactState)


def summarize(
    contact_id: int, touches: Sequence[Touch], as_of: datetime | None = None
) -> ContactState:
    """Summarize ``touches`` (sorted by time, then id) as they stood at ``as_of``.

    Only touches at or before ``as_of`` count, and an invitation status that changed
    after ``as_of`` still reads as pending; a meeting after ``as_of`` is scheduled
    (``meeting_scheduled_at``). ``as_of=None`` means the whole history.
    """
    seen = [t for t in touches if as_of is None or t.at <= as_of]
    scheduled = scheduled_meeting(touches, as_of) if as_of is not None else None
    last_touch_at = max((t.at for t in seen), default=None)
    # The last event: the last touch, or a later change of a status (seen by as_of).
    moments = [
        t.status_at
        for t in seen
        if t.status_at is not None and (as_of is None or t.status_at <= as_of)
    ]
    if last_touch_at is not None:
        moments.append(last_touch_at)
    last_event = max(moments, default=None)

    # Group touches count toward keep_in_touch only (DOMAIN.md, "Group texts").
    personal = [t for t in seen if not t.is_group]
    outbound = [t for t in personal if t.direction is _OUT]
    last_outbound_at = outbound[-1].at if outbound else None
    inbound = [t for t in personal if t.direction is _IN]
    last_inbound_at = inbound[-1].at if inbound else None

    fields: dict[str, object] = {}
    invitations = [t for t in personal if t.is_invitation]
    if invitations:
        invite = invitations[-1]
        status = invite.status_as_of(as_of) or _PENDING_VALUE
        status_at = invite.status_at if status != _PENDING else None
        fields.update(
            invite_id=invite.id,
            invite_sent_at=invite.at,
            invite_status=status,
            invite_status_at=status_at,
            invite_has_note=invite.has_note,
        )
        if status == _ACCEPTED and status_at is not None:
            thanked = any(t.at >= status_at and t.id != invite.id for t in outbound)
            if not thanked:
                fields["thank_since"] = status_at

    position = {t.id: i for i, t in enumerate(personal)}
    calls = [t for t in personal if t.channel is _CALL and (t.status or _CONNECTED) == _CONNECTED]
    if calls:
        call = calls[-1]
        answered = any(
            position[t.id] > position[call.id] and t.channel in _CALL_FOLLOW_UPS for t in outbound
        )
        if not answered:
            fields["call_since"] = call.at

    if personal:
        latest = personal[-1]
        if latest.direction is _OUT and latest.channel in _NO_REPLY_CHANNELS:
            fields["no_reply_since"] = latest.at
            fields["no_reply_channel"] = latest.channel.value

    run: list[Touch] = []
    for touch in personal:
        if touch.direction is _IN:
            run = []
        elif touch.channel is _SMS:
            run.append(touch)
    if run:
        fields.update(
            text_run=len(run),
            text_run_first=run[0].at,
            text_run_last=run[-1].at,
            last_text_out=run[-1].text,
        )
        switches = [t for t in outbound if t.channel in SWITCH_CHANNELS]
        if switches and position[switches[-1].id] > position[run[-1].id]:
            fields["text_run_switched_at"] = switches[-1].at

    with_text = [t for t in personal if t.text.strip()]
    if with_text:
        fields["last_message"] = with_text[-1].text
        fields["last_message_out"] = with_text[-1].direction is _OUT

    return _make_state(
        {
            **_EMPTY,
            "contact_id": contact_id,
            "last_event_at": last_event,
            "last_touch_at": last_touch_at,
            "last_outbound_at": last_outbound_at,
            "last_inbound_at": last_inbound_at,
            "meeting_scheduled_at": scheduled,
            **fields,
        }
    )


def scheduled_meeting(touches: Sequence[Touch], as_of: datetime) -> datetime | None:
    """The start of the contact's next meeting after ``as_of`` (logged ahead, or from a
    calendar): scheduled, not a touch yet (DOMAIN.md, "Scheduled meetings")."""
    ahead = [t.at for t in touches if t.channel is _MEETING and t.at > as_of]
    return min(ahead, default=None)
