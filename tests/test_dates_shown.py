"""Dates as people read them: the year shown whenever it is not this year, in lists
(``short_date``), in a timeline (``short_when``) and in the insights' weekly rows."""

from __future__ import annotations

from datetime import date

from rich.console import Console

from tests.conftest import TZ, local
from tracker.insights.panels import ritual
from tracker.words import short_date, short_when

TODAY = date(2026, 11, 23)


def test_short_date_says_the_year_only_when_it_is_not_this_one():
    assert short_date(date(2026, 11, 7), TODAY) == "Nov 7"
    assert short_date(date(2025, 11, 13), TODAY) == "Nov 13 2025"
    assert short_date(date(2027, 1, 4), TODAY) == "Jan 4 2027"
    assert short_date(TODAY, TODAY) == "today"


def test_short_when_keeps_the_time_this_year_and_the_year_before():
    assert short_when(local("2026-11-21 13:35"), TZ, TODAY) == "Nov 21 13:35"
    assert short_when(local("2025-12-30 09:00"), TZ, TODAY) == "Dec 30 2025"
    # Local time decides the day and the year: 2026-01-01 01:00 UTC is Dec 31 in Chicago.
    new_year = local("2025-12-31 19:00")
    assert short_when(new_year, TZ, date(2026, 1, 2)) == "Dec 31 2025"


def _ritual(as_of: str, weeks: list[str]) -> str:
    data = {
        "as_of": as_of,
        "ritual": {
            "touches_per_day": [{"day": "2025-12-20", "count": 1}],
            "history": [],
            "streak": 0,
            "days_closed": 0,
            "invitations_per_week": [
                {"week": week, "count": 1, "budget": 5, "over": False} for week in weeks
            ],
        },
    }
    console = Console(width=100, record=True)
    console.print(ritual(data))
    return console.export_text()


def test_weeks_of_last_year_carry_their_year():
    shown = _ritual("2026-01-07T09:00:00-06:00", ["2025-12-22", "2025-12-29", "2026-01-05"])
    assert "Dec 22 2025" in shown and "Dec 29 2025" in shown
    assert "Jan  5 " in shown and "Jan  5 2026" not in shown
