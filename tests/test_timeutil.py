"""The system's zone is found as a ``ZoneInfo`` wherever it can be named or read, and
counts the same local days as dateutil's ``tzlocal`` (the fallback) would; stored times
are the same text however they are written."""

from __future__ import annotations

import shutil
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from dateutil.tz import tzlocal
from hypothesis import given
from hypothesis import strategies as st

from tracker.timeutil import STORED_FORMAT, from_stored, local_date, system_tz, to_stored


def zone_file(name: str) -> Path:
    for root in ("/usr/share/zoneinfo", "/usr/lib/zoneinfo", "/usr/share/lib/zoneinfo"):
        path = Path(root, name)
        if path.is_file():
            return path
    pytest.skip("no system zoneinfo files")


@pytest.mark.parametrize(
    ("tz", "expected"),
    [
        ("America/Chicago", ZoneInfo("America/Chicago")),
        (":Europe/Paris", ZoneInfo("Europe/Paris")),
        ("", UTC),
    ],
)
def test_tz_variable_naming_a_zone(tz: str, expected: object):
    assert system_tz({"TZ": tz}, localtime="/nonexistent") == expected


def test_tz_variable_with_a_rule_string_falls_back_to_tzlocal():
    assert isinstance(system_tz({"TZ": "CET-1CEST"}, localtime="/nonexistent"), tzlocal)


def test_tz_variable_as_a_path(tmp_path: Path):
    copy = tmp_path / "zone"
    shutil.copyfile(zone_file("Asia/Tokyo"), copy)
    found = system_tz({"TZ": str(copy)})
    assert datetime(2026, 7, 1, 12, tzinfo=UTC).astimezone(found).hour == 21


def test_localtime_linked_into_a_zoneinfo_folder(tmp_path: Path):
    folder = tmp_path / "zoneinfo" / "Europe"
    folder.mkdir(parents=True)
    shutil.copyfile(zone_file("Europe/Paris"), folder / "Paris")
    link = tmp_path / "localtime"
    link.symlink_to(folder / "Paris")
    assert system_tz({}, localtime=str(link)) == ZoneInfo("Europe/Paris")


def test_localtime_as_a_plain_copy(tmp_path: Path):
    copy = tmp_path / "localtime"
    shutil.copyfile(zone_file("America/Chicago"), copy)
    found = system_tz({}, localtime=str(copy))
    assert isinstance(found, ZoneInfo)
    assert datetime(2026, 1, 1, 12, tzinfo=UTC).astimezone(found).hour == 6
    assert datetime(2026, 7, 1, 12, tzinfo=UTC).astimezone(found).hour == 7


def test_nothing_readable_falls_back_to_tzlocal():
    assert isinstance(system_tz({}, localtime="/nonexistent"), tzlocal)


def test_same_local_days_as_tzlocal(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TZ", "America/Chicago")
    time.tzset()  # tzlocal reads the C library's zone
    try:
        fast, slow = system_tz(), tzlocal()
        moment = datetime(2025, 1, 1, tzinfo=UTC)
        for _ in range(2000):  # every 4h 23m for about a year: both daylight-saving changes
            assert local_date(moment, fast) == local_date(moment, slow), moment
            moment += timedelta(hours=4, minutes=23)
    finally:
        monkeypatch.undo()
        time.tzset()


@given(
    st.datetimes(
        min_value=datetime(1, 1, 2),
        max_value=datetime(9999, 12, 30),
        timezones=st.sampled_from([UTC, ZoneInfo("America/Chicago"), ZoneInfo("Asia/Kolkata")]),
    )
)
def test_stored_text_is_what_sqlite_writes(moment: datetime):
    """Four-digit years even before 1000 (``0999``): the text SQLite's ``strftime`` makes
    of the same moment, so stored times compare and sort as times in SQL too."""
    stored = to_stored(moment)
    epoch = (moment - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(seconds=1)
    query = f"SELECT strftime('{STORED_FORMAT}', ?, 'unixepoch')"
    assert stored == sqlite3.connect(":memory:").execute(query, (epoch,)).fetchone()[0]
    assert from_stored(stored) == moment.astimezone(UTC).replace(microsecond=0)


def test_a_year_before_1000_is_read_as_an_earlier_version_stored_it() -> None:
    assert from_stored("999-03-04T05:06:07Z") == datetime(999, 3, 4, 5, 6, 7, tzinfo=UTC)
    assert from_stored("0999-03-04T05:06:07Z") == datetime(999, 3, 4, 5, 6, 7, tzinfo=UTC)
    assert to_stored(datetime(999, 3, 4, 5, 6, 7, tzinfo=UTC)) == "0999-03-04T05:06:07Z"


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-20T09:30:00Z",
        "0999-01-02T03:04:05Z",  # before year 1000
        "2026-1-20T09:30:00Z",  # not the usual shape: strptime still reads it
        "2026-11-20T9:30:00Z",
        "2026-11-20T09:30:0Z",
    ],
)
def test_from_stored_reads_what_strptime_reads(text: str) -> None:
    expected = datetime.strptime(text, STORED_FORMAT).replace(tzinfo=UTC)
    assert from_stored(text) == expected


@pytest.mark.parametrize(
    "text", ["2026-11-20T09:30:60Z", "2026-13-20T09:30:00Z", "2026-11-2xT09:30:00Z"]
)
def test_from_stored_refuses_what_strptime_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        datetime.strptime(text, STORED_FORMAT)
    with pytest.raises(ValueError):
        from_stored(text)


@given(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)))
def test_from_stored_undoes_to_stored(moment: datetime) -> None:
    moment = moment.replace(microsecond=0, tzinfo=UTC)
    assert from_stored(to_stored(moment)) == moment
