"""The insights read from SQL counts and the stored reply facts, and account health with
its acceptance ages counted in SQL, give exactly the figures the old row-by-row rules
gave (``tests/stats_reference.py``), on random histories in
awkward time zones: periods starting on a touch's very second, clocks set on a status
change's second, Newfoundland's clock going back across midnight, offsets of 5:45 and
-0:44:30, half-hour daylight saving, moments before 1970, filters by tag and segment,
and settings moved off their defaults. And the facts stay exactly what a fold of the
whole history gives after every kind of write."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.stats_reference import reference_health, reference_stats
from tracker.config import Settings
from tracker.health import acceptance_ages, invitations_as_of
from tracker.local_time import epoch, offsets
from tracker.models import Moment
from tracker.replies import facts_of
from tracker.service import Tracker, open_store
from tracker.timeutil import start_of_day, to_stored

CHANNELS = ("sms", "email", "linkedin_message", "whatsapp", "call", "meeting", "other")
# Values an old file or another tool may hold besides the known ones: empty, unknown.
SEGMENTS = ("decision_maker", "influencer", "champion", "mirror", "other", None, "", "partner")
STATUSES = ("accepted", "ignored", "withdrawn", "pending", None, "", "expired")
TAGS = ("expo", "q4", "vip")

# (zone, the review day, a moment the histories crowd around)
ZONES = [
    ("America/Chicago", date(2026, 11, 23), datetime(2026, 11, 1, 7, 0, tzinfo=UTC)),
    # Fell back at 00:01 local on 2005-10-30: minutes of the 29th came again after midnight.
    ("America/St_Johns", date(2005, 11, 28), datetime(2005, 10, 30, 2, 30, tzinfo=UTC)),
    ("Asia/Kathmandu", date(2026, 3, 2), datetime(2026, 2, 1, 18, 15, tzinfo=UTC)),
    ("Australia/Lord_Howe", date(2026, 4, 30), datetime(2026, 4, 4, 15, 0, tzinfo=UTC)),
    ("UTC", date(2026, 1, 31), datetime(2026, 1, 1, 0, 0, tzinfo=UTC)),
    # -0:44:30 until 1972-01-07: an offset that splits quarter-hours.
    ("Africa/Monrovia", date(1972, 2, 5), datetime(1972, 1, 7, 0, 44, 30, tzinfo=UTC)),
    # Before 1970 (negative epoch seconds), as British Standard Time began in 1968.
    ("Europe/London", date(1968, 3, 1), datetime(1968, 2, 18, 2, 0, tzinfo=UTC)),
]


def _stamp(moment: datetime) -> str:
    return to_stored(moment)


def _history(tracker: Tracker, rng: random.Random, crowd: datetime, days: int) -> None:
    """Contacts and touches around ``crowd`` (some on its very second, some in the last
    ``days`` days before it, some after), through the store's bulk paths."""
    store = tracker.store
    contacts = []
    tags = []
    for i in range(rng.randint(15, 30)):
        row: dict[str, Any] = {
            "name": f"Person {i}",
            "segment": rng.choice(SEGMENTS),
            "created_at": _stamp(crowd - timedelta(days=rng.uniform(0, days * 1.5))),
        }
        contacts.append(row)
        tags.append(tuple(rng.sample(TAGS, rng.randint(0, 2))))
    ids = store.insert_contacts_bulk(contacts, tags)

    def moment() -> datetime:
        roll = rng.random()
        if roll < 0.15:  # on the crowded second, or minutes around it
            return crowd + timedelta(minutes=rng.choice((0, 0, -1, 1, 29, 31, 59, 61, 90)))
        if roll < 0.25:  # after it
            return crowd + timedelta(hours=rng.uniform(0, 24 * 40))
        return crowd - timedelta(hours=rng.uniform(0, 24 * days))

    rows = []
    for contact_id in ids:
        for _ in range(rng.randint(0, 30)):
            at = moment()
            channel = rng.choice((*CHANNELS, "sms", "sms", "linkedin_invite"))
            row = {
                "contact_id": contact_id,
                "channel": channel,
                "direction": rng.choice(("in", "out", "out")),
                "at": _stamp(at),
                "is_group": rng.random() < 0.08,
                "text": rng.choice(("", "hi", "ok")),
            }
            if channel == "linkedin_invite":
                row["direction"] = "out"
                status = rng.choice(STATUSES)
                row["status"] = status
                if status or rng.random() < 0.2:
                    changed = at + timedelta(hours=rng.choice((0, 1, 30, 24 * 9, 24 * 40)))
                    row["status_at"] = _stamp(changed)
                row["has_note"] = rng.choice((True, False, None))
                row["moment"] = rng.choice((*[m.value for m in Moment], None, ""))
                row["template"] = rng.choice(("warm", "cold", "", None))
            rows.append(row)
    store.insert_touches_bulk(rows)
    with store.write():
        for contact_id in ids:
            if rng.random() < 0.3:
                due = (crowd + timedelta(days=rng.randint(-10, 12))).date()
                store.set_follow_up(contact_id, due, "", crowd)


