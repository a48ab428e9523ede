"""The what-if's answer: the load under today's settings and the changed ones, the
trade-offs, and the record ``outreach whatif --format json`` prints (DOMAIN.md,
"What-if")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tracker.tradeoffs import InviteTradeoff, TextTradeoff
from tracker.whatif import Load

UNKNOWN = "unknown"
"""What an outcome that never happened is: never zero."""
SHAPED = (
    "The history was shaped by the rules in force at the time: you withdrew, texted and "
    "stopped as their queue said. The replay counts what each set of rules would have "
    "put in each day's queue; what the changed rules would have let happen instead never "
    "happened, so its outcome is unknown."
)


@dataclass(frozen=True)
class Change:
    """One setting changed: its key as ``outreach settings`` lists it, and both values."""

    key: str
    today: Any
    changed: Any


@dataclass(frozen=True)
class WhatIf:
    """A replay of the review from ``first`` to ``last`` under today's settings
    (``baseline``) and the changed ones; a trade-off is ``None`` when its setting is
    not changed."""

    changes: tuple[Change, ...]
    first: date
    last: date
    baseline: Load
    changed: Load
    capacity: int | None = None
    invites: InviteTradeoff | None = None
    texts: TextTradeoff | None = None

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def load_record(self, load: Load) -> dict[str, Any]:
        busiest, most = load.busiest()
        return {
            "items_per_day_mean": round(load.mean(), 2),
            "items_per_day_max": most,
            "busiest_day": busiest.isoformat() if most else None,
            "days_over_capacity": None if self.capacity is None else load.days_over(self.capacity),
            "items_by_kind": {kind.value: total for kind, total in load.by_kind().items()},
        }

    def record(self) -> dict[str, Any]:
        """The JSON record: the interface's keys, and beside them the period and what
        cannot be known."""
        invites, texts = self.invites, self.texts
        raised_invites = invites is not None and invites.changed > invites.today
        raised_run = texts is not None and texts.changed > texts.today
        return {
            "settings": {c.key: {"baseline": c.today, "changed": c.changed} for c in self.changes},
            "since": self.first.isoformat(),
            "until": self.last.isoformat(),
            "days": self.days,
            "capacity": self.capacity,
            "baseline": self.load_record(self.baseline),
            "changed": self.load_record(self.changed),
            "invites_accepted_between": invites.accepted_between if invites else None,
            "invite_pending_days_fewer": invites.pending_days_fewer if invites else None,
            "invites_withdrawn_between": (
                {"count": invites.withdrawn_between, "accepted": UNKNOWN}
                if invites and raised_invites
                else None
            ),
            "texts_not_sent": texts.not_sent if texts else None,
            "replies_after_unsent_texts": texts.replies_after if texts else None,
            "texts_allowed": {"count": UNKNOWN, "replies": UNKNOWN} if raised_run else None,
            "note": SHAPED,
        }
