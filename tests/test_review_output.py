"""The review's output, byte for byte, on a fixed random history: what ``review`` prints
as JSON, CSV, markdown and tables (``--all``, ``--why``, ``--sort priority``), what ``export
review`` writes and what Today's snapshot holds stay exactly what they were before the
review's hot path was made faster (the files in ``tests/fixtures/review_output`` were
written by the code before that work, on main's features: key dates, WhatsApp, the next
meeting).

``OUTREACH_WRITE_REVIEW_OUTPUT=1 pytest tests/test_review_output.py`` writes them again
(only for a deliberate change of the output).

The same history with contacts enrolled in sequences (some paused, some ended) prints
what main's rules printed for it (``review-sequences*``, written by main's code before the
fast path met sequences): ``sequence_step`` items in their place, the kinds a running
sequence holds left out."""

from __future__ import annotations

import json
import os
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helpers import Outreach
from tests.conftest import TZ
from tracker.config import Settings
from tracker.models import KeyDate, Kind
from tracker.service import Tracker, open_store
from tracker.store.key_dates import key_date_row
from tracker.timeutil import Clock, end_of_day

FIXTURES = Path(__file__).parent / "fixtures" / "review_output"
WRITE = os.environ.get("OUTREACH_WRITE_REVIEW_OUTPUT") == "1"
AS_OF = "2026-03-15"
END = end_of_day(date.fromisoformat(AS_OF), TZ)
DAY = 86_400.0

NAMES = (
    "Ana Ng",
    "Björn Müller",
    'Dev "DJ" Patel',
    "O'Brien, Siobhán",
    "=SUM(A1)",
    "Zoë 王",
    "Rossi\u202eevil",
    "Kim\x85Lee",
    "José Da-Silva",
)
COMPANIES = ("Acme", "Globex, Inc.", 'The "Best" Co', "=Cyberdyne", "", "@Hooli", "Wayne & Sons")
TEXTS = (
    "Hi {n}, does Tuesday at 10 work?",
    "Thanks for the chat! Deck by Friday, ok?",
    'He said "maybe", so: still on?',
    "Notes:\n- pricing\n- timeline, next steps",
    '=HYPERLINK("http://x","y")',
    "+13125550142",
    "-- call back after 3pm",
    "line one\r\nline two 👍",
    "bidi \u202e and C1 \x9b here",
    "",
)
CHANNELS = ("sms", "sms", "sms", "email", "email", "linkedin_message", "call", "meeting", "other")
CHANNELS += ("whatsapp",)
LABELS = ("birthday", "birthday", "renewal", "work anniversary")
SNOOZED_KINDS = [kind for kind in Kind if kind is not Kind.SEQUENCE_STEP]
"""The kinds a snooze picks from: those the history was first drawn with (a kind added
since would draw another history; sequences have a history of their own below)."""


