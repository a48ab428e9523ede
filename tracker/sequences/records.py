"""An enrollment as the rules read it, and what they make of it, with the JSON each is
kept in: the rep's own acts on it (``Event``: a step marked done, a pause, a resume, an
unenroll, a move to the edited version), each step reached (``StepRecord``: done or
skipped, with its reason and time) and where the enrollment stands (``Progress``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from tracker.sequences.definitions import SequenceDef
from tracker.timeutil import from_stored, to_stored

STATUSES = ("active", "paused", "replied", "finished", "exited")
LIVE = ("active", "paused")
"""The statuses of an enrollment still running (its contact's plan)."""
STEP, WITHDRAW = "step", "withdraw"
"""A step of the definition, or the withdrawal a timed-out invitation step adds."""
DONE, SKIPPED = "done", "skipped"
WAITING, ACCEPTED, NOT_ACCEPTED = "waiting", "accepted", "not_accepted"


def _day(text: Any) -> date | None:
    return date.fromisoformat(text) if text else None


def _moment(text: Any) -> datetime | None:
    return from_stored(text) if text else None


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, "", (), [])}


@dataclass(frozen=True)
class StepRecord:
    """One step as it went: ``outcome`` is ``None`` while it is the pending step.
    ``due_on`` is the rule's day, ``slot_on`` the day it is shown (``max_per_day`` may
    roll it later); both ``None`` for a step whose delay a pause without end holds."""

    position: int
    action: str
    channel: str
    title: str
    due_on: date | None
    slot_on: date | None
    outcome: str | None = None
    at: datetime | None = None
    reason: str = ""
    touch_id: int | None = None
    """The touch that did it; for an invitation step, the invitation."""
    wait: str | None = None
    """For a step waiting on its invitation: ``waiting``, ``accepted``, ``not_accepted``."""
    wait_at: datetime | None = None
    wait_until: date | None = None
    """The day the wait times out (``max_days`` unpaused days after the invitation)."""

    @property
    def number(self) -> int:
        """The step's number as people count (1 for the first)."""
        return self.position + 1

    def record(self) -> dict[str, Any]:
        return _drop_empty(
            {
                "position": self.position,
                "action": self.action,
                "channel": self.channel,
                "title": self.title,
                "due_on": self.due_on.isoformat() if self.due_on else None,
                "slot_on": self.slot_on.isoformat() if self.slot_on else None,
                "outcome": self.outcome,
                "at": to_stored(self.at) if self.at else None,
                "reason": self.reason,
                "touch_id": self.touch_id,
                "wait": self.wait,
                "wait_at": to_stored(self.wait_at) if self.wait_at else None,
                "wait_until": self.wait_until.isoformat() if self.wait_until else None,
            }
        )

    @classmethod
    def parse(cls, data: dict[str, Any]) -> StepRecord:
        return cls(
            position=int(data["position"]),
            action=data["action"],
            channel=data["channel"],
            title=data["title"],
            due_on=_day(data.get("due_on")),
            slot_on=_day(data.get("slot_on")),
            outcome=data.get("outcome"),
            at=_moment(data.get("at")),
            reason=data.get("reason", ""),
            touch_id=data.get("touch_id"),
            wait=data.get("wait"),
            wait_at=_moment(data.get("wait_at")),
            wait_until=_day(data.get("wait_until")),
        )


