"""The plain words: plurals, titles of review items, the Today filter, candidates, and the
CLI's tables sized to the terminal (wrapped within cells, whole when piped)."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.conftest import TZ
from tracker.cli.tables import table
from tracker.models import Contact, Kind, Priority, ReviewItem
from tracker.text import width
from tracker.words import (
    candidate,
    candidates,
    closed_words,
    counted,
    item_title,
    matches,
    plural,
)


def item(kind: Kind, **details: object) -> ReviewItem:
    return ReviewItem(
        kind=kind,
        contact_id=4,
        contact="Dana Fictional",
        company="Northwind",
        since=datetime(2026, 11, 20, 9, tzinfo=TZ),
        age_days=3,
        reason="2 texts in a row unanswered, the first 3 days ago",
        action="stop texting: switch channel or let it rest",
        details=details,
        priority=Priority(),
    )


@pytest.mark.parametrize(
    ("count", "noun", "said"),
    [
        (1, "touch", "1 touch"),
        (4, "touch", "4 touches"),
        (0, "reply", "0 replies"),
        (2, "day", "2 days"),
        (4, "number", "4 numbers"),
        (2, "SMS segment", "2 SMS segments"),
        (1_204, "contact", "1,204 contacts"),
        (3, "box", "3 boxes"),
        (2, "person", "2 people"),
    ],
)
def test_plurals(count: int, noun: str, said: str) -> None:
    assert plural(count, noun) == said


def test_counted_makes_the_head_noun_of_a_phrase_plural() -> None:
    assert counted(4, "number matching no contact") == "4 numbers matching no contact"
    assert counted(1, "number matching no contact") == "1 number matching no contact"
    assert counted(2, "invalid or short-code number") == "2 invalid or short-code numbers"
    assert counted(3, "message without a sender") == "3 messages without a sender"
    assert counted(5, "already imported") == "5 already imported"
    assert counted(2, "chat matching no contact") == "2 chats matching no contact"
    assert counted(2, "handle matching no contact") == "2 handles matching no contact"
    assert counted(2, "announcement (not a message)") == "2 announcements (not a message)"
    assert counted(3, "system line") == "3 system lines"
    assert counted(2, "call of type 8") == "2 calls of type 8"
    assert counted(4, "event with no guests") == "4 events with no guests"


def test_item_titles_are_words_with_what_makes_the_item() -> None:
    assert item_title(item(Kind.STEP_BACK, run=2)) == "Stop texting: 2 unanswered"
    assert item_title(item(Kind.NO_REPLY, channel="email")) == "No reply to your email"
    reply = item(Kind.NO_REPLY, channel="linkedin_message")
    assert item_title(reply) == "No reply to your LinkedIn message"
    for kind in Kind:
        title = item_title(item(kind))
        assert "_" not in title and title[0].isupper(), kind


def test_the_filter_matches_each_word_on_its_own() -> None:
    step_back = item(Kind.STEP_BACK, run=2)
    assert matches(step_back, "dana")
    assert matches(step_back, "northwind dana")  # any order, name and company
    assert matches(step_back, "Dana stop texting")  # and the kind's title
    assert not matches(step_back, "dana invitation")
    assert matches(step_back, "   ")


def test_candidates_say_company_and_phone() -> None:
    dana = Contact(id=1, name="Dana Fictional", company="Northwind", phone="+13125550142")
    other = Contact(id=7, name="Dana Lee")
    assert candidate(dana) == "1 (Dana Fictional, Northwind, +1 312-555-0142)"
    assert candidate(other) == "7 (Dana Lee)"
    many = [Contact(id=n, name=f"Dana {n}") for n in range(1, 13)]
    assert candidates(many).endswith("10 (Dana 10), …")


def test_closing_with_nothing_done_says_why_the_streak_stays() -> None:
    assert closed_words(3, 5) == "Review closed with 3 items dealt with. Streak: 5 days."
    said = closed_words(0, 4)
    assert "nothing dealt with, so the streak stays at 4 days" in said
    assert "at least one item dealt with" in said


ROWS = [
    ("Stop texting: 2 unanswered", "Dana Fictional (#1)", "Northwind", "8 days", "q " * 70),
    ("Keep in touch", "Lee Park (#5)", "", "53 days", "last touch 53 days ago"),
]
HEADERS = ("KIND", "CONTACT", "COMPANY", "AGE", "WHY AND WHAT TO DO")


@pytest.mark.parametrize("columns", [80, 120])
def test_a_table_fits_the_terminal_and_wraps_the_reason_in_its_cell(columns: int) -> None:
    shown = table(HEADERS, ROWS, limit=columns)
    lines = shown.splitlines()
    assert all(width(line) <= columns for line in lines), shown
    assert "…" not in shown
    reason_at = lines[0].index("WHY AND WHAT TO DO")
    continued = [line for line in lines[1:] if line[:reason_at].strip() == ""]
    assert continued and all(line[reason_at:].startswith("q") for line in continued)
    # Every value is whole, only spread over lines.
    assert "".join(shown.split()).count("q") == 70


def test_a_wide_terminal_gets_one_line_per_row() -> None:
    shown = table(HEADERS, ROWS, limit=250)
    assert len(shown.splitlines()) == 3 and "…" not in shown


def test_piped_output_keeps_whole_values_on_one_line() -> None:
    long = "y" * 400
    shown = table(HEADERS, [(*ROWS[0][:4], long)], limit=None)
    assert shown.splitlines()[1].endswith(long)


def test_a_word_longer_than_its_column_is_broken_not_lost() -> None:
    shown = table(("A", "B"), [("a", "z" * 50)], limit=30)
    assert "".join(shown.split()).count("z") == 50
    assert all(width(line) <= 30 for line in shown.splitlines())