def _moments(tracker: Tracker, review_day: date, crowd: datetime) -> list[Any]:
    """The clocks to compare at: the review day (end of it), the crowded second itself,
    the second of a status change, and a day before the history ends."""
    found: list[Any] = [review_day.isoformat(), crowd, crowd - timedelta(seconds=1)]
    changed = tracker.store.scalar(
        "SELECT status_at FROM touches WHERE status_at IS NOT NULL ORDER BY id LIMIT 1"
    )
    if changed:
        found.append(datetime.fromisoformat(changed))
    return found


def _periods(tracker: Tracker, clock_day: date, crowd: datetime) -> list[date | None]:
    """All time, the crowded second's local day (touches on its first second), the day
    after, and 30 / 365 days back."""
    crowd_day = crowd.astimezone(tracker.tz).date()
    return [
        None,
        crowd_day,
        crowd_day + timedelta(days=1),
        clock_day - timedelta(days=29),
        clock_day - timedelta(days=364),
    ]


def _compare(tracker: Tracker, since: date | None, tag: str, segment: str, as_of: Any) -> None:
    new = tracker.stats(since, tag, segment, as_of)
    old = reference_stats(tracker, since, tag, segment, as_of)
    for key in old:
        assert new[key] == old[key], (key, since, tag, segment, as_of)
    assert new == old


@pytest.mark.parametrize(("zone", "review_day", "crowd"), ZONES, ids=[z[0] for z in ZONES])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_same_figures_as_the_row_by_row_rules(
    tmp_path: Path, zone: str, review_day: date, crowd: datetime, seed: int
) -> None:
    rng = random.Random(seed)
    tz = ZoneInfo(zone)
    settings = Settings(
        timezone=zone,
        stale_invite_days=rng.choice((21, 30, 1)),
        step_back_run=rng.choice((3, 2, 1)),
        min_sample=rng.choice((10, 1)),
    )
    store = open_store(tmp_path / f"{seed}.db")
    try:
        tracker = Tracker(store, settings, tz)
        _history(tracker, rng, crowd, days=rng.choice((60, 400)))
        for day in (21, 22, 23):
            store.close_review(review_day - timedelta(days=day), rng.randint(0, 3), 1)
        for as_of in _moments(tracker, review_day, crowd):
            clock_day = tracker.clock(as_of).today
            for since in _periods(tracker, clock_day, crowd):
                _compare(tracker, since, "", "", as_of)
            assert tracker.health(as_of) == reference_health(tracker, as_of), as_of
            assert _ages(tracker, as_of) == _reference_ages(tracker, as_of), as_of
        for tag, segment in (("expo", ""), ("", "other"), ("vip", "decision_maker")):
            _compare(tracker, None, tag, segment, review_day.isoformat())
            _compare(tracker, review_day - timedelta(days=40), tag, segment, crowd)
    finally:
        store.close()


def _ages(tracker: Tracker, as_of: Any) -> list[int]:
    clock = tracker.clock(as_of)
    until = epoch(clock.as_of)
    first = tracker.store.first_touch_at()
    zone = offsets(tracker.tz, min(epoch(first), until) if first else until, until)
    return tracker.store.acceptance_ages(to_stored(clock.as_of), zone)


