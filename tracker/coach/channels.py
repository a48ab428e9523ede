"""Which channel a message goes by: for a queue item as its advice says (``out_channel``),
for their reply (``reply_channel``), and for the coach's draft of an item or a contact
(``default_channel``)."""

from __future__ import annotations

from datetime import datetime

from tracker.invitations import LinkedInStanding
from tracker.models import (
    TEXT_KINDS,
    Channel,
    Contact,
    ContactState,
    InviteStatus,
    Kind,
    ReviewItem,
)
from tracker.review import thanks_channel

OUT_CHANNEL = {
    Kind.THANK_NEW_CONNECTION: Channel.LINKEDIN_MESSAGE,
    Kind.AFTER_CALL_TEXT: Channel.SMS,
    Kind.FOLLOW_UP_DUE: Channel.EMAIL,
    Kind.KEY_DATE: Channel.SMS,
    Kind.SEQUENCE_STEP: Channel.OTHER,
    Kind.NO_REPLY: Channel.SMS,
    Kind.UNANSWERED_TEXT: Channel.SMS,
    Kind.STEP_BACK: Channel.EMAIL,
    Kind.STALE_INVITE: Channel.EMAIL,
    Kind.RESEND_INVITE: Channel.LINKEDIN_INVITE,
    Kind.KEEP_IN_TOUCH: Channel.LINKEDIN_MESSAGE,
}
"""The channel each kind's advice points to (a ``no_reply`` item may say otherwise)."""


def _unanswered_channel(item: ReviewItem) -> Channel:
    """The channel of the email or LinkedIn message a ``no_reply`` item waits on."""
    channel = item.details.get("channel")
    return Channel(str(channel)) if channel else Channel.EMAIL


def _item_channel(item: ReviewItem) -> Channel | None:
    """The channel an item names itself (an ``after_call_text`` for a contact with no
    phone says how to thank them instead), else ``None``."""
    channel = item.details.get("channel")
    named = item.kind in (Kind.AFTER_CALL_TEXT, Kind.KEY_DATE)
    return Channel(str(channel)) if channel and named else None


def step_channel(item: ReviewItem) -> Channel:
    """The channel a sequence step is on (``other`` for one the tracker has no channel
    for yet)."""
    named = str(item.details.get("channel") or "")
    return next((c for c in Channel if c.value == named), Channel.OTHER)


def out_channel(item: ReviewItem) -> Channel:
    """The channel the item's own advice points to."""
    if item.kind is Kind.NO_REPLY and "by text" not in item.action:
        return _unanswered_channel(item)
    if item.kind is Kind.SEQUENCE_STEP:
        return step_channel(item)
    return _item_channel(item) or OUT_CHANNEL[item.kind]


def reply_channel(item: ReviewItem) -> Channel:
    """The channel their reply to what the item is about most likely came by."""
    kind = item.kind
    if kind in (Kind.AFTER_CALL_TEXT, Kind.UNANSWERED_TEXT, Kind.STEP_BACK):
        return _item_channel(item) or Channel.SMS
    if kind is Kind.NO_REPLY:
        return _unanswered_channel(item)
    if kind is Kind.SEQUENCE_STEP and step_channel(item) not in (Channel.OTHER, Channel.CALL):
        invite = step_channel(item) is Channel.LINKEDIN_INVITE
        return Channel.LINKEDIN_MESSAGE if invite else step_channel(item)
    return Channel.EMAIL if kind is Kind.FOLLOW_UP_DUE else Channel.LINKEDIN_MESSAGE


NOT_KNOWN = LinkedInStanding()
"""No LinkedIn standing worked out: nothing is known to bar an invitation."""


def default_channel(
    kind: Kind | None,
    contact: Contact,
    state: ContactState,
    as_of: datetime,
    standing: LinkedInStanding = NOT_KNOWN,
) -> Channel:
    """The channel a message for ``kind`` goes by (``None``: a contact with nothing due).
    A connection note only where LinkedIn would take one (``standing``); an item about
    an invitation names its channel even so, and the coach then says why not. A contact
    with no phone gets no text: thanks for a call go by email or LinkedIn."""
    if kind in TEXT_KINDS and not contact.phone:
        return thanks_channel(contact)
    if kind in TEXT_KINDS:
        return Channel.SMS
    if kind is Kind.THANK_NEW_CONNECTION:
        return Channel.LINKEDIN_MESSAGE
    if kind in (Kind.STALE_INVITE, Kind.RESEND_INVITE):
        return Channel.LINKEDIN_INVITE
    if kind is Kind.NO_REPLY and state.no_reply_channel:
        return Channel(state.no_reply_channel)
    if kind is Kind.KEY_DATE:  # a personal note: a text where one may go, never an invitation
        if contact.phone and not contact.opted_out(as_of):
            return Channel.SMS
        connected = standing.connected or state.invite_status == InviteStatus.ACCEPTED.value
        return Channel.EMAIL if contact.email and not connected else Channel.LINKEDIN_MESSAGE
    # Follow-ups, keeping in touch, or no item: the likeliest way to reach them.
    if standing.connected or state.invite_status == InviteStatus.ACCEPTED.value:
        return Channel.LINKEDIN_MESSAGE
    if contact.phone and not contact.opted_out(as_of):
        return Channel.SMS
    if contact.linkedin_url and state.invite_status is None and not standing.why_no_invite:
        return Channel.LINKEDIN_INVITE
    if contact.email:
        return Channel.EMAIL
    return Channel.LINKEDIN_MESSAGE
