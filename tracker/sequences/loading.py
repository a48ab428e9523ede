"""Reading ``sequences.toml`` (beside ``config.toml``): the user's sequences over the
built-in ones, every key checked the way ``config.toml`` is.

A mistake is a ``UsageError`` that names the file, the sequence and step, the key, and
the line it is on (TOML's own syntax errors carry theirs), so a typo never leaves a
sequence quietly different from what the file says::

    [sequences.linkedin-first]
    on_reply = "exit"
    [[sequences.linkedin-first.steps]]
    title = "Invite with a note"
    channel = "linkedin_invite"
    wait_for = "accepted"
    max_days = 14
    on_timeout = "withdraw"
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tracker.errors import UsageError
from tracker.sequences.definitions import (
    BUILTIN_SEQUENCES,
    CHANNEL_TITLES,
    CHANNELS,
    MAX_DELAY_DAYS,
    NAME,
    ON_REPLY,
    ON_TIMEOUT,
    WAIT_FOR,
    Delay,
    SequenceDef,
    Step,
)

SEQUENCES_FILENAME = "sequences.toml"
SEQUENCE_KEYS = ("steps", "on_reply", "description")
STEP_KEYS = ("title", "channel", "after", "wait_for", "max_days", "on_timeout", "template")
TemplateChannels = Mapping[str, str]
"""Each template's name and the channel (value) it is for: what a step's ``template``
is checked against."""


def sequences_path() -> Path:
    """Where the user's sequences live: beside ``config.toml``."""
    from tracker.paths import config_dir

    return config_dir() / SEQUENCES_FILENAME


def load_sequences(
    path: Path | None = None,
    templates: TemplateChannels | None = None,
    default_max_days: int = 14,
) -> dict[str, SequenceDef]:
    """The built-in sequences, then the file's (``path``, by default the user's) over
    them, by name. ``templates`` (name -> channel) checks each step's template when
    given; ``default_max_days`` is a waiting step's ``max_days`` when it gives none (the
    review's ``stale_invite_days``). A missing file means the built-ins alone."""
    found = {sequence.name: sequence for sequence in BUILTIN_SEQUENCES}
    path = path or sequences_path()
    if not path.exists():
        return found
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read it ({exc})") from None
    found.update(sequences_from_text(text, path, templates, default_max_days))
    return found


