"""What a sequence is: named steps, each a channel, a delay, an optional wait for the
invitation's acceptance, an optional template and a title (DOMAIN.md, "Sequences").

Two built-in sequences show the shape (``BUILTIN_SEQUENCES``); ``sequences.toml``
(``tracker.sequences.loading``) adds the user's own, and one with a built-in's name
replaces it. A definition turns into canonical JSON and back, so an enrollment keeps the
version it started with in the database (``to_json``, ``from_json``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

CHANNELS = (
    "linkedin_invite",
    "linkedin_message",
    "sms",
    "call",
    "email",
    "whatsapp",
    "other",
)
"""The channels a step may use. ``whatsapp`` is accepted whether or not the touch model
has that channel yet: a step's channel is matched to touches by its name."""
ON_TIMEOUT = ("withdraw", "skip", "exit")
ON_REPLY = ("exit", "pause")
WAIT_FOR = ("accepted",)
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
"""A sequence name: letters, digits, ``-`` and ``_`` (what a command line takes bare)."""
DELAY = re.compile(r"(\d{1,4})(bd|d)")
MAX_DELAY_DAYS = 3650

CHANNEL_TITLES = {
    "linkedin_invite": "Invite to connect on LinkedIn",
    "linkedin_message": "Send a LinkedIn message",
    "sms": "Send a text",
    "call": "Call",
    "email": "Send an email",
    "whatsapp": "Send a WhatsApp message",
    "other": "Reach out",
}
"""A step's title when the file gives none."""


@dataclass(frozen=True)
class Delay:
    """``days`` calendar days, or business days when ``business`` (``3d``, ``3bd``)."""

    days: int = 0
    business: bool = False

    def __str__(self) -> str:
        return f"{self.days}{'bd' if self.business else 'd'}"

    def words(self) -> str:
        """``3 business days``, ``1 day``, ``the same day``."""
        if not self.days:
            return "the same day" if not self.business else "the next business day"
        unit = "business day" if self.business else "day"
        return f"{self.days} {unit}{'' if self.days == 1 else 's'}"

    @classmethod
    def parse(cls, text: str) -> Delay | None:
        """``"3d"`` or ``"3bd"`` as a delay; ``None`` for anything else."""
        found = DELAY.fullmatch(text.strip().lower())
        if found is None:
            return None
        return cls(int(found.group(1)), found.group(2) == "bd")


@dataclass(frozen=True)
class Step:
    """One step: do ``channel`` ``after`` the previous step (or its condition)."""

    title: str
    channel: str
    after: Delay = field(default_factory=Delay)
    wait_for: str | None = None
    """``"accepted"``: wait for the step's invitation to be accepted, ``max_days`` at most."""
    max_days: int | None = None
    on_timeout: str | None = None
    template: str | None = None

    @property
    def waits(self) -> bool:
        return self.wait_for == "accepted"

    def record(self) -> dict[str, Any]:
        """The step as its JSON holds it (keys left out when unset)."""
        data: dict[str, Any] = {"title": self.title, "channel": self.channel}
        if self.after != Delay():
            data["after"] = str(self.after)
        for key in ("wait_for", "max_days", "on_timeout", "template"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data


@dataclass(frozen=True)
class SequenceDef:
    """A named list of steps; ``on_reply`` says what a reply does (end it, or pause it)."""

    name: str
    steps: tuple[Step, ...]
    on_reply: str = "exit"
    description: str = ""
    builtin: bool = False
    """Shipped with the tracker (not read from ``sequences.toml``)."""

    def record(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "on_reply": self.on_reply}
        if self.description:
            data["description"] = self.description
        data["steps"] = [step.record() for step in self.steps]
        return data

    def to_json(self) -> str:
        """Canonical JSON (sorted keys): two versions are the same when this is."""
        return json.dumps(self.record(), sort_keys=True, ensure_ascii=False)

    def same_version(self, other: SequenceDef) -> bool:
        return self.to_json() == other.to_json()


def from_json(text: str) -> SequenceDef:
    """A definition from ``to_json``'s text (as an enrollment stores it)."""
    data = json.loads(text)
    steps = tuple(
        Step(
            title=raw["title"],
            channel=raw["channel"],
            after=Delay.parse(raw.get("after", "0d")) or Delay(),
            wait_for=raw.get("wait_for"),
            max_days=raw.get("max_days"),
            on_timeout=raw.get("on_timeout"),
            template=raw.get("template"),
        )
        for raw in data["steps"]
    )
    return SequenceDef(
        data["name"], steps, data.get("on_reply", "exit"), data.get("description", "")
    )


BUILTIN_SEQUENCES: tuple[SequenceDef, ...] = (
    # 002/004: a note that says why, accepted or withdrawn within two weeks; 004: thank
    # them for accepting and add value; then other channels, a few business days apart.
    SequenceDef(
        "linkedin-first",
        (
            Step(
                "Invite with a note",
                "linkedin_invite",
                wait_for="accepted",
                max_days=14,
                on_timeout="withdraw",
            ),
            Step(
                "Thank them and add value",
                "linkedin_message",
                Delay(1, True),
                template="message-thanks",
            ),
            Step("Ask what they are focused on", "linkedin_message", Delay(4, True)),
            Step("Call", "call", Delay(3, True)),
            Step("Email a short note", "email", Delay(3, True), template="email-nudge"),
        ),
        description="Invite with a note, thank them when they accept, then a message, "
        "a call and an email",
        builtin=True,
    ),
    # 000: text right after a conversation to thank them and confirm the next step (or
    # when they do not call back); a connection request after a sales call; 001: follow
    # up by email, and step back rather than keep texting.
    SequenceDef(
        "call-first",
        (
            Step("Call", "call"),
            Step("Text: thanks, and the next step", "sms"),
            Step(
                "Connect on LinkedIn",
                "linkedin_invite",
                Delay(1, True),
                wait_for="accepted",
                max_days=14,
                on_timeout="skip",
                template="note-after-call",
            ),
            Step("Email a follow-up", "email", Delay(3, True), template="email-nudge"),
            Step("Call again", "call", Delay(5, True)),
        ),
        description="Call, text thanks and the next step, connect on LinkedIn, then an "
        "email and a second call",
        builtin=True,
    ),
)
