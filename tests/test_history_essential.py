"""A folded history summarizes exactly like the whole one (``tracker.history``).

Summaries of long histories are computed from their essential rows only, both when the
store refreshes a contact and while an import streams new touches past; these checks
compare that with ``summarize`` over every touch, on many random histories built to hit
ties, group touches, blank texts, calls, invitations, long unanswered runs, and switches
of channel after the texts (followed by touches that are none).
"""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from tracker.history import HistoryFold, Row, essential_rows, summary_touch
from tracker.models import ContactState
from tracker.state import summarize

CHANNELS = (
    *("sms", "sms", "sms", "email", "linkedin_message", "linkedin_invite", "call", "meeting"),
    *("other", "other", "linkedin_invite"),  # outbound touches that are no switch of channel
)
TEXTS = (None, "", "  ", "\u00a0", "hi", "STOP", "ok\n")
CALL_STATUSES = (None, "", "connected", "no_answer", "voicemail")
INVITE_STATUSES = ("pending", "accepted", "ignored", "withdrawn")


def _moment(rng: random.Random) -> str:
    return f"2024-0{rng.randint(1, 3)}-1{rng.randint(0, 2)}T10:00:0{rng.randint(0, 3)}Z"


def history(rng: random.Random, size: int, texting: float) -> list[Row]:
    rows = []
    for touch_id in range(1, size + 1):
        if rng.random() < texting:
            channel, direction = "sms", "out"
        else:
            channel, direction = rng.choice(CHANNELS), rng.choice(("in", "out"))
        status = status_at = None
        if channel == "call":
            status = rng.choice(CALL_STATUSES)
        elif channel == "linkedin_invite" and direction == "out":
            status = rng.choice(INVITE_STATUSES)
            status_at = _moment(rng) if status != "pending" else None
        note = rng.choice((None, 0, 1))
        group = int(rng.random() < 0.15)
        text = rng.choice(TEXTS)
        at = _moment(rng)
        rows.append(
            (touch_id, 7, channel, direction, at, text, status, status_at, note, None, group, "s")
        )
    return rows


def switched(rng: random.Random) -> list[Row]:
    """A history whose end is a run of texts, then a switch of channel (a call of any
    status, a meeting, an email, a message), then outbound touches that are no switch."""
    rows = history(rng, rng.randint(0, 12), rng.random())
    moment = 0

    def add(channel: str, status: str | None = None, group: int = 0) -> None:
        nonlocal moment
        moment += rng.randint(0, 1)  # ties too
        at = f"2024-05-01T10:{moment:02d}:00Z"
        text = rng.choice(TEXTS)
        row = (len(rows) + 1, 7, channel, "out", at, text, status, None, None, None, group, "s")
        rows.append(row)

    for _ in range(rng.randint(1, 5)):
        add("sms")
    switch = rng.choice(("call", "meeting", "email", "linkedin_message"))
    add(switch, rng.choice(CALL_STATUSES) if switch == "call" else None)
    for _ in range(rng.randint(0, 12)):
        channel = rng.choice(("other", "linkedin_invite", "sms"))
        add(channel, "pending" if channel == "linkedin_invite" else None, int(rng.random() < 0.2))
    return rows


def _by_time(row: Row) -> tuple[str, int]:
    return (row[4], row[0])


def whole(rows: list[Row]) -> ContactState:
    return summarize(7, [summary_touch(r) for r in sorted(rows, key=_by_time)])


def test_essential_rows_summarize_like_the_whole_history() -> None:
    rng = random.Random(11)
    for _ in range(3000):
        rows = sorted(history(rng, rng.randint(0, 40), rng.random()), key=_by_time)
        kept, dropped = essential_rows(rows)
        assert kept == [r for r in rows if r in kept]  # a subset, in order
        state = summarize(7, [summary_touch(r) for r in kept])
        assert replace(state, text_run=state.text_run + dropped) == whole(rows)


def test_a_switch_of_channel_after_the_texts_survives_the_cut() -> None:
    rng = random.Random(14)
    switches = 0
    for _ in range(2000):
        rows = sorted(switched(rng), key=_by_time)
        kept, dropped = essential_rows(rows)
        state = summarize(7, [summary_touch(r) for r in kept])
        assert replace(state, text_run=state.text_run + dropped) == whole(rows)
        fold = HistoryFold(7, step=rng.randint(1, 12))
        assert all(fold.add(r) for r in rows)
        assert fold.summary() == whole(rows)
        switches += whole(rows).text_run_switched_at is not None
    assert switches > 500


@pytest.mark.parametrize("checked", [True, False], ids=["add", "add_next"])
def test_a_fold_in_order_equals_the_whole_history(checked: bool) -> None:
    """Whether the fold checks the order (``add``) or its caller did (``add_next``)."""
    rng = random.Random(12)
    for _ in range(2000):
        rows = sorted(history(rng, rng.randint(0, 120), rng.random()), key=_by_time)
        fold = HistoryFold(7, step=rng.randint(1, 12))
        add = fold.add if checked else fold.add_next
        assert all(add(r) for r in rows)
        assert len(fold.rows) <= 16 + fold.step
        assert fold.summary() == whole(rows)


def test_a_fold_in_any_order_is_exact_or_says_it_cannot_be() -> None:
    rng = random.Random(13)
    exact = refused = 0
    for _ in range(3000):
        rows = history(rng, rng.randint(0, 120), rng.random())
        arrival = rows[:]
        if rng.random() < 0.7:
            rng.shuffle(arrival)
        else:  # mostly in order, a few stragglers at the end (texts, then MMS)
            arrival.sort(key=_by_time)
            late = [arrival.pop(rng.randrange(len(arrival))) for _ in range(min(3, len(arrival)))]
            arrival += late
        fold = HistoryFold(7, step=rng.randint(1, 12))
        if all(fold.add(r) for r in arrival):
            assert fold.summary() == whole(rows)
            exact += 1
        else:
            refused += 1
    assert exact > 1000 and refused > 10
