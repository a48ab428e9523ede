"""A contact's history as the summary needs it: stored touch rows read as plain tuples,
and the few of them ``tracker.state.summarize`` actually looks at.

Summaries are recomputed from whole histories, and a history can hold thousands of
texts. Building a ``Touch`` for each would cost more than everything else an import
does, so a history is first cut down to its *essential* rows (``essential_rows``): the
latest touch of each kind that ``summarize`` asks about, the latest status change, and
the unanswered run of texts. Any part of a history that holds its essential rows
summarizes exactly like the whole (``tests/test_history_essential.py`` checks this on
random histories), which also lets an import fold new touches in as they stream past.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from operator import itemgetter
from typing import Any

from tracker.models import Channel, ContactState, Direction, Moment, Touch
from tracker.state import SWITCH_CHANNELS, summarize

Row = tuple[Any, ...]
"""``(id, contact_id, channel, direction, at, text, status, status_at, has_note, moment,
is_group, source)`` with the values as stored (the store's ``SUMMARY_TOUCHES``)."""

_CHANNELS = {c.value: c for c in Channel}
_DIRECTIONS = {d.value: d for d in Direction}
_MOMENTS = {m.value: m for m in Moment}
# What ``summarize`` asks about, as stored values (tracker/state.py).
_CALL_FOLLOW_UPS = frozenset(
    {Channel.SMS.value, Channel.LINKEDIN_MESSAGE.value, Channel.EMAIL.value, Channel.WHATSAPP.value}
)
_SWITCHES = frozenset(c.value for c in SWITCH_CHANNELS)
_IN = Direction.IN.value
_SMS = Channel.SMS.value
_INVITE = Channel.LINKEDIN_INVITE.value
_CALL = Channel.CALL.value
_CONNECTED = "connected"
_SHORT = 8
"""Histories this short are summarized whole."""


def summary_touch(row: Row) -> Touch:
    """A ``Touch`` from a stored row: what summarising needs, parsed fast
    (``datetime.fromisoformat`` reads the store's own ``...Z`` text directly)."""
    tid, cid, channel, direction, at, text, status, status_at, note, moment, group, src = row
    return Touch(
        id=tid,
        contact_id=cid,
        channel=_CHANNELS[channel],
        direction=_DIRECTIONS[direction],
        at=datetime.fromisoformat(at),
        text=text or "",
        status=status,
        status_at=datetime.fromisoformat(status_at) if status_at else None,
        has_note=None if note is None else bool(note),
        moment=_MOMENTS[moment] if moment else None,
        is_group=bool(group),
        source=src,
    )


def essential_rows(rows: Sequence[Row]) -> tuple[list[Row], int]:
    """The rows of one contact's history (sorted by time, then id) that ``summarize``
    needs to summarize the whole history, in order, and how many rows of the unanswered
    run were left out.

    Kept: the latest touch, the latest status change, and among one-to-one touches the
    latest, the latest inbound, the two latest outbound, the latest outbound text,
    LinkedIn message or email (answers a call), the latest outbound email, call, LinkedIn
    message or meeting (a switch of channel after the texts), the latest invitation, the
    latest connected call, the latest with text, and the first and last outbound text
    after the latest inbound touch (the run, whose length ``summarize`` counts: its middle
    is only counted, so a long unanswered run costs no memory)."""
    if len(rows) <= _SHORT:
        return list(rows), 0
    keep = {len(rows) - 1}
    run: list[int] = []
    newest_status: str | None = None
    newest_status_at = -1
    personal = inbound = follow_up = switch = invite = call = with_text = False
    outbound = 0
    for position in range(len(rows) - 1, -1, -1):
        row = rows[position]
        status_at = row[7]
        if status_at is not None and (newest_status is None or status_at > newest_status):
            newest_status, newest_status_at = status_at, position
        if row[10]:
            continue  # group touches count toward the latest touch and event only
        channel = row[2]
        if not personal:
            personal = True
            keep.add(position)
        if row[3] == _IN:
            if not inbound:
                inbound = True
                keep.add(position)
        else:
            if outbound < 2:
                outbound += 1
                keep.add(position)
            if not inbound and channel == _SMS:
                run.append(position)
            if not follow_up and channel in _CALL_FOLLOW_UPS:
                follow_up = True
                keep.add(position)
            if not switch and channel in _SWITCHES:
                switch = True
                keep.add(position)
            if not invite and channel == _INVITE:
                invite = True
                keep.add(position)
        if not call and channel == _CALL and (not row[6] or row[6] == _CONNECTED):
            call = True
            keep.add(position)
        if not with_text and row[5] and row[5].strip():
            with_text = True
            keep.add(position)
    if newest_status_at >= 0:
        keep.add(newest_status_at)
    if run:
        keep.update((run[0], run[-1]))
    return [rows[i] for i in sorted(keep)], sum(1 for p in run if p not in keep)


class HistoryFold:
    """One contact's history, folded as rows are added: only its essential rows are kept
    (cut down each time ``step`` more have come), so memory stays flat however long the
    history. ``summary()`` equals ``summarize`` of the whole history.

    Rows may come in any order until a run's middle has been left out; after that a row
    older than the newest seen makes ``add`` return ``False``: the fold can no longer
    tell whether that row splits the run, and the caller must summarize from the store.
    """

    __slots__ = ("contact_id", "dropped", "limit", "newest", "rows", "run_end", "step")

    def __init__(self, contact_id: int, step: int = 16):
        self.contact_id = contact_id
        self.rows: list[Row] = []
        self.step = step
        self.limit = step
        self.dropped = 0
        """Rows of the unanswered run counted but not kept (all before ``run_end``)."""
        self.run_end: tuple[str, int] | None = None
        self.newest: tuple[str, int] | None = None

    def add(self, row: Row) -> bool:
        """Fold ``row`` in; ``False`` (and nothing kept) when the fold cannot be exact."""
        key = (row[4], row[0])
        if self.newest is None or key > self.newest:
            self.newest = key
        elif self.dropped:
            self.rows = []
            return False
        self.rows.append(row)
        if len(self.rows) >= self.limit:
            self.compact()
        return True

    def add_next(self, row: Row) -> bool:
        """``add`` for a caller that already knows each row comes after every row added
        before it, by time then id (an import's fold, whose reply fold checks that
        order): the order is not checked again. A fold is fed by one of the two only."""
        rows = self.rows
        rows.append(row)
        if len(rows) >= self.limit:
            self.compact()
        return True

    def compact(self) -> None:
        rows = self.rows
        rows.sort(key=_by_time)
        if self.dropped and self.run_end is not None:
            end = self.run_end
            if any(r[3] == _IN and not r[10] and (r[4], r[0]) > end for r in rows):
                self.dropped = 0  # answered after the run: the run no longer counts
        self.rows, dropped = essential_rows(rows)
        self.dropped += dropped
        if self.dropped:
            last = max(
                (r for r in self.rows if r[3] != _IN and r[2] == _SMS and not r[10]),
                key=_by_time,
            )
            self.run_end = (last[4], last[0])
        self.limit = len(self.rows) + self.step

    def summary(
        self,
        as_of: datetime | None = None,
        ahead: Sequence[Touch] = (),
        touch: Callable[[Row], Touch] = summary_touch,
    ) -> ContactState:
        """``summarize`` of every row added; with ``as_of``, of the rows as they stood
        then (every row added must be at or before it, and ``ahead`` holds the touches
        after it: a meeting there is scheduled), for the review of a past day; its
        ``last_event_at``, which the review does not read, then counts only the status
        changes of the rows kept. ``touch`` makes a row's ``Touch`` (a caller holding
        them already passes a lookup)."""
        self.compact()
        state = summarize(self.contact_id, [*map(touch, self.rows), *ahead], as_of)
        if self.dropped:
            state = replace(state, text_run=state.text_run + self.dropped)
        return state


_by_time = itemgetter(4, 0)
"""A row's ``(at, id)``: the order of a history."""


def summarize_rows(contact_id: int, rows: Sequence[Row]) -> ContactState:
    """The whole-history summary of a contact from its stored rows."""
    fold = HistoryFold(contact_id)
    for row in rows:
        fold.add(row)
    return fold.summary()
