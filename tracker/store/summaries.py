"""The stored form of each contact's summary (``contact_state``), and the history rows it
is folded from.

The store keeps every summary current in the same transaction as each write, folding
the history with the fold the service gives it (``Fold``): the summary's rules live in
``tracker.state`` and ``tracker.history``, never here. The same rows feed the facts the
insights count replies from (``MessageFold``, ``tracker.replies``; ``store/replies.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from tracker.models import STORED_STATE_FIELDS, ContactState
from tracker.timeutil import to_stored


class Fold(Protocol):
    """One contact's history folded row by row (``tracker.history.HistoryFold``)."""

    def add(self, row: tuple[Any, ...]) -> bool: ...

    def summary(self) -> ContactState: ...


FoldFactory = Callable[[int], Fold]
"""Makes the fold of one contact's history, given its id."""


class MessageFold(Protocol):
    """One contact's messages and their replies, folded from its history in order
    (``tracker.replies.ReplyFold``): ``(touch id, contact id, channel, sent at, run,
    replied at)`` facts, put in its sink flat (six values each, times as stored) as they
    settle and the rest at ``finish``."""

    def add(self, row: tuple[Any, ...]) -> bool: ...

    def finish(self) -> list[Any]: ...


MessageFoldFactory = Callable[[int, list[Any]], MessageFold]
"""Makes the message fold of one contact's history, given its id and the list its
settled facts go to."""

SUMMARY_TOUCHES = (
    "SELECT id, contact_id, channel, direction, at, text, status, status_at, has_note,"
    " moment, is_group, source FROM touches"
)
STATE_TIMES = (
    "last_event_at",
    "last_touch_at",
    "last_outbound_at",
    "last_inbound_at",
    "invite_sent_at",
    "invite_status_at",
    "thank_since",
    "call_since",
    "no_reply_since",
    "text_run_first",
    "text_run_last",
    "text_run_switched_at",
)
STATE_TIMES_SET = frozenset(STATE_TIMES)
STATE_COLUMNS = (*STORED_STATE_FIELDS, "stale")
"""The columns of a ``contact_state`` row, in the order ``state_values`` gives them."""


def state_to_row(state: ContactState) -> dict[str, Any]:
    row: dict[str, Any] = {}
    values = state.__dict__
    for key in STORED_STATE_FIELDS:
        value = values[key]
        if key in STATE_TIMES_SET:
            row[key] = to_stored(value) if value is not None else None
        elif isinstance(value, bool):
            row[key] = int(value)
        else:
            row[key] = value
    return row


def state_values(state: ContactState) -> tuple[Any, ...]:
    """``state`` as a current (not stale) row, in ``STATE_COLUMNS`` order."""
    row = state_to_row(state)
    row["stale"] = 0
    return tuple(row[c] for c in STATE_COLUMNS)


def upsert_state_sql() -> str:
    """The statement writing ``state_values`` rows, inserting or replacing."""
    updates = ", ".join(f"{k} = excluded.{k}" for k in STATE_COLUMNS if k != "contact_id")
    return (
        f"INSERT INTO contact_state ({', '.join(STATE_COLUMNS)})"
        f" VALUES ({', '.join('?' * len(STATE_COLUMNS))})"
        f" ON CONFLICT(contact_id) DO UPDATE SET {updates}"
    )