def sequences_from_text(
    text: str,
    path: Path,
    templates: TemplateChannels | None = None,
    default_max_days: int = 14,
) -> dict[str, SequenceDef]:
    """The sequences a ``sequences.toml`` holding ``text`` defines (``path`` names it)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML ({exc})") from None
    lines = _Lines(text)
    reader = _Reader(path, lines, templates, default_max_days)
    for key in data:
        if key != "sequences":
            where = "the file holds [sequences.NAME] tables"
            raise reader.fail(lines.find(key), f"unknown key {key!r}", where)
    tables = data.get("sequences", {})
    if not isinstance(tables, dict):
        raise reader.fail(lines.find("sequences"), "'sequences'", "must be a table")
    return {name: reader.sequence(name, table) for name, table in tables.items()}


class _Reader:
    """Checks one file's sequences, naming the line of each mistake."""

    def __init__(
        self,
        path: Path,
        lines: _Lines,
        templates: TemplateChannels | None,
        default_max_days: int,
    ) -> None:
        self.path = path
        self.lines = lines
        self.templates = templates
        self.default_max_days = default_max_days

    def fail(self, line: int | None, where: str, problem: str) -> UsageError:
        at = f":{line}" if line else ""
        return UsageError(f"{self.path}{at}: {where}: {problem}")

    def sequence(self, name: str, table: Any) -> SequenceDef:
        where = f"sequence {name!r}"
        header = self.lines.find("sequences", name)
        if not NAME.fullmatch(name):
            raise self.fail(header, where, "a name is letters, digits, '-' and '_'")
        if not isinstance(table, dict):
            raise self.fail(header, where, "must be a [sequences.NAME] table")
        for key in table:
            if key not in SEQUENCE_KEYS:
                known = ", ".join(SEQUENCE_KEYS)
                line = self.lines.find("sequences", name, key)
                raise self.fail(line, where, f"unknown key {key!r} (known: {known})")
        on_reply = table.get("on_reply", "exit")
        if on_reply not in ON_REPLY:
            line = self.lines.find("sequences", name, "on_reply")
            raise self.fail(line, where, f"on_reply must be one of {_listed(ON_REPLY)}")
        description = table.get("description", "")
        if not isinstance(description, str):
            line = self.lines.find("sequences", name, "description")
            raise self.fail(line, where, "description must be a string")
        raw_steps = table.get("steps")
        if not isinstance(raw_steps, list) or not raw_steps:
            raise self.fail(
                header, where, "needs steps: one or more [[sequences.NAME.steps]] tables"
            )
        steps = tuple(self.step(name, number, raw) for number, raw in enumerate(raw_steps, 1))
        return SequenceDef(name, steps, on_reply, description.strip())

    def step(self, name: str, number: int, raw: Any) -> Step:
        where = f"sequence {name!r}, step {number}"

        def line(key: str | None = None) -> int | None:
            return self.lines.find_step(name, number, key)

        if not isinstance(raw, dict):
            raise self.fail(line(), where, "must be a table")
        for key in raw:
            if key not in STEP_KEYS:
                known = ", ".join(STEP_KEYS)
                raise self.fail(line(key), where, f"unknown key {key!r} (known: {known})")

        def text(key: str) -> str | None:
            value = raw.get(key)
            if value is not None and (not isinstance(value, str) or not value.strip()):
                raise self.fail(line(key), where, f"{key} must be a non-empty string")
            return value.strip() if isinstance(value, str) else None

        channel = text("channel")
        if channel is None:
            raise self.fail(line(), where, f"needs a channel ({_listed(CHANNELS)})")
        if channel not in CHANNELS:
            raise self.fail(line("channel"), where, f"channel must be one of {_listed(CHANNELS)}")
        after = Delay()
        if (after_text := text("after")) is not None:
            parsed = Delay.parse(after_text)
            if parsed is None or parsed.days > MAX_DELAY_DAYS:
                raise self.fail(
                    line("after"),
                    where,
                    f'after must be days like "3d" or business days like "3bd" '
                    f"(at most {MAX_DELAY_DAYS}), not {after_text!r}",
                )
            if number == 1 and parsed.days:
                raise self.fail(
                    line("after"),
                    where,
                    "the first step is due on the day the enrollment starts: give 'after' "
                    "to later steps (enroll --start picks the day)",
                )
            after = parsed
        wait_for = text("wait_for")
        if wait_for is not None and wait_for not in WAIT_FOR:
            raise self.fail(line("wait_for"), where, f"wait_for must be {_listed(WAIT_FOR)}")
        if wait_for is not None and channel != "linkedin_invite":
            raise self.fail(
                line("wait_for"), where, "only a linkedin_invite step can wait to be accepted"
            )
        max_days = raw.get("max_days")
        if max_days is not None:
            if wait_for is None:
                raise self.fail(line("max_days"), where, 'max_days needs wait_for = "accepted"')
            if isinstance(max_days, bool) or not isinstance(max_days, int) or max_days < 1:
                raise self.fail(
                    line("max_days"), where, "max_days must be a whole number of 1 or more"
                )
            if max_days > MAX_DELAY_DAYS:
                raise self.fail(
                    line("max_days"), where, f"max_days must be {MAX_DELAY_DAYS} or less"
                )
        on_timeout = text("on_timeout")
        if on_timeout is not None:
            if wait_for is None:
                raise self.fail(line("on_timeout"), where, 'on_timeout needs wait_for = "accepted"')
            if on_timeout not in ON_TIMEOUT:
                raise self.fail(
                    line("on_timeout"), where, f"on_timeout must be one of {_listed(ON_TIMEOUT)}"
                )
        template = text("template")
        if template is not None and self.templates is not None:
            for_channel = self.templates.get(template)
            if for_channel is None:
                raise self.fail(
                    line("template"),
                    where,
                    f"unknown template {template!r} (`outreach templates` lists them)",
                )
            if for_channel != channel:
                raise self.fail(
                    line("template"),
                    where,
                    f"template {template!r} is for {for_channel}, not {channel}",
                )
        waits = wait_for is not None
        return Step(
            title=text("title") or CHANNEL_TITLES[channel],
            channel=channel,
            after=after,
            wait_for=wait_for,
            max_days=(max_days or self.default_max_days) if waits else None,
            on_timeout=(on_timeout or "withdraw") if waits else None,
            template=template,
        )


def _listed(options: tuple[str, ...]) -> str:
    return ", ".join(f'"{option}"' for option in options)


_HEADER = re.compile(r"^\s*(\[\[?)\s*(.*?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')\s*=")
_PART = re.compile(r"\"([^\"]*)\"|'([^']*)'|([A-Za-z0-9_-]+)")


class _Lines:
    """Where each table and key of a TOML text is, by line (1-based): enough to point at
    a mistake in a file of ``[sequences.NAME]`` tables and their ``[[...steps]]``."""

    def __init__(self, text: str) -> None:
        self.tables: dict[tuple[str, ...], int] = {}
        self.steps: dict[tuple[str, int], int] = {}
        self.keys: dict[tuple[tuple[str, ...], str], int] = {}
        table: tuple[str, ...] = ()
        counted: dict[str, int] = {}
        for number, raw in enumerate(text.splitlines(), 1):
            header = _HEADER.match(raw)
            if header and not _KEY.match(raw):
                table = _parts(header.group(2))
                if header.group(1) == "[[" and len(table) == 3 and table[2] == "steps":
                    counted[table[1]] = counted.get(table[1], 0) + 1
                    table = (*table, str(counted[table[1]]))
                    self.steps[(table[1], counted[table[1]])] = number
                else:
                    self.tables.setdefault(table, number)
                continue
            key = _KEY.match(raw)
            if key:
                self.keys.setdefault((table, _parts(key.group(1))[0]), number)

    def find(self, *path: str) -> int | None:
        """The line of the table ``path`` (or the first table under it), or of its
        last part as a key."""
        if path in self.tables:
            return self.tables[path]
        under = [line for table, line in self.tables.items() if table[: len(path)] == path]
        if under:
            return min(under)
        found = self.keys.get((path[:-1], path[-1]))
        if found is None and len(path) > 1:
            return self.find(*path[:-1])
        return found

    def find_step(self, name: str, number: int, key: str | None = None) -> int | None:
        """The line of step ``number`` of sequence ``name`` (or of its ``key``)."""
        if key is not None:
            found = self.keys.get((("sequences", name, "steps", str(number)), key))
            if found is not None:
                return found
        return self.steps.get((name, number)) or self.find("sequences", name)


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(a or b or c for a, b, c in _PART.findall(dotted))
