"""The what-if's fast replay equals the naive one: the live queue (``Tracker.queue``) asked
as of the end of every day, on a dense random history, under today's settings and
changed ones (DOMAIN.md, "What-if")."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from tests import whatif_history
from tests.conftest import TZ, TZ_NAME
from tracker.config import Settings
from tracker.models import Kind
from tracker.service import Tracker
from tracker.store import Store
from tracker.timeutil import Clock, end_of_day
from tracker.whatif import Days, contact_items, replay

FIRST, LAST = whatif_history.START, whatif_history.END
BASELINE = Settings(timezone=TZ_NAME)
CHANGED = Settings(
    timezone=TZ_NAME,
    stale_invite_days=21,
    step_back_run=1,
    horizon_days=12,
    no_reply_days=2,
    thank_window_days=5,
    resend_invite_days=9,
)
"""Changed thresholds, a short horizon among them, so items lapse inside the period."""


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Store:
    from tracker.service import open_store

    store = open_store(tmp_path_factory.mktemp("whatif") / "history.db")
    whatif_history.build(Tracker(store, BASELINE, TZ))
    return store


Queues = dict[date, set[tuple[int, Kind]]]
_NAIVE: dict[tuple[int, str], Queues] = {}


def _naive(store: Store, settings: Settings) -> Queues:
    """Each day's queue as ``Tracker.queue`` gives it as of the end of the day."""
    key = (id(store), repr(settings))
    if key not in _NAIVE:
        tracker = Tracker(store, settings, TZ)
        _NAIVE[key] = {
            day: {(i.contact_id, i.kind) for i in tracker.queue(Clock(end_of_day(day, TZ), TZ))}
            for day in _days(FIRST, LAST)
        }
    return _NAIVE[key]


@pytest.mark.parametrize("settings", [BASELINE, CHANGED], ids=["today", "changed"])
def test_the_fast_replay_equals_the_live_queue_day_by_day(built: Store, settings: Settings):
    tracker = Tracker(built, settings, TZ)
    histories = tracker.replay_histories(FIRST)
    assert sum(1 for h in histories if h.rows) > 100  # most contacts had touches in the period
    days = Days(FIRST, LAST, TZ)
    fast: Queues = {day: set() for day in _days(FIRST, LAST)}
    for history in histories:
        for kind, since, until in contact_items(history, settings, days):
            for day in _days(since, until):
                fast[day].add((history.contact.id, kind))
    naive = _naive(built, settings)
    for day in _days(FIRST, LAST):
        assert fast[day] == naive[day], day
    assert len(set().union(*naive.values())) > 300  # the history keeps the queue busy
    never = {Kind.UNANSWERED_TEXT} if settings.step_back_run == 1 else set()
    never.add(Kind.SEQUENCE_STEP)  # steps need enrollments, which the history has none of
    assert {kind for items in naive.values() for _, kind in items} == set(Kind) - never

    (load,) = replay(histories, [settings], FIRST, LAST, TZ)
    for index, day in enumerate(_days(FIRST, LAST)):
        counts = Counter(kind for _, kind in naive[day])
        assert {k: c[index] for k, c in load.by_day.items() if c[index]} == counts, day


def test_both_settings_in_one_pass_equal_each_alone(built: Store):
    tracker = Tracker(built, BASELINE, TZ)
    histories = tracker.replay_histories(FIRST)
    both = replay(histories, [BASELINE, CHANGED], FIRST, LAST, TZ)
    alone = [replay(histories, [s], FIRST, LAST, TZ)[0] for s in (BASELINE, CHANGED)]
    assert [load.by_day for load in both] == [load.by_day for load in alone]
    assert both[0].by_day != both[1].by_day


def test_the_service_replays_the_same_days(built: Store):
    tracker = Tracker(built, BASELINE, TZ)
    report = tracker.what_if(["review.step_back_run=1"], since=FIRST, until=LAST)
    naive = _naive(built, BASELINE)
    assert report.baseline.per_day() == [len(naive[day]) for day in _days(FIRST, LAST)]
    assert report.days == len(naive)
