"""Key dates (DOMAIN.md, "Key dates"): a birthday with or without its year and labelled
dates, typed and read from files; the ``key_date`` review item, shown on the day and
two days after unless something went out since, at the year's edges and on Feb 29."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.cli_helpers import Outreach
from tests.helpers import at, kinds, person, review, touch
from tracker.errors import UsageError
from tracker.key_dates import (
    changes_from_form,
    changes_from_options,
    form_text,
    month_days_back,
    next_on_or_after,
    occasions,
    on_year,
    parse_key_date,
    read_file_date,
    read_file_key_dates,
    typed,
)
from tracker.models import BIRTHDAY, KeyDate, Kind

BDAY = KeyDate(BIRTHDAY, 5, 12, 1988)
LEAP = KeyDate(BIRTHDAY, 2, 29, 2000)


# -- reading and writing them --------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1988-05-12", BDAY),
        ("19880512", BDAY),
        ("--05-12", KeyDate(BIRTHDAY, 5, 12)),
        ("--0512", KeyDate(BIRTHDAY, 5, 12)),
        ("--02-29", KeyDate(BIRTHDAY, 2, 29)),
        ("2000-02-29", LEAP),
    ],
)
def test_typed_dates(text, expected):
    assert parse_key_date(BIRTHDAY, text) == expected


@pytest.mark.parametrize("text", ["1988-02-30", "1987-02-29", "05-12", "--13-01", "12 May", ""])
def test_a_bad_date_names_the_problem(text):
    with pytest.raises(UsageError, match="is not a date"):
        parse_key_date(BIRTHDAY, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1988-05-12", BDAY),  # vCard 4, Google CSV
        ("19880512", BDAY),  # vCard 3 basic format
        ("--0512", KeyDate(BIRTHDAY, 5, 12)),  # vCard 4 without the year
        (" --05-12", KeyDate(BIRTHDAY, 5, 12)),  # Google CSV without the year
        ("1988-05-12T00:00:00Z", BDAY),  # a vCard with a time
        ("5/12/1988", BDAY),  # Outlook, month first
        ("0/0/00", None),  # Outlook: no birthday
        ("someday", None),
    ],
)
def test_what_files_write(text, expected):
    assert read_file_date(BIRTHDAY, text) == expected


def test_apples_made_up_year_means_no_year():
    assert read_file_date(BIRTHDAY, "1604-05-12", omitted_year=1604) == KeyDate(BIRTHDAY, 5, 12)


def test_our_own_column_reads_back():
    found, unreadable = read_file_key_dates("birthday:1988-05-12; renewal:--03-01; x:nope; ")
    assert found == [BDAY, KeyDate("renewal", 3, 1)] and unreadable == 1
    assert read_file_key_dates("--05-12") == ([KeyDate(BIRTHDAY, 5, 12)], 0)  # a birthday
    assert [typed(k) for k in found] == ["1988-05-12", "--03-01"]


def test_options_and_form_changes():
    changes = changes_from_options("--05-12", ["Work_Anniversary=2019-06-03", "renewal="])
    assert changes == {
        BIRTHDAY: KeyDate(BIRTHDAY, 5, 12),
        "work anniversary": KeyDate("work anniversary", 6, 3, 2019),
        "renewal": None,
    }
    with pytest.raises(UsageError, match="LABEL=DATE"):
        changes_from_options(None, ["renewal 2027-03-01"])
    current = [BDAY, KeyDate("renewal", 3, 1, 2027)]
    assert form_text(current) == ("1988-05-12", "renewal=2027-03-01")
    assert changes_from_form("", "anniversary=--06-03", current) == {
        BIRTHDAY: None,
        "renewal": None,
        "anniversary": KeyDate("anniversary", 6, 3),
    }


# -- when they fall ------------------------------------------------------------------
def test_feb_29_falls_on_feb_28_in_other_years():
    assert on_year(LEAP, 2027) == date(2027, 2, 28)
    assert on_year(LEAP, 2028) == date(2028, 2, 29)
    assert on_year(LEAP, 1999) is None  # before the year it was given with
    # What the store looks up: Feb 29 too when Feb 28 of a year without one is near.
    assert month_days_back(date(2027, 3, 2), 2) == ["03-02", "03-01", "02-28", "02-29"]
    assert month_days_back(date(2028, 3, 2), 2) == ["03-02", "03-01", "02-29"]
    assert next_on_or_after(LEAP, date(2027, 3, 1)) == date(2028, 2, 29)


def test_the_year_edge():
    jan_1, dec_31 = KeyDate(BIRTHDAY, 1, 1), KeyDate(BIRTHDAY, 12, 31)
    assert occasions([jan_1], date(2026, 12, 31), 2) == []  # next year's, not yet
    for day, age in ((date(2027, 1, 1), 1), (date(2027, 1, 2), 2)):
        (found,) = occasions([dec_31], day, 2)
        assert (found.on, found.age) == (date(2026, 12, 31), age)
    assert occasions([dec_31], date(2027, 1, 3), 2) == []


# -- the review item -----------------------------------------------------------------
@pytest.fixture
def dated(tracker):
    contact = person(tracker, "Dee Cember", phone="+13125550142")
    tracker.edit_contact(contact, {}, key_dates={BIRTHDAY: KeyDate(BIRTHDAY, 12, 31, 1990)})
    return contact


def test_key_date_shown_on_the_day_and_two_days_after(tracker, dated):
    assert kinds(review(tracker, "2025-12-30")) == []
    for day, age in (("2025-12-31", 0), ("2026-01-01", 1), ("2026-01-02", 2)):
        (item,) = review(tracker, day)
        assert (item.kind, item.age_days) == (Kind.KEY_DATE, age)
        assert item.since == at("2025-12-31T00:00")
        assert item.details["label"] == BIRTHDAY
    assert "birthday yesterday (turned 35)" in review(tracker, "2026-01-01")[0].reason
    assert "turns 35" in review(tracker, "2025-12-31")[0].reason
    assert review(tracker, "2026-01-03") == []


def test_a_jan_1_birthday_is_not_due_on_dec_31(tracker):
    contact = person(tracker, "Jan Newyear")
    tracker.edit_contact(contact, {}, key_dates={BIRTHDAY: KeyDate(BIRTHDAY, 1, 1)})
    assert review(tracker, "2026-12-31") == []
    assert kinds(review(tracker, "2027-01-01")) == [Kind.KEY_DATE]


def test_a_leap_day_birthday_in_a_year_without_one(tracker):
    contact = person(tracker, "Leap Ling")
    tracker.edit_contact(contact, {}, key_dates={BIRTHDAY: LEAP})
    assert review(tracker, "2027-02-27") == []
    for day, age in (("2027-02-28", 0), ("2027-03-01", 1), ("2027-03-02", 2)):
        (item,) = review(tracker, day)
        assert (item.kind, item.age_days) == (Kind.KEY_DATE, age)
    assert review(tracker, "2027-03-03") == []
    (item,) = review(tracker, "2028-02-29")
    assert item.since == at("2028-02-29T00:00") and item.age_days == 0
    assert review(tracker, "2028-02-28") == []


def test_something_sent_on_or_after_the_day_clears_it(tracker, dated):
    touch(tracker, dated, "email", "2025-12-30T18:00")  # the day before: not for it
    assert kinds(review(tracker, "2025-12-31")) == [Kind.KEY_DATE]
    touch(tracker, dated, "sms", "2026-01-01T09:00", text="Happy birthday, Dee!")
    assert kinds(review(tracker, "2025-12-31T23:00")) == [Kind.KEY_DATE]  # as it stood
    assert review(tracker, "2026-01-01") == []
    touch(tracker, dated, "sms", "2026-01-01T19:00", inbound=True, text="Thanks!")
    assert review(tracker, "2026-01-02") == []


def test_the_queue_order_and_one_item_per_contact(tracker):
    contact = person(tracker, "Ann Iversary", phone="+13125550177")
    tracker.edit_contact(
        contact,
        {},
        key_dates={
            "work anniversary": KeyDate("work anniversary", 11, 22, 2019),
            BIRTHDAY: KeyDate(BIRTHDAY, 11, 23),
        },
    )
    tracker.follow_up(contact, date(2026, 11, 23), "call", at("2026-11-01T10:00"))
    touch(tracker, contact, "email", "2026-11-10T10:00")
    items = review(tracker, "2026-11-23")
    assert kinds(items) == [Kind.FOLLOW_UP_DUE, Kind.KEY_DATE, Kind.NO_REPLY]
    assert items[1].details["label"] == BIRTHDAY  # the most recent of the two
    assert list(Kind).index(Kind.KEY_DATE) == list(Kind).index(Kind.FOLLOW_UP_DUE) + 1


def test_snoozed_like_any_item_and_never_held_by_a_meeting(tracker, dated):
    touch(tracker, dated, "meeting", "2026-01-10T10:00")  # scheduled as of Dec 31
    assert kinds(review(tracker, "2025-12-31")) == [Kind.KEY_DATE]
    tracker.snooze(dated, Kind.KEY_DATE, date(2026, 1, 2))
    assert review(tracker, "2026-01-01") == []
    assert kinds(review(tracker, "2026-01-02")) == [Kind.KEY_DATE]


def test_the_coach_drafts_for_the_occasion(tracker, settings):
    from dataclasses import replace

    tracker.settings = replace(settings, my_name="Sam Seller")
    contact = person(tracker, "Ann Iversary", phone="+13125550177", email="ann@example.com")
    tracker.edit_contact(
        contact, {}, key_dates={"work anniversary": KeyDate("work anniversary", 11, 22, 2019)}
    )
    assert kinds(review(tracker, "2026-11-23")) == [Kind.KEY_DATE]
    suggestion = tracker.suggest(contact.id, Kind.KEY_DATE, at("2026-11-23T10:00"))
    assert suggestion.template == "text-congrats" and not suggestion.why_not
    assert suggestion.text == (
        "Hi Ann, Sam Seller here. Congratulations on your 7-year work anniversary! How are "
        "things going on your side?"
    )
    result = tracker.check(contact, suggestion.channel, suggestion.text, at("2026-11-23T10:00"))
    assert not [f for f in result.findings if f.severity != "tip"]
    tracker.edit_contact(contact, {}, key_dates={BIRTHDAY: KeyDate(BIRTHDAY, 11, 23)})
    for channel, name in (("sms", "text-birthday"), ("email", "email-birthday")):
        from tracker.models import Channel

        text, template, missing = tracker.draft(
            contact, Channel(channel), as_of=at("2026-11-23T10:00"), kind=Kind.KEY_DATE
        )
        assert template.name == name and not missing and "Happy birthday" in text
        found = tracker.check(contact, Channel(channel), text, at("2026-11-23T10:00")).findings
        assert not [f for f in found if f.severity != "tip"], found


def test_the_candidate_query_reads_an_index(tracker, dated):
    plans = tracker.store.review_query_plans(tracker.clock("2025-12-31"), tracker.settings)
    assert any("key_dates_month_day" in line for line in plans["key_date"]), plans["key_date"]


# -- the command line ----------------------------------------------------------------
def test_add_edit_and_show(tmp_path: Path):
    run = Outreach(tmp_path / "k.db")
    run("add", "Dana Fictional", "--birthday", "--05-12", "--date", "renewal=2027-03-01")
    run("edit", "1", "--date", "work anniversary=2019-06-03", "--date", "renewal=")
    shown = run("show", "1").stdout
    assert "Key dates:      birthday: --05-12\n                  work anniversary: 2019-06-03" in (
        shown
    )
    data = run.json("show", "1", "--format", "json")
    assert data["key_dates"] == [
        {"label": "birthday", "date": "--05-12"},
        {"label": "work anniversary", "date": "2019-06-03"},
    ]
    bad = run("edit", "1", "--birthday", "1988-02-30", code=2)
    assert "birthday '1988-02-30' is not a date" in bad.stderr
    run("add", "Lee Example", "--date", "no-equals-sign", code=2)
    assert len(run.json("list", "--format", "json")) == 1  # nothing written
    run("edit", "1", "--birthday", "")
    assert run.json("show", "1", "--format", "json")["key_dates"][0]["label"] == "work anniversary"
