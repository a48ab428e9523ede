"""``outreach search TEXT [--format table|json]`` and ``outreach list --search``: the same
search from the command line (contact, touch id, time, channel, snippet), best first."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_helpers import Outreach


@pytest.fixture
def run(tmp_path: Path) -> Outreach:
    run = Outreach(tmp_path / "cli.db")
    run("add", "Ann Lee", "--email", "ann.lee415@example.com", "--company", "Globex")
    run("add", "Adam Fox", "--phone", "+1 415 555 0100", "--company", "Acme")
    run("add", "Ivan Stark", "--company", "Acme", "--notes", "Wants the pilot in March")
    run("add", "Stanley Ivanov")
    run("log", "sms", "Adam Fox", "--text", "Did you see my email about the pilot?",
        "--at", "2026-03-02T10:00")  # fmt: skip
    return run


def test_search_table_shows_contact_touch_time_channel_and_snippet(run: Outreach) -> None:
    out = run("search", "pilot").stdout.splitlines()
    assert out[0].split() == ["CONTACT", "TOUCH", "TIME", "CHANNEL", "MATCH"]
    assert "Ivan Stark (#3)" in out[1] and "notes: Wants the pilot in March" in out[1]
    assert "Adam Fox (#2)" in out[2]
    assert "2026-03-02 10:00" in out[2] and " sms " in out[2]
    assert "Did you see my email about the pilot?" in out[2]
    assert len(out) == 3


def test_search_json_lists_each_match(run: Outreach) -> None:
    field, message = run.json("search", "pilot", "--format", "json")
    assert field == {
        "contact_id": 3,
        "contact": "Ivan Stark",
        "touch_id": None,
        "at": None,
        "channel": None,
        "field": "notes",
        "snippet": "Wants the pilot in March",
    }
    assert message["contact_id"] == 2 and message["contact"] == "Adam Fox"
    assert isinstance(message["touch_id"], int) and message["channel"] == "sms"
    assert message["at"].startswith("2026-03-02T16:00") and message["field"] == "text"
    assert message["snippet"] == "Did you see my email about the pilot?"


def test_search_words_need_no_quotes_and_rank_the_name_first(run: Outreach) -> None:
    found = run.json("search", "ivan", "stark", "--format", "json")
    assert [(m["contact"], m["field"]) for m in found] == [("Ivan Stark", "name")]
    found = run.json("search", "ivan", "--format", "json")
    assert [m["contact"] for m in found] == ["Ivan Stark", "Stanley Ivanov"]


def test_search_limit(run: Outreach) -> None:
    assert len(run.json("search", "acme", "--limit", "1", "--format", "json")) == 1
    out = run("search", "acme", "--limit", "1").stdout
    assert "--limit shows more" in out


def test_search_nothing_found_and_nothing_to_search_for(run: Outreach) -> None:
    assert run("search", "zebra").stdout.strip() == "No matches for 'zebra'."
    assert run.json("search", "zebra", "--format", "json") == []
    result = run("search", "%", code=2)
    assert "nothing to search for in '%'" in result.stderr and result.stdout == ""


def test_list_search_by_email_words_not_phone_digits(run: Outreach) -> None:
    rows = run.json("list", "--search", "ann.lee415", "--format", "json")
    assert [r["name"] for r in rows] == ["Ann Lee"]
    assert run.json("list", "--search", "415", "--format", "json") == []
    rows = run.json("list", "--search", "ivan stark", "--format", "json")
    assert [r["name"] for r in rows] == ["Ivan Stark"]


def test_list_search_is_ranked_unless_sorted(run: Outreach) -> None:
    rows = run.json("list", "--search", "ivan", "--format", "json")
    assert [r["name"] for r in rows] == ["Ivan Stark", "Stanley Ivanov"]
    rows = run.json("list", "--search", "ivan", "--sort", "name", "--desc", "--format", "json")
    assert [r["name"] for r in rows] == ["Stanley Ivanov", "Ivan Stark"]
    rows = run.json("list", "--search", "acme", "--format", "json")
    assert {r["name"] for r in rows} == {"Adam Fox", "Ivan Stark"}
    # A contact found by a word in a message is listed too.
    rows = run.json("list", "--search", "email about", "--format", "json")
    assert [r["name"] for r in rows] == ["Adam Fox"]


def test_list_search_percent_is_not_a_wildcard(run: Outreach) -> None:
    result = run("list", "--search", "%", code=2)
    assert "nothing to search for" in result.stderr
    assert run("list", "--search", "zzz").stdout.strip() == "No contacts match."
