"""``[app] keymap`` in config.toml: an unknown binding id, or a key given to two bindings
live in the same place, is an error naming it, like any other typo in the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_helpers import Outreach
from tracker.config import load_settings
from tracker.errors import UsageError
from tracker.keymap import BINDINGS, keymap_problem, normal_keys


def write(config: Path, keymap: str) -> None:
    config.write_text(f"[app]\nkeymap = {keymap}\n", encoding="utf-8")


def test_a_good_keymap_loads(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    write(config, '{ "today.snooze" = "z", "contact.open_link" = "ctrl+o" }')
    assert load_settings(config).keymap == {"today.snooze": "z", "contact.open_link": "ctrl+o"}


@pytest.mark.parametrize(
    ("keymap", "error"),
    [
        ('{ "today.snoze" = "z" }', "unknown key binding 'today.snoze' in [app] keymap"),
        ('{ "today.snooze" = " , " }', "leaves 'today.snooze' without a key"),
        (
            '{ "today.snooze" = "r" }',
            "gives 'r' to 'today.snooze', but 'today.reply' has it too (both live on Today)",
        ),
        ('{ "today.snooze" = "j" }', "gives 'j' to 'today.snooze', but 'queue.down' has it too"),
        ('{ "undo" = "e" }', "gives 'e' to 'undo', but 'today.export' has it too"),
        (
            '{ "today.snooze" = "z", "today.copy" = "z" }',
            "gives 'z' to 'today.snooze', but 'today.copy' has it too",
        ),
        ('{ "confirm.yes" = "n" }', "gives 'n' to 'confirm.yes', but 'confirm.no' has it too"),
    ],
)
def test_a_bad_keymap_is_an_error_naming_it(tmp_path: Path, keymap: str, error: str) -> None:
    config = tmp_path / "config.toml"
    write(config, keymap)
    with pytest.raises(UsageError) as caught:
        load_settings(config)
    assert str(caught.value).startswith(f"{config}: ")
    assert error in str(caught.value)


def test_the_same_key_on_two_screens_is_fine() -> None:
    assert keymap_problem({"today.snooze": "z", "contacts.sort": "z"}) == ""
    assert keymap_problem({}) == ""


def test_keys_are_compared_as_the_app_names_them() -> None:
    assert normal_keys("?, /,j") == ("question_mark", "slash", "j")
    assert keymap_problem({"today.snooze": "/"}) != ""  # the filter's key


def test_every_command_refuses_a_config_with_a_bad_keymap(tmp_path: Path, outreach_home: Path):
    (outreach_home / "config.toml").write_text(
        '[app]\nkeymap = { "today.nope" = "z" }\n', encoding="utf-8"
    )
    run = Outreach(tmp_path / "k.db")
    result = run("review", code=2)
    assert "unknown key binding 'today.nope'" in result.stderr
    assert not (tmp_path / "k.db").exists()


def test_settings_set_refuses_a_bad_keymap(tmp_path: Path, outreach_home: Path):
    config = outreach_home / "config.toml"
    before = config.read_bytes()
    run = Outreach(tmp_path / "k.db")
    result = run("settings", "set", "keymap", '{ "today.snooze" = "r" }', code=2)
    assert "gives 'r' to 'today.snooze'" in result.stderr
    assert config.read_bytes() == before


def test_the_registry_names_defaults_only() -> None:
    assert all(normal_keys(keys) for keys in BINDINGS.values())
