"""`outreach settings set KEY VALUE`: one setting written to config.toml with every other
line and comment kept, checked as the file is when loaded; a bad key or value changes
nothing, byte for byte; a missing file is created private."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.cli_helpers import Outreach
from tracker.config import load_settings
from tracker.config_write import set_setting
from tracker.errors import UsageError

COMMENTED = """\
# My outreach settings.
[review]
timezone = "America/Chicago"  # where I work

[coach]
# Free LinkedIn account.
note_limit = 200
"""


@pytest.fixture
def run(tmp_path: Path) -> Outreach:
    return Outreach(tmp_path / "settings.db")


@pytest.fixture
def config(outreach_home: Path) -> Path:
    path = outreach_home / "config.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    return path


def test_set_keeps_every_other_line_and_comment(run: Outreach, config: Path):
    said = run("settings", "set", "my_name", "Sam Seller")
    assert said.stdout == f'coach.my_name = "Sam Seller"  ({config})\n'
    assert config.read_text() == COMMENTED.replace(
        "note_limit = 200\n", 'note_limit = 200\nmy_name = "Sam Seller"\n'
    )
    run("settings", "set", "coach.note_limit", "300")
    run("settings", "set", "review.stale_invite_days", "10")
    text = config.read_text()
    assert "# My outreach settings." in text and "# Free LinkedIn account." in text
    assert 'timezone = "America/Chicago"  # where I work' in text
    assert "note_limit = 300\n" in text and "note_limit = 200" not in text
    settings = load_settings(config)
    assert (settings.my_name, settings.note_limit, settings.stale_invite_days) == (
        "Sam Seller",
        300,
        10,
    )
    assert 'my_name = "Sam Seller"' in run("settings").stdout  # in force from now on


def test_lists_and_tables(run: Outreach, config: Path):
    run("settings", "set", "stop_words", "STOP, END")
    run("settings", "set", "contacts.stop_words", '["STOP", "QUIT"]')
    run("settings", "set", "keymap", '{ "today.snooze" = "z" }')
    settings = load_settings(config)
    assert settings.stop_words == ("STOP", "QUIT")
    assert settings.keymap == {"today.snooze": "z"}


@pytest.mark.parametrize(
    ("key", "value", "error"),
    [
        ("nope", "1", "unknown setting 'nope' (`outreach settings` lists them)"),
        ("coach.stale_invite_days", "1", "stale_invite_days is in [review]"),
        ("review.nope", "1", "unknown setting 'review.nope'"),
        ("stale_invite_days", "ten", "must be a whole number of 0 or more, not 'ten'"),
        ("stale_invite_days", "-1", "must be a whole number of 0 or more, not -1"),
        ("quiet_start", "25:00", "'quiet_start' must be HH:MM, not '25:00'"),
        ("timezone", "Mars/Olympus", "unknown time zone 'Mars/Olympus'"),
        ("step_back_run", "0", "'step_back_run' must be 1 or more"),
        ("keymap", "z", "must be a table of strings"),
    ],
)
def test_a_bad_key_or_value_changes_nothing(run: Outreach, config: Path, key, value, error):
    before = config.read_bytes()
    result = run("settings", "set", key, value, code=2)
    assert error in result.stderr and result.stderr.count("\n") == 1
    assert config.read_bytes() == before


def test_a_broken_file_is_left_alone(run: Outreach, config: Path):
    config.write_text("[review\n", encoding="utf-8")
    before = config.read_bytes()
    assert "not valid TOML" in run("settings", "set", "my_name", "Sam", code=2).stderr
    assert config.read_bytes() == before


def test_a_missing_file_is_created_private(run: Outreach, outreach_home: Path):
    (outreach_home / "config.toml").unlink()
    run("settings", "set", "my_name", "Sam Seller")
    path = outreach_home / "config.toml"
    assert path.read_text() == '[coach]\nmy_name = "Sam Seller"\n'
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_set_creates_the_config_folder(tmp_path: Path):
    path = tmp_path / "new" / "config.toml"
    written = set_setting("note_limit", "200", path)
    assert (written.key, written.value, written.settings.note_limit) == (
        "coach.note_limit",
        200,
        200,
    )
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_every_setting_can_be_set_to_its_default(tmp_path: Path):
    from dataclasses import fields

    from tracker.cli.admin import _shown
    from tracker.config import Settings

    path = tmp_path / "config.toml"
    for spec in fields(Settings):
        value = getattr(Settings(), spec.name)
        raw = value if isinstance(value, str) else _shown(value)
        set_setting(spec.name, raw, path)
    assert load_settings(path) == Settings()
    with pytest.raises(UsageError):
        set_setting("nope", "1", path)
