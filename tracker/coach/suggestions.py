"""The coach's suggestions, as the app shows them: the checked draft for a queue item
(``Suggestion``), and everything the compose panel needs to draft and check without
waiting on the disk (``ComposeContext``). The service fills them in
(``Tracker.suggest``, ``Tracker.compose_context``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tracker.models import Channel, Contact, ContactState, Touch

if TYPE_CHECKING:  # the coach loads in the worker that first drafts, not with Today
    from tracker.coach.findings import CheckResult, Finding
    from tracker.coach.templates import Template

COMPOSE_CHANNELS = (
    Channel.SMS,
    Channel.LINKEDIN_INVITE,
    Channel.LINKEDIN_MESSAGE,
    Channel.EMAIL,
    Channel.WHATSAPP,
)
"""What the compose panel writes (email and WhatsApp have templates and the writing checks
only)."""

EXTRA_FIELDS = ("event", "mutual", "topic", "next_step")
"""Template fields the tracker cannot know: the user fills them in."""

FILLABLE_FIELDS = (
    *EXTRA_FIELDS,
    "company",
    "title",
    "first_name",
    "last_name",
    "name",
    "call_day",
    "meeting_day",
    "occasion",
)
"""Fields the compose panel offers to fill in by hand when a template uses one the
tracker has no value for (the user's own name is asked for once, and saved)."""


@dataclass(frozen=True)
class Suggestion:
    """The coach's draft for a queue item; ``text`` is empty when it blocks the channel
    (``why_not`` then says why) or the templates could not be read."""

    channel: Channel | None  # None: the coach could not tell (bad templates file)
    text: str = ""
    template: str = ""
    missing: tuple[str, ...] = ()
    why_not: str = ""


def blocked_reasons(result: CheckResult) -> str:
    """The reasons of every blocking finding, in one line."""
    from tracker.coach.findings import Severity

    return "; ".join(f.reason for f in result.findings if f.severity is Severity.BLOCK)


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
    channels: tuple[Channel, ...] = COMPOSE_CHANNELS
    no_invite: str = ""
    """Why no connection note is offered (empty: one is)."""
    invite_limits: tuple[tuple[str, str], ...] = ()
    """``(setting, warning)`` for each LinkedIn limit an invitation sent now would pass
    (``monthly_note_limit`` only counts one with a note)."""

    def limit_findings(self, has_note: bool) -> list[Finding]:
        """The limit warnings as the coach shows them: warnings, never blocks."""
        from tracker.health import limit_findings

        return limit_findings(self.invite_limits, has_note)

    def for_channel(self, channel: Channel) -> list[Template]:
        """The templates for ``channel``: the coach's choice first, then by name."""
        default = self.defaults.get(channel)
        found = [t for t in self.templates.values() if t.channel is channel]
        return sorted(found, key=lambda t: (t.name != default, t.name))