@dataclass(frozen=True)
class Event:
    """Something the rep did to an enrollment, at ``at``. ``done``: step ``position``
    (its ``action``) was done; ``pause``: days ``start`` to ``until`` (not included)
    do not count; ``resume``: pauses end now; ``unenroll``: it ends, for ``reason``;
    ``migrate``: it moved to an edited version, keeping ``carried`` (the steps before
    ``position``) and counting the next delay from ``base``; ``before`` is the version
    it ran until then."""

    kind: str
    at: datetime
    position: int | None = None
    action: str = STEP
    start: date | None = None
    until: date | None = None
    reason: str = ""
    carried: tuple[StepRecord, ...] = ()
    base: date | None = None
    before: str = ""

    def record(self) -> dict[str, Any]:
        return _drop_empty(
            {
                "kind": self.kind,
                "at": to_stored(self.at),
                "position": self.position,
                "action": self.action if self.kind == "done" else None,
                "start": self.start.isoformat() if self.start else None,
                "until": self.until.isoformat() if self.until else None,
                "reason": self.reason,
                "carried": [r.record() for r in self.carried],
                "base": self.base.isoformat() if self.base else None,
                "before": self.before,
            }
        ) | ({"position": self.position} if self.position is not None else {})

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Event:
        at = _moment(data["at"])
        assert at is not None
        return cls(
            kind=data["kind"],
            at=at,
            position=data.get("position"),
            action=data.get("action", STEP),
            start=_day(data.get("start")),
            until=_day(data.get("until")),
            reason=data.get("reason", ""),
            carried=tuple(StepRecord.parse(r) for r in data.get("carried", ())),
            base=_day(data.get("base")),
            before=data.get("before", ""),
        )


def events_to_json(events: tuple[Event, ...]) -> str:
    return json.dumps([e.record() for e in events], ensure_ascii=False)


def events_from_json(text: str | None) -> tuple[Event, ...]:
    return tuple(Event.parse(e) for e in json.loads(text or "[]"))


@dataclass(frozen=True)
class Enrollment:
    """A contact in a sequence: the version it runs (``definition``), the day it
    starts, when it was recorded, and the rep's acts on it since."""

    id: int
    contact_id: int
    definition: SequenceDef
    start_on: date
    enrolled_at: datetime
    events: tuple[Event, ...] = ()

    @property
    def sequence(self) -> str:
        return self.definition.name

    def with_event(self, event: Event) -> Enrollment:
        return replace(self, events=(*self.events, event))


@dataclass(frozen=True)
class Progress:
    """Where an enrollment stands as of a moment: its status, each step reached (the
    pending one last, with no outcome), how it ended, whether it is paused and until
    when, and the next day it may change without anything being recorded."""

    status: str
    steps: tuple[StepRecord, ...] = ()
    total: int = 0
    ended_at: datetime | None = None
    end_reason: str = ""
    paused_until: date | None = None
    next_check: date | None = None
    changed_at: datetime | None = None
    invitations: tuple[int, ...] = field(default=())
    """The invitations its steps sent (or took over): ``stale_invite`` is held for them."""

    @property
    def live(self) -> bool:
        return self.status in LIVE

    @property
    def pending(self) -> StepRecord | None:
        """The step it waits on (due or not yet), if any."""
        last = self.steps[-1] if self.steps else None
        return last if last is not None and last.outcome is None else None

    @property
    def waiting(self) -> StepRecord | None:
        """The invitation step waiting to be accepted, if that is where it stands."""
        last = self.steps[-1] if self.steps else None
        return last if last is not None and last.wait == WAITING else None

    def due(self, today: date) -> StepRecord | None:
        """The step to do today (shown from its slot day while the enrollment runs)."""
        step = self.pending
        if self.status != "active" or step is None or step.slot_on is None:
            return None
        return step if step.slot_on <= today else None

    def record(self) -> dict[str, Any]:
        return _drop_empty(
            {
                "status": self.status,
                "steps": [s.record() for s in self.steps],
                "total": self.total,
                "ended_at": to_stored(self.ended_at) if self.ended_at else None,
                "end_reason": self.end_reason,
                "paused_until": self.paused_until.isoformat() if self.paused_until else None,
                "next_check": self.next_check.isoformat() if self.next_check else None,
                "changed_at": to_stored(self.changed_at) if self.changed_at else None,
                "invitations": list(self.invitations),
            }
        )

    def to_json(self) -> str:
        return json.dumps(self.record(), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Progress:
        data = json.loads(text)
        return cls(
            status=data["status"],
            steps=tuple(StepRecord.parse(s) for s in data.get("steps", ())),
            total=int(data.get("total", 0)),
            ended_at=_moment(data.get("ended_at")),
            end_reason=data.get("end_reason", ""),
            paused_until=_day(data.get("paused_until")),
            next_check=_day(data.get("next_check")),
            changed_at=_moment(data.get("changed_at")),
            invitations=tuple(data.get("invitations", ())),
        )
