"""``tracker.review_days`` against the rules it indexes: on random contacts, summaries and
settings, no item is in the day's queue outside the windows, and ``items_for`` puts the
same items in the day's queue on every day from one boundary to the next (lapsed items
are not the day's work: when they leave is not a boundary)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.conftest import TZ, TZ_NAME
from tracker.config import Settings
from tracker.models import Channel, Contact, ContactState, InviteStatus
from tracker.review import items_for
from tracker.review_days import due_days
from tracker.timeutil import Clock, end_of_day, local_date, start_of_day

BASE = date(2026, 10, 1)


def _moment(rng: random.Random) -> datetime | None:
    if rng.random() < 0.4:
        return None
    day = BASE + timedelta(days=rng.randint(-40, 30))
    return start_of_day(day, TZ) + timedelta(seconds=rng.randint(0, 86_399))


def _case(rng: random.Random) -> tuple[Contact, ContactState, Settings]:
    out = _moment(rng)
    contact = Contact(
        id=1,
        name="Dana Fictional",
        phone="+13125550142" if rng.random() < 0.7 else "",
        email="dana@example.com" if rng.random() < 0.5 else "",
        sms_opt_out_at=out,
        sms_opt_in_at=_moment(rng) if out else None,
        follow_up_on=BASE + timedelta(days=rng.randint(-20, 30)) if rng.random() < 0.3 else None,
        follow_up_set_at=_moment(rng),
        keep_in_touch_days=rng.choice((None, None, 3, 10)),
        created_at=_moment(rng) or datetime(2026, 1, 1, tzinfo=UTC),
    )
    run = rng.choice((0, 0, 1, 2, 3))
    first_text, last_text = sorted((_moment(rng) or BASE_AT, _moment(rng) or BASE_AT))
    state = ContactState(
        contact_id=1,
        last_touch_at=_moment(rng),
        last_inbound_at=_moment(rng),
        last_outbound_at=_moment(rng),
        invite_sent_at=_moment(rng),
        invite_status=rng.choice([None, *(s.value for s in InviteStatus)]),
        invite_status_at=_moment(rng),
        thank_since=_moment(rng),
        call_since=_moment(rng),
        no_reply_since=_moment(rng),
        no_reply_channel=rng.choice((Channel.EMAIL.value, Channel.LINKEDIN_MESSAGE.value)),
        text_run=run,
        text_run_first=first_text if run else None,
        text_run_last=last_text if run else None,
        text_run_switched_at=_moment(rng) if run and rng.random() < 0.3 else None,
        meeting_scheduled_at=_moment(rng) if rng.random() < 0.1 else None,
    )
    settings = Settings(
        timezone=TZ_NAME,
        stale_invite_days=rng.randint(0, 20),
        resend_invite_days=rng.randint(0, 20),
        thank_window_days=rng.randint(0, 20),
        no_reply_days=rng.randint(0, 6),
        unanswered_text_days=rng.randint(0, 3),
        step_back_run=rng.randint(1, 3),
        horizon_days=rng.randint(0, 15),
    )
    return contact, state, settings


BASE_AT = start_of_day(BASE, TZ)


@pytest.mark.parametrize("seed", range(40))
def test_items_change_only_at_the_boundaries_and_only_inside_windows(seed: int):
    rng = random.Random(seed)
    for _ in range(25):
        contact, state, settings = _case(rng)
        due = due_days(contact, state, settings, TZ)
        bounds = {day for window in due.windows for day in window if day is not None}
        bounds.update(due.changes)
        # A summary as of a day holds nothing later than that day (the contact's own
        # dates may fall anywhere): the days asked start with its latest moment's.
        moments = [
            value
            for key, value in state.__dict__.items()
            if isinstance(value, datetime) and key != "meeting_scheduled_at"
        ]
        since = max((local_date(m, TZ) for m in moments), default=BASE)
        previous: tuple[str, ...] | None = None
        for offset in range(80):
            day = since + timedelta(days=offset)
            clock = Clock(end_of_day(day, TZ), TZ)
            items = items_for(contact, state, clock, settings)
            shown = tuple(sorted(i.kind.value for i in items if not i.lapsed))
            inside = any(a <= day and (b is None or day < b) for a, b in due.windows)
            if not inside:
                assert not shown, (seed, day, contact, state, settings)
            if previous is not None and day not in bounds:
                assert shown == previous, (seed, day, contact, state, settings)
            previous = shown


def test_a_window_per_rule_on_a_known_summary():
    sent = start_of_day(date(2026, 10, 1), TZ) + timedelta(hours=9)
    contact = Contact(id=1, name="Dana Fictional", keep_in_touch_days=10)
    state = ContactState(
        contact_id=1,
        invite_sent_at=sent,
        invite_status=InviteStatus.PENDING.value,
        last_touch_at=sent,
    )
    settings = Settings(timezone=TZ_NAME)
    due = due_days(contact, state, settings, TZ)
    # keep_in_touch once older than 10 days; stale_invite at 14 days.
    assert sorted(due.windows) == [(date(2026, 10, 12), None), (date(2026, 10, 15), None)]
    assert due.live(date(2026, 10, 1), date(2026, 10, 10)) == []
