"""The message coach, as the app uses it (no Textual here): which channel a queue item or
a contact calls for, the suggested message for a queue item (the coach's draft, checked),
and everything the compose panel needs to draft and check without waiting on the disk.

Plain functions of a ``Tracker``, run from worker threads through ``Data.run``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from tracker.models import (
    TEXT_KINDS,
    Channel,
    Contact,
    ContactState,
    InviteStatus,
    Kind,
    Touch,
)

if TYPE_CHECKING:  # the coach loads in the worker that first drafts, not with Today
    from tracker.coach.findings import CheckResult
    from tracker.coach.templates import Template
    from tracker.service import Tracker

COMPOSE_CHANNELS = (
    Channel.SMS,
    Channel.LINKEDIN_INVITE,
    Channel.LINKEDIN_MESSAGE,
    Channel.EMAIL,
)
"""What the compose panel writes (email has templates and the writing checks only)."""

MESSAGE_WORDS: dict[Channel | None, str] = {
    None: "message",
    Channel.SMS: "text",
    Channel.LINKEDIN_INVITE: "LinkedIn note",
    Channel.LINKEDIN_MESSAGE: "LinkedIn message",
    Channel.EMAIL: "email",
}
"""What a message on each channel is called in a sentence."""

EXTRA_FIELDS = ("event", "mutual", "topic", "next_step")
"""Template fields the tracker cannot know: the user fills them in."""


@dataclass(frozen=True)
class Suggestion:
    """The coach's draft for a queue item; ``text`` is empty when it blocks the channel
    (``why_not`` then says why) or the templates could not be read."""

    channel: Channel | None  # None: the coach could not tell (bad templates file)
    text: str = ""
    template: str = ""
    missing: tuple[str, ...] = ()
    why_not: str = ""


def default_channel(
    kind: Kind | None, contact: Contact, state: ContactState, as_of: datetime
) -> Channel:
    """The channel a message for ``kind`` goes by (``None``: a contact with nothing due)."""
    if kind in TEXT_KINDS:
        return Channel.SMS
    if kind is Kind.THANK_NEW_CONNECTION:
        return Channel.LINKEDIN_MESSAGE
    if kind in (Kind.STALE_INVITE, Kind.RESEND_INVITE):
        return Channel.LINKEDIN_INVITE
    if kind is Kind.NO_REPLY and state.no_reply_channel:
        return Channel(state.no_reply_channel)
    # Follow-ups, keeping in touch, or no item: the likeliest way to reach them.
    if state.invite_status == InviteStatus.ACCEPTED.value:
        return Channel.LINKEDIN_MESSAGE
    if contact.phone and not contact.opted_out(as_of):
        return Channel.SMS
    if contact.linkedin_url and state.invite_status is None:
        return Channel.LINKEDIN_INVITE
    if contact.email:
        return Channel.EMAIL
    return Channel.LINKEDIN_MESSAGE


def blocked_reasons(result: CheckResult) -> str:
    """The reasons of every blocking finding, in one line."""
    from tracker.coach.findings import Severity

    return "; ".join(f.reason for f in result.findings if f.severity is Severity.BLOCK)


def suggest(tracker: Tracker, contact_id: int, kind: Kind, as_of: datetime) -> Suggestion:
    """The coach's draft for the queue item ``kind`` of ``contact_id``, checked as of
    ``as_of``: no text when the coach blocks it (a step-back contact gets no text)."""
    contact = tracker.store.get_contact(contact_id)
    state = tracker.store.state_of(contact_id)
    channel = default_channel(kind, contact, state, as_of)
    text, template, missing = tracker.draft(contact, channel)
    result = tracker.check(contact, channel, text, as_of)
    if result.blocked:
        return Suggestion(channel, template=template.name, why_not=blocked_reasons(result))
    return Suggestion(channel, text, template.name, tuple(missing))


@dataclass(frozen=True)
class ComposeContext:
    """One contact as the compose panel needs it: loaded once, then drafted and checked
    in memory as the user types (the history is what the checks read)."""

    contact: Contact
    state: ContactState
    history: tuple[Touch, ...]
    templates: dict[str, Template]
    channel: Channel
    defaults: dict[Channel, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)

    def for_channel(self, channel: Channel) -> list[Template]:
        """The templates for ``channel``: the coach's choice first, then by name."""
        default = self.defaults.get(channel)
        found = [t for t in self.templates.values() if t.channel is channel]
        return sorted(found, key=lambda t: (t.name != default, t.name))


def compose_context(
    tracker: Tracker, contact_id: int, kind: Kind | None, as_of: datetime
) -> ComposeContext:
    """What the compose panel starts from for ``contact_id`` (and the item ``kind``)."""
    from tracker.coach.templates import contact_fields, load_templates

    contact = tracker.store.get_contact(contact_id)
    state = tracker.store.state_of(contact_id)
    defaults = {channel: tracker.draft(contact, channel)[1].name for channel in COMPOSE_CHANNELS}
    return ComposeContext(
        contact=contact,
        state=state,
        history=tuple(tracker.store.touches_for(contact_id)),
        templates=load_templates(),
        channel=default_channel(kind, contact, state, as_of),
        defaults=defaults,
        values=contact_fields(contact, tracker.settings),
    )
