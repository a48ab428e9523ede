"""A dense random history for the what-if tests: a few hundred fictional contacts, every
kind of touch over a few months (across the November daylight-saving change), written
through the store's bulk API so it is quick to build."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tests.conftest import TZ
from tracker.models import BIRTHDAY, KeyDate
from tracker.service import Tracker
from tracker.timeutil import start_of_day, to_stored

START = date(2026, 9, 1)
END = date(2026, 11, 10)
"""The days the tests replay; touches begin two months before ``START``."""


def _moment(rng: random.Random, first: date, last: date) -> datetime:
    """A random local moment on a day from ``first`` to ``last`` (some at midnight)."""
    day = first + timedelta(days=rng.randint(0, (last - first).days))
    if rng.random() < 0.05:
        return start_of_day(day, TZ)
    return start_of_day(day, TZ) + timedelta(seconds=rng.randint(0, 86_399))


def _touch(rng: random.Random, contact_id: int, at: datetime) -> dict[str, Any]:
    roll = rng.random()
    row: dict[str, Any] = {"contact_id": contact_id, "at": to_stored(at), "is_group": False}
    if roll < 0.30:
        row.update(channel="sms", direction="out", text=rng.choice(("Hi!", "Still on?", "")))
    elif roll < 0.42:
        row.update(channel="sms", direction="in", text="Sounds good")
    elif roll < 0.52:
        row.update(channel="email", direction=rng.choice(("out", "out", "in")), text="Re: pilot")
    elif roll < 0.60:
        row.update(channel="linkedin_message", direction=rng.choice(("out", "in")), text="Hello")
    elif roll < 0.72:
        status = rng.choice(("connected", "connected", "no_answer", "voicemail"))
        row.update(channel="call", direction=rng.choice(("out", "in")), status=status)
    elif roll < 0.76:
        row.update(channel="meeting", direction="out", text="Coffee")
    elif roll < 0.90:
        row.update(channel="linkedin_invite", direction="out", has_note=rng.random() < 0.5)
        status = rng.choice(("pending", "accepted", "accepted", "ignored", "withdrawn"))
        row["status"] = status
        if status != "pending":
            row["status_at"] = to_stored(at + timedelta(hours=rng.uniform(1, 24 * 40)))
    elif roll < 0.95:
        row.update(channel="sms", direction=rng.choice(("out", "in")), text="All", is_group=True)
    else:
        row.update(channel="other", direction="out", text="Card")
    return row


def build(tracker: Tracker, contacts: int = 160, seed: int = 11) -> None:
    """Fill ``tracker``'s empty store with ``contacts`` contacts and their touches."""
    rng = random.Random(seed)
    store = tracker.store
    rows = []
    for i in range(contacts):
        row: dict[str, Any] = {"name": f"Fictional Person {i}"}
        if rng.random() < 0.8:
            row["phone"] = f"+1312555{i:04d}"
        if rng.random() < 0.6:
            row["email"] = f"person{i}@example.com"
        if rng.random() < 0.15:
            row["keep_in_touch_days"] = rng.choice((7, 14, 30))
        created = _moment(rng, START - timedelta(days=90), END)
        row["created_at"] = to_stored(created)
        rows.append(row)
    ids = store.insert_contacts_bulk(rows)
    touches = []
    for contact_id in ids:
        for _ in range(rng.randint(0, 22)):
            touches.append(_touch(rng, contact_id, _moment(rng, START - timedelta(days=60), END)))
        if rng.random() < 0.05:  # a meeting ahead of the last day replayed
            at = _moment(rng, END + timedelta(days=1), END + timedelta(days=20))
            touches.append(
                {"contact_id": contact_id, "at": to_stored(at), "channel": "meeting"}
                | {"direction": "out", "is_group": False}
            )
    touches.sort(key=lambda t: (t["contact_id"], t["at"]))
    store.insert_touches_bulk(touches)
    with store.write():
        for contact_id in ids:
            if rng.random() < 0.12:
                due = START + timedelta(days=rng.randint(-10, 100))
                set_at = _moment(rng, due - timedelta(days=20), due)
                store.set_follow_up(contact_id, due, "send the proposal", set_at.astimezone(UTC))
            if rng.random() < 0.1:  # a birthday or a renewal in the period (or around it)
                on = START + timedelta(days=rng.randint(-5, (END - START).days + 5))
                label = rng.choice((BIRTHDAY, "renewal"))
                year = rng.choice((None, 1988))
                store.set_key_dates(contact_id, {label: KeyDate(label, on.month, on.day, year)})
            if rng.random() < 0.08:
                out = _moment(rng, START, END)
                back = out + timedelta(days=rng.randint(3, 30)) if rng.random() < 0.4 else None
                store.set_consent(contact_id, back, out)