def _stored(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()[:19] + "Z"


def _touches(rng: random.Random, contact_id: int) -> list[dict[str, Any]]:
    """A short, busy history: most of it in the last 70 days, a little after the as-of
    moment (a past day's review, a meeting scheduled ahead), a few at one instant."""
    rows: list[dict[str, Any]] = []
    moments = sorted(
        END - timedelta(seconds=rng.uniform(-3 * DAY, 70 * DAY)) for _ in range(rng.randint(0, 9))
    )
    if moments and rng.random() < 0.1:
        moments.append(moments[-1])  # two touches at the same instant
    if rng.random() < 0.45:
        sent = END - timedelta(seconds=rng.uniform(0, 60 * DAY))
        status = rng.choice(("pending", "pending", "accepted", "ignored", "withdrawn"))
        row: dict[str, Any] = {
            "channel": "linkedin_invite",
            "direction": "out",
            "at": _stored(sent),
            "has_note": rng.random() < 0.5,
            "status": status,
            "is_group": False,
            "moment": rng.choice(("cold", "after_event", None)),
            "text": rng.choice(TEXTS).format(n=contact_id) or None,
        }
        if status != "pending":
            row["status_at"] = _stored(sent + timedelta(seconds=rng.uniform(60, 20 * DAY)))
        rows.append(row)
    for moment in moments:
        channel = rng.choice(CHANNELS)
        direction = rng.choice(("out", "out", "in"))
        row = {
            "channel": channel,
            "direction": direction,
            "at": _stored(moment),
            "is_group": channel == "sms" and rng.random() < 0.08,
            "text": rng.choice(TEXTS).format(n=contact_id) or None,
        }
        if channel == "call":
            row["status"] = rng.choice(("connected", "connected", "no_answer", "voicemail"))
        rows.append(row)
    for row in rows:
        row["contact_id"] = contact_id
    return rows


def build(path: Path) -> None:
    """A fixed history of 400 contacts with every kind of item due, some snoozed, some
    marked done, some lapsed."""
    rng = random.Random(20)
    store = open_store(path)
    contacts = []
    for i in range(400):
        row: dict[str, Any] = {
            "name": f"{rng.choice(NAMES)} {i}",
            "company": rng.choice(COMPANIES),
            "segment": rng.choice(("decision_maker", "influencer", "champion", "mirror", None)),
            "relationship": rng.choice(("stranger", "friend", None)),
            "created_at": _stored(END - timedelta(days=rng.uniform(1, 200))),
        }
        if rng.random() < 0.7:
            row["phone"] = f"+1312555{i:04d}"
        if rng.random() < 0.6:
            row["email"] = f"person{i}@example.com"
        if rng.random() < 0.6:
            row["linkedin_url"] = f"https://www.linkedin.com/in/person-{i}"
        if rng.random() < 0.12:
            row["keep_in_touch_days"] = rng.choice((7, 14, 30))
        contacts.append(row)
    tags = [("prospect", "q1") if i % 5 == 0 else () for i in range(400)]
    ids = store.insert_contacts_bulk(contacts, tags)
    store.insert_touches_bulk(t for i in ids for t in _touches(rng, i))
    with store.write():
        for contact_id in ids:
            if rng.random() < 0.15:
                due = END.date() + timedelta(days=rng.randint(-40, 5))
                set_at = END - timedelta(days=rng.choice((50, 50, -1)))
                store.set_follow_up(contact_id, due, rng.choice(("send the deck", "")), set_at)
            if rng.random() < 0.2:
                opt_out = END - timedelta(days=rng.uniform(1, 30)) if rng.random() < 0.3 else None
                store.set_consent(contact_id, END - timedelta(days=100), opt_out)
            if rng.random() < 0.04:
                until = END.date() + timedelta(days=rng.randint(-2, 5))
                store.snooze(contact_id, rng.choice(SNOOZED_KINDS), until)
    key_dates = []
    for contact_id in ids:
        if rng.random() < 0.12:  # a birthday or other date around the day, some with a year
            on = END.date() - timedelta(days=rng.randint(-3, 12))
            year = rng.choice((None, on.year - rng.randint(1, 40)))
            key_date = KeyDate(rng.choice(LABELS), on.month, on.day, year)
            key_dates.append(key_date_row(contact_id, key_date))
    store.insert_key_dates(key_dates)
    tracker = Tracker(store, Settings(timezone="America/Chicago"), TZ)
    clock = Clock(END, TZ)
    items = tracker.full_review(clock).everything()
    tracker.mark_done([(item.contact_id, item.kind) for item in items[::17]], clock)
    store.close()


def enroll_some(path: Path) -> None:
    """Enroll about a third of the history's contacts in the built-in sequences, started
    over the last month (some before the history's touches that end or advance them),
    pause a few across the day and end a few."""
    rng = random.Random(21)
    store = open_store(path)
    tracker = Tracker(store, Settings(timezone="America/Chicago"), TZ)
    ids = [row[0] for row in store.execute("SELECT id FROM contacts ORDER BY id")]
    enrolled = []
    for contact_id in ids:
        if rng.random() < 0.35:
            start = END.date() - timedelta(days=rng.randint(0, 30))
            name = rng.choice(("linkedin-first", "call-first"))
            now = end_of_day(start, TZ) - timedelta(hours=rng.uniform(1, 12))
            tracker.enroll([contact_id], name, start, now)
            enrolled.append((contact_id, start))
    for contact_id, start in enrolled:
        roll = rng.random()
        if roll < 0.08:
            pause_on = start + timedelta(days=rng.randint(0, 5))
            until = END.date() + timedelta(days=rng.randint(-3, 4))
            if until > pause_on:
                tracker.pause_sequences([contact_id], until, pause_on, end_of_day(pause_on, TZ))
        elif roll < 0.12:
            tracker.unenroll([contact_id], "fell silent", END - timedelta(days=1))
    store.close()


@pytest.fixture(scope="module")
def sequence_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("review-output-sequences") / "history.db"
    build(path)
    enroll_some(path)
    return path


SEQUENCE_COMMANDS = {
    "review-sequences.json": ("review", "--format", "json", "--all"),
    "review-sequences-priority.json": ("review", "--format", "json", "--sort", "priority"),
    "review-sequences.txt": ("review", "--all"),
}


@pytest.mark.parametrize("name", SEQUENCE_COMMANDS)
def test_the_review_with_sequences_prints_what_main_printed(
    sequence_history: Path, name: str, monkeypatch
):
    monkeypatch.setenv("COLUMNS", "200")
    result = Outreach(sequence_history)(*SEQUENCE_COMMANDS[name], "--as-of", AS_OF)
    check(name, result.stdout_bytes.decode("utf-8"))


def test_the_sequence_history_has_steps_and_holds(sequence_history: Path, history: Path):
    with_steps = Outreach(sequence_history).json(
        "review", "--format", "json", "--all", "--as-of", AS_OF
    )
    plain = Outreach(history).json("review", "--format", "json", "--all", "--as-of", AS_OF)
    steps = [item for item in with_steps if item["kind"] == "sequence_step"]
    assert len(steps) >= 20
    assert {item["age_days"] for item in steps} - {0}  # some overdue
    held = {(i["contact_id"], i["kind"]) for i in plain} - {
        (i["contact_id"], i["kind"]) for i in with_steps
    }
    assert {kind for _, kind in held} >= {"no_reply", "keep_in_touch"}


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("review-output") / "history.db"
    build(path)
    return path


def check(name: str, text: str) -> None:
    path = FIXTURES / name
    if WRITE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert text == path.read_bytes().decode("utf-8")


COMMANDS = {
    "review.json": ("review", "--format", "json"),
    "review-all.json": ("review", "--format", "json", "--all"),
    "review-priority.json": ("review", "--format", "json", "--all", "--sort", "priority"),
    "review.csv": ("review", "--format", "csv", "--all"),
    "review.txt": ("review",),
    "review-why-all.txt": ("review", "--why", "--all", "--sort", "priority"),
    "export-review.csv": ("export", "review"),
    "review.md": ("review", "--format", "markdown"),
}


@pytest.mark.parametrize("name", COMMANDS)
def test_the_review_prints_what_it_printed(history: Path, name: str, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    result = Outreach(history)(*COMMANDS[name], "--as-of", AS_OF)
    check(name, result.stdout_bytes.decode("utf-8"))


def test_the_history_has_every_kind_lapsed_items_and_messages(history: Path):
    items = Outreach(history).json("review", "--format", "json", "--all", "--as-of", AS_OF)
    assert {item["kind"] for item in items} >= {
        "thank_new_connection",
        "after_call_text",
        "follow_up_due",
        "no_reply",
        "unanswered_text",
        "step_back",
        "stale_invite",
        "resend_invite",
        "keep_in_touch",
        "key_date",
    }
    assert any(item["reason"].startswith("WhatsApp message sent") for item in items)
    assert sum(item["lapsed"] for item in items) >= 20
    assert sum(bool(item["last_message"]) for item in items) >= 200


def test_todays_snapshot_holds_what_it_held(history: Path):
    check("today.json", _snapshot(history))


def test_todays_snapshot_with_sequences_holds_what_main_held(sequence_history: Path):
    check("today-sequences.json", _snapshot(sequence_history))


def _snapshot(history: Path) -> str:
    store = open_store(history)
    tracker = Tracker(store, Settings(timezone="America/Chicago"), TZ)
    try:
        snapshot = tracker.day(Clock(END, TZ))
    finally:
        store.close()
    shown = {
        "done": snapshot.done,
        "entries": [_entry(e) for e in snapshot.entries],
        "lapsed": [_entry(e) for e in snapshot.lapsed],
    }
    return json.dumps(shown, ensure_ascii=False, indent=1) + "\n"


def _entry(entry: Any) -> list[Any]:
    item = entry.item
    return [
        entry.key,
        entry.preview,
        entry.preview_out,
        entry.follow_up_reason,
        _stored(item.since),
        item.age_days,
        item.reason,
        item.action,
        item.last_message,
        item.lapsed,
        {k: str(v) for k, v in item.details.items()},
        item.priority.explain(),
    ]
