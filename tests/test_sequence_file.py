"""``sequences.toml`` is checked like ``config.toml``: a mistake names the file, the
sequence and step, the key and its line; ``[sequences]`` in ``config.toml`` holds the
holidays and ``max_per_day``; ``outreach sequences check`` runs nothing."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from tests.cli_helpers import Outreach
from tracker.config import load_settings
from tracker.errors import UsageError
from tracker.sequences.definitions import BUILTIN_SEQUENCES, Delay
from tracker.sequences.loading import load_sequences, sequences_from_text

GOOD = """\
[sequences.linkedin-first]
on_reply = "exit"
[[sequences.linkedin-first.steps]]
title = "Invite with a note"
channel = "linkedin_invite"
wait_for = "accepted"
max_days = 14
on_timeout = "withdraw"
[[sequences.linkedin-first.steps]]
title = "Thank and add value"
channel = "linkedin_message"
after = "3bd"
template = "message-thanks"
"""
TEMPLATES = {"message-thanks": "linkedin_message", "text-nudge": "sms"}


def read(text: str, templates: dict[str, str] | None = TEMPLATES):  # type: ignore[no-untyped-def]
    return sequences_from_text(textwrap.dedent(text), Path("sequences.toml"), templates)


def test_the_issues_example_reads_and_replaces_the_built_in(tmp_path: Path):
    path = tmp_path / "sequences.toml"
    path.write_text(GOOD, encoding="utf-8")
    found = load_sequences(path, TEMPLATES)
    assert list(found) == [s.name for s in BUILTIN_SEQUENCES]
    mine = found["linkedin-first"]
    assert not mine.builtin and len(mine.steps) == 2
    invite, thanks = mine.steps
    assert (invite.wait_for, invite.max_days, invite.on_timeout) == ("accepted", 14, "withdraw")
    assert thanks.after == Delay(3, True) and thanks.template == "message-thanks"
    assert found["call-first"].builtin


def test_defaults_fill_a_short_step():
    found = read(
        """
        [sequences.short]
        [[sequences.short.steps]]
        channel = "linkedin_invite"
        wait_for = "accepted"
        [[sequences.short.steps]]
        channel = "whatsapp"
        """
    )["short"]
    invite, chat = found.steps
    assert (invite.title, invite.max_days, invite.on_timeout) == (
        "Invite to connect on LinkedIn",
        14,
        "withdraw",
    )
    assert (chat.channel, chat.after, found.on_reply) == ("whatsapp", Delay(), "exit")


def test_a_definition_survives_its_json():
    from tracker.sequences.definitions import from_json

    for sequence in BUILTIN_SEQUENCES:
        again = from_json(sequence.to_json())
        assert again.same_version(sequence) and again.steps == sequence.steps


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        (
            GOOD.replace('after = "3bd"', 'after = "3bd"\nwiat_for = "accepted"'),
            "sequences.toml:13: sequence 'linkedin-first', step 2: unknown key 'wiat_for'",
        ),
        (
            GOOD.replace('on_reply = "exit"', 'on_replay = "exit"'),
            "sequences.toml:2: sequence 'linkedin-first': unknown key 'on_replay'",
        ),
        (
            GOOD.replace('channel = "linkedin_message"', 'channel = "linkedin"'),
            "sequences.toml:11: sequence 'linkedin-first', step 2: channel must be one of",
        ),
        (
            GOOD.replace('after = "3bd"', 'after = "3 days"'),
            "sequences.toml:12: sequence 'linkedin-first', step 2: after must be days like",
        ),
        (
            GOOD.replace("max_days = 14", 'max_days = 14\nafter = "2d"'),
            "sequences.toml:8: sequence 'linkedin-first', step 1: the first step is due on",
        ),
        (
            GOOD.replace('channel = "linkedin_invite"', 'channel = "sms"'),
            "sequences.toml:6: sequence 'linkedin-first', step 1: only a linkedin_invite step",
        ),
        (
            GOOD.replace('on_timeout = "withdraw"', 'on_timeout = "later"'),
            "sequences.toml:8: sequence 'linkedin-first', step 1: on_timeout must be one of",
        ),
        (
            GOOD.replace("max_days = 14", "max_days = 0"),
            "sequences.toml:7: sequence 'linkedin-first', step 1: max_days must be a whole",
        ),
        (
            GOOD.replace('template = "message-thanks"', 'template = "thank-accept"'),
            "sequences.toml:13: sequence 'linkedin-first', step 2: unknown template 'thank-accept'",
        ),
        (
            GOOD.replace('template = "message-thanks"', 'template = "text-nudge"'),
            "step 2: template 'text-nudge' is for sms, not linkedin_message",
        ),
        (
            GOOD.replace('on_reply = "exit"', 'on_reply = "stop"'),
            "sequences.toml:2: sequence 'linkedin-first': on_reply must be one of",
        ),
        (
            '[sequences."two words"]\n[[sequences."two words".steps]]\nchannel = "call"\n',
            "sequences.toml:1: sequence 'two words': a name is letters, digits",
        ),
        ('[sequences.empty]\non_reply = "exit"\n', "sequence 'empty': needs steps"),
        ("[sequence.typo]\n", "sequences.toml:1: unknown key 'sequence': the file holds"),
        (GOOD.replace("max_days = 14", "max_days = "), "sequences.toml: not valid TOML"),
    ],
)
def test_a_mistake_names_the_file_key_and_line(text: str, wanted: str):
    with pytest.raises(UsageError) as caught:
        read(text)
    assert wanted in str(caught.value)


def test_toml_syntax_errors_carry_their_line():
    with pytest.raises(UsageError, match=r"line 7"):
        read(GOOD.replace("max_days = 14", "max_days = "))


def test_sequences_settings_in_config(outreach_home: Path):
    config = outreach_home / "config.toml"
    config.write_text(
        '[sequences]\nholidays = [2026-11-26, "2026-12-25"]\n'
        "max_per_day = { linkedin_invite = 20, sms = 30 }\n",
        encoding="utf-8",
    )
    settings = load_settings(config)
    assert settings.holidays == (date(2026, 11, 26), date(2026, 12, 25))
    assert settings.max_per_day == {"linkedin_invite": 20, "sms": 30}
    config.write_text("[sequences]\nmax_per_day = 25\n", encoding="utf-8")
    assert load_settings(config).max_per_day == 25


@pytest.mark.parametrize(
    ("line", "wanted"),
    [
        ("holidays = [2026-13-01]", "not valid TOML"),
        ('holidays = ["Thanksgiving"]', "'Thanksgiving' is not a date"),
        ("holidays = 2026-11-26", "must be a list of dates"),
        ("max_per_day = { linkedn_invite = 20 }", "unknown channel 'linkedn_invite'"),
        ("max_per_day = -1", "must be a whole number of 0 or more"),
        ("max_per_days = 3", "unknown setting [sequences] max_per_days"),
    ],
)
def test_bad_sequences_settings(outreach_home: Path, line: str, wanted: str):
    config = outreach_home / "config.toml"
    config.write_text(f"[sequences]\n{line}\n", encoding="utf-8")
    with pytest.raises(UsageError, match=wanted.replace("[", r"\[")):
        load_settings(config)


def test_check_runs_nothing_and_says_what_is_wrong(tmp_path: Path, outreach_home: Path):
    outreach = Outreach(tmp_path / "outreach.db")
    said = outreach("sequences", "check").stdout
    assert "no file (the built-in sequences are in use)" in said
    assert "sequences: linkedin-first, call-first" in said
    (outreach_home / "sequences.toml").write_text(GOOD.replace("max_days", "max_dayz"))
    result = outreach("sequences", "check", code=2)
    assert "sequences.toml:7: sequence 'linkedin-first', step 1: unknown key 'max_dayz'" in (
        result.stderr
    )
    (outreach_home / "sequences.toml").write_text(GOOD)
    assert "1 sequence: linkedin-first; all OK" in outreach("sequences", "check").stdout
