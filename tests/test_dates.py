"""What people type for a day or a moment (``tracker.dates``), read one way everywhere."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from tracker.dates import next_week, parse_day, parse_moment
from tracker.errors import UsageError
from tracker.timeutil import parse_as_of, parse_date, parse_when

SUNDAY = date(2026, 12, 6)
NOW = datetime(2026, 12, 6, 10, 30, 15)  # a Sunday, local


@pytest.mark.parametrize(
    ("text", "ahead", "behind"),
    [
        ("today", SUNDAY, SUNDAY),
        ("Tomorrow", date(2026, 12, 7), date(2026, 12, 7)),
        ("yesterday", date(2026, 12, 5), date(2026, 12, 5)),
        ("friday", date(2026, 12, 11), date(2026, 12, 4)),
        ("fri", date(2026, 12, 11), date(2026, 12, 4)),
        ("sunday", date(2026, 12, 13), date(2026, 11, 29)),  # never today itself
        ("next friday", date(2026, 12, 11), date(2026, 12, 11)),
        ("last friday", date(2026, 12, 4), date(2026, 12, 4)),
        ("+3d", date(2026, 12, 9), date(2026, 12, 9)),
        ("+1w", date(2026, 12, 13), date(2026, 12, 13)),
        ("-2d", date(2026, 12, 4), date(2026, 12, 4)),
        ("in 3 days", date(2026, 12, 9), date(2026, 12, 9)),
        ("3 days ago", date(2026, 12, 3), date(2026, 12, 3)),
        ("2 weeks ago", date(2026, 11, 22), date(2026, 11, 22)),
        ("1 day ago", date(2026, 12, 5), date(2026, 12, 5)),
        ("2026-02-28", date(2026, 2, 28), date(2026, 2, 28)),
    ],
)
def test_days(text: str, ahead: date, behind: date):
    assert parse_day(text, SUNDAY, "ahead") == ahead
    assert parse_day(text, SUNDAY, "behind") == behind


@pytest.mark.parametrize(
    ("text", "day", "clock"),
    [
        ("yesterday", date(2026, 12, 5), time(10, 30, 15)),  # keeps the time of day
        ("yesterday 2pm", date(2026, 12, 5), time(14, 0)),
        ("yesterday 2 pm", date(2026, 12, 5), time(14, 0)),
        ("fri 14:00", date(2026, 12, 4), time(14, 0)),
        ("14:00", SUNDAY, time(14, 0)),
        ("9am", SUNDAY, time(9, 0)),
        ("12am", SUNDAY, time(0, 0)),
        ("12pm", SUNDAY, time(12, 0)),
        ("2:30 p.m.", SUNDAY, time(14, 30)),
        ("3 days ago", date(2026, 12, 3), time(10, 30, 15)),
        ("2026-12-01", date(2026, 12, 1), None),  # a date alone: 00:00 (the caller's)
        ("2026-12-01 09:30", date(2026, 12, 1), time(9, 30)),
        ("2026-12-01T09:30:05", date(2026, 12, 1), time(9, 30, 5)),
        ("now", SUNDAY, time(10, 30, 15)),
    ],
)
def test_moments(text: str, day: date, clock: time | None):
    assert parse_moment(text, NOW) == (day, clock)


@pytest.mark.parametrize(
    "text", ["someday", "2026-02-30", "25:00", "13pm", "yesterday 25:00", "+d", "fri at noon"]
)
def test_nonsense_is_refused_naming_the_forms(text: str):
    with pytest.raises(UsageError) as raised:
        parse_moment(text, NOW)
    message = str(raised.value)
    assert text.strip() in message
    assert "YYYY-MM-DD" in message or "14:00" in message or "no such day" in message


def test_day_errors_name_the_accepted_forms():
    with pytest.raises(UsageError, match=r"invalid date 'soon': use YYYY-MM-DD, today"):
        parse_day("soon", SUNDAY)


def test_the_cli_parsers_read_the_same_words():
    tz = ZoneInfo("America/Chicago")
    today = datetime.now(tz).date()
    assert parse_date("+1w", tz, SUNDAY) == date(2026, 12, 13)
    assert parse_date("friday", tz, SUNDAY) == date(2026, 12, 11)
    moment = parse_when("yesterday 2pm", tz).astimezone(tz)
    assert (moment.date(), moment.time()) == (today.fromordinal(today.toordinal() - 1), time(14))
    assert parse_when("2026-12-01", tz).astimezone(tz).time() == time(0)
    assert parse_when("2026-12-01T09:30+02:00", tz).hour == 7  # an offset is kept
    end = parse_as_of("yesterday", tz).astimezone(tz)
    assert end.time() == time(23, 59, 59)


@pytest.mark.parametrize(
    ("today", "monday"),
    [
        (date(2026, 12, 6), date(2026, 12, 14)),  # Sunday: not tomorrow
        (date(2026, 12, 7), date(2026, 12, 14)),  # Monday: a week on
        (date(2026, 12, 8), date(2026, 12, 21)),  # Tuesday: the Monday 13 days on
        (date(2026, 12, 12), date(2026, 12, 21)),  # Saturday
    ],
)
def test_next_week_is_a_monday_at_least_seven_days_on(today: date, monday: date):
    assert next_week(today) == monday
    assert monday.weekday() == 0 and (monday - today).days >= 7
