"""Who the rep is (``[me]`` and ``--me``): values told apart by form, checked, merged and
remembered in config.toml with its comments kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_helpers import Outreach
from tracker.config import load_settings
from tracker.errors import UsageError
from tracker.me import Me, NeedsMe, from_settings, read_values, remember


def test_values_are_told_apart_by_form() -> None:
    me = read_values(
        [
            "Sam@Example.com",
            "(312) 555-0100",
            "linkedin.com/in/Sam-Seller/",
            "Sam  Seller",
            "You",
            "sam@example.com",
        ],
        "US",
    )
    assert me == Me(
        emails=("sam@example.com",),
        phones=("+13125550100",),
        linkedin="https://www.linkedin.com/in/sam-seller",
        names=("Sam Seller", "You"),
    )
    assert me.is_email(" SAM@example.com") and me.is_name("sam seller") and not me.is_name("")


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("sam@", "not a valid email address"),
        ("555-0100-99", "not a valid phone number"),
        ("https://example.com/sam", "not a linkedin.com address"),
    ],
)
def test_a_value_with_a_form_but_not_valid_is_refused(value: str, problem: str) -> None:
    with pytest.raises(UsageError, match=problem):
        read_values([value], "US")


def test_two_profiles_are_refused() -> None:
    with pytest.raises(UsageError, match="one LinkedIn profile URL"):
        read_values(["linkedin.com/in/a", "linkedin.com/in/b"], "US")


def test_remember_adds_to_me_and_keeps_the_file(outreach_home: Path) -> None:
    config = outreach_home / "config.toml"
    config.write_text(
        '# my settings\n[review]\ntimezone = "America/Chicago"\n\n[me]\n'
        'emails = ["work@example.com"]  # the work one\n',
        encoding="utf-8",
    )
    new = read_values(["home@example.com", "Sam Seller", "linkedin.com/in/sam"], "US")
    written = remember(new.new_in(from_settings(load_settings())))
    assert written is not None and written.emails == ("work@example.com", "home@example.com")
    text = config.read_text(encoding="utf-8")
    assert text.startswith("# my settings\n") and "# the work one" in text
    settings = load_settings()
    assert from_settings(settings) == Me(
        emails=("work@example.com", "home@example.com"),
        linkedin="https://www.linkedin.com/in/sam",
        names=("Sam Seller",),
    )
    assert remember(Me()) is None


def test_a_known_value_is_not_new() -> None:
    known = Me(emails=("a@example.com",), names=("Sam",), linkedin="https://www.linkedin.com/in/a")
    given = Me(emails=("a@example.com",), names=("SAM",), linkedin="https://www.linkedin.com/in/b")
    assert not given.new_in(known)


def test_a_bad_me_section_names_the_key(outreach_home: Path) -> None:
    config = outreach_home / "config.toml"
    config.write_text('[me]\nemails = ["not an address"]\n', encoding="utf-8")
    with pytest.raises(UsageError, match="setting 'emails' holds 'not an address'"):
        load_settings()
    config.write_text('[me]\nlinkedin = "sam"\n', encoding="utf-8")
    with pytest.raises(UsageError, match="setting 'linkedin' must be a profile URL"):
        load_settings()


def test_needs_me_asks_in_either_words() -> None:
    asked = NeedsMe("names", "this WhatsApp group chat")
    assert str(asked) == (
        "this WhatsApp group chat needs your name as the chat shows it: "
        'give it with --me "Sam Seller"'
    )
    assert asked.asking("type it in the You field").endswith(": type it in the You field")


def test_settings_lists_me_and_import(tmp_path: Path) -> None:
    out = Outreach(tmp_path / "s.db")("settings").stdout
    assert "[me]" in out and "emails = []" in out and "[import]" in out
    assert "max_recipients = 10" in out
    Outreach(tmp_path / "s.db")("settings", "set", "me.names", "Sam Seller, You")
    assert load_settings().names == ("Sam Seller", "You")
