"""Three years of texts (``fixtures/sms/years.xml``, written by ``make_years.py``): the
day's queue holds only what is recent; ``review --all`` shows the rest, marked lapsed;
the first Today after the import says what it hid, once."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.cli_helpers import Outreach
from tests.importers.conftest import FIXTURES, do_import
from tracker.service import Tracker

YEARS = FIXTURES / "sms/years.xml"
AS_OF = "2026-11-23"
DUE = [
    ("unanswered_text", "Drew Edge"),  # due exactly 30 days: still today's work
    ("unanswered_text", "Jesse Nudge"),
    ("step_back", "Quinn Recent"),
]
LAPSED = [
    ("unanswered_text", "Morgan Oldthread"),
    ("unanswered_text", "Harper Edge"),  # due 31 days
    ("step_back", "Riley Archive"),
    ("step_back", "Avery Longago"),
]


@pytest.fixture
def run(tmp_path: Path) -> Outreach:
    run = Outreach(tmp_path / "outreach.db")
    out = run("import", "sms", str(YEARS), "--create-contacts").stdout
    assert "contacts: 9 added" in out and "touches: 54 added" in out
    return run


def test_the_queue_shows_only_recent_items(run: Outreach) -> None:
    items = run.json("review", "--as-of", AS_OF, "--format", "json")
    assert [(i["kind"], i["contact"]) for i in items] == DUE
    assert all(i["lapsed"] is False for i in items)
    table = run("review", "--as-of", AS_OF).stdout
    assert "3 items due" in table
    assert "4 older items hidden; review --all shows them" in table
    assert "Riley Archive" not in table


def test_review_all_shows_the_rest_marked_lapsed(run: Outreach) -> None:
    items = run.json("review", "--as-of", AS_OF, "--all", "--format", "json")
    assert sorted((i["kind"], i["contact"]) for i in items) == sorted(DUE + LAPSED)
    lapsed = [(i["kind"], i["contact"]) for i in items if i["lapsed"]]
    assert lapsed == LAPSED  # each kind's day items first, then its lapsed, oldest first
    riley = next(i for i in items if i["contact"] == "Riley Archive")
    assert riley["age_days"] == 1085
    table = run("review", "--as-of", AS_OF, "--all").stdout
    assert "1085 days · lapsed" in table and "4 older items shown, marked lapsed" in table
    rows = list(
        csv.DictReader(
            io.StringIO(run("review", "--as-of", AS_OF, "--all", "--format", "csv").stdout)
        )
    )
    assert [r["lapsed"] for r in rows].count("true") == 4
    assert {r["lapsed"] for r in rows} == {"true", "false"}


def test_the_next_today_says_what_the_import_hid_once(tracker: Tracker) -> None:
    clock = tracker.clock(AS_OF)
    assert tracker.day(clock).import_notice is None
    do_import(tracker, YEARS, "sms", create_contacts=True)
    snapshot = tracker.day(clock)
    assert snapshot.lapsed_count == 4
    assert snapshot.import_notice == (
        "Your import brought 3 years of history: 4 older items are hidden "
        "(due more than 30 days ago)."
    )
    tracker.dismiss_import_notice()
    assert tracker.day(clock).import_notice is None
    summary = do_import(tracker, YEARS, "sms", create_contacts=True)
    assert summary.touches_added == 0
    assert tracker.day(clock).import_notice is None  # a re-import brings nothing new


def test_a_dry_run_leaves_no_word_behind(tracker: Tracker) -> None:
    do_import(tracker, YEARS, "sms", create_contacts=True, dry_run=True)
    assert tracker.day(tracker.clock(AS_OF)).import_notice is None