def _reference_ages(tracker: Tracker, as_of: Any) -> list[int]:
    """Every acceptance's age in local days, the old way (rows and ``local_date``)."""
    clock = tracker.clock(as_of)
    rows = tracker.store.execute(
        "SELECT at, status, status_at, has_note FROM touches"
        " WHERE channel = 'linkedin_invite' AND direction = 'out'"
    )
    return acceptance_ages(invitations_as_of(rows, clock.as_of), tracker.tz)


def test_a_period_starts_on_its_first_second(tracker: Tracker) -> None:
    """A message sent on the very second the period starts is in it; one a second
    earlier is not (both in the old rules and in SQL)."""
    store = tracker.store
    [contact] = store.insert_contacts_bulk([{"name": "Ann Edge"}])
    first = start_of_day(date(2026, 11, 1), tracker.tz)
    rows = [
        {"contact_id": contact, "channel": "sms", "direction": "out", "at": _stamp(first)},
        {
            "contact_id": contact,
            "channel": "email",
            "direction": "out",
            "at": _stamp(first - timedelta(seconds=1)),
        },
        {
            "contact_id": contact,
            "channel": "sms",
            "direction": "in",
            "at": _stamp(first + timedelta(hours=2)),
        },
    ]
    store.insert_touches_bulk(rows)
    data = tracker.stats(date(2026, 11, 1), as_of="2026-11-23")
    by_channel = {r["channel"]: r for r in data["replies_by_channel"]}
    assert (by_channel["sms"]["sent"], by_channel["sms"]["replied"]) == (1, 1)
    assert by_channel["sms"]["median_hours_to_reply"] == 2.0
    assert by_channel["email"]["sent"] == 0
    assert data == reference_stats(tracker, date(2026, 11, 1), as_of="2026-11-23")


def stored_facts(tracker: Tracker) -> set[tuple[Any, ...]]:
    return set(
        tracker.store.execute(
            "SELECT touch_id, contact_id, channel, sent, run, replied FROM message_replies"
        )
    )


def folded_facts(tracker: Tracker) -> set[tuple[Any, ...]]:
    """The facts a fold of every contact's whole history gives."""
    found: set[tuple[Any, ...]] = set()
    histories: dict[int, list[tuple[Any, ...]]] = {}
    for row in tracker.store.execute(
        "SELECT id, contact_id, channel, direction, at, text, status, status_at, has_note,"
        " moment, is_group, source FROM touches ORDER BY contact_id, at, id"
    ):
        histories.setdefault(row[1], []).append(row)
    for contact_id, rows in histories.items():
        found.update(facts_of(contact_id, rows))
    return found


def test_facts_follow_the_bulk_paths(tmp_path: Path) -> None:
    store = open_store(tmp_path / "bulk.db")
    try:
        tracker = Tracker(store, Settings(timezone="America/Chicago"), ZoneInfo("America/Chicago"))
        _history(tracker, random.Random(9), datetime(2026, 11, 1, tzinfo=UTC), 90)
        assert stored_facts(tracker) == folded_facts(tracker)
        assert len(stored_facts(tracker)) > 50
        assert store.refresh_messages() == len(stored_facts(tracker))
        assert stored_facts(tracker) == folded_facts(tracker)
    finally:
        store.close()


def test_contacts_without_a_summary_row_still_count(tmp_path: Path) -> None:
    """The pipeline counts quiet contacts from the summaries' index only when every
    contact has its summary row; a file missing one is read contact by contact."""
    store = open_store(tmp_path / "gap.db")
    try:
        tracker = Tracker(store, Settings(timezone="America/Chicago"), ZoneInfo("America/Chicago"))
        _history(tracker, random.Random(4), datetime(2026, 11, 1, tzinfo=UTC), 200)
        full = tracker.stats(as_of="2026-11-23")
        assert full == reference_stats(tracker, as_of="2026-11-23")
        with store.write():
            store.execute("DELETE FROM contact_state WHERE contact_id IN (1, 2)")
        gap = tracker.stats(as_of="2026-11-23")
        assert gap == reference_stats(tracker, as_of="2026-11-23")
        assert gap["pipeline"]["no_touch_in_days"] != full["pipeline"]["no_touch_in_days"]
    finally:
        store.close()
