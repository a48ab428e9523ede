"""Writing one setting into ``config.toml``, for ``outreach settings set`` and the app.

The file is edited with tomlkit, so its other lines, comments and layout stay as they
were; the result is checked by the same code that loads the file (``settings_from_text``)
before anything is written, so a bad key or value leaves the file byte for byte as it
was. A missing file is created private to its owner, like the database.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import tomlkit

from tracker.config import RENAMED, Settings, settings_from_text
from tracker.errors import UsageError


@dataclass(frozen=True)
class SettingWritten:
    """What ``set_setting`` wrote: the setting's section and name, where, and the
    settings the file now gives."""

    section: str
    name: str
    path: Path
    settings: Settings

    @property
    def key(self) -> str:
        return f"{self.section}.{self.name}"

    @property
    def value(self) -> Any:
        return getattr(self.settings, self.name)


def setting_keys() -> dict[str, str]:
    """Every setting's name and the section it lives in, in the order they are listed."""
    return {spec.name: spec.metadata["section"] for spec in fields(Settings)}


def resolve_key(key: str) -> tuple[str, str]:
    """(section, name) for ``key``: ``section.name`` (``coach.my_name``), or the bare
    name (every setting's name is unique, whatever its section). ``UsageError`` for
    anything else."""
    known = setting_keys()
    wanted = key.strip()
    for (old_section, old_name), new in RENAMED.items():
        if wanted in (old_name, f"{old_section}.{old_name}"):
            return new  # the setting's old name writes the new one
    section, dot, name = wanted.rpartition(".")
    if not dot and wanted in known:
        return known[wanted], wanted
    if dot and known.get(name) == section:
        return section, name
    if dot and name in known:
        raise UsageError(f"unknown setting {wanted!r} ({name} is in [{known[name]}])")
    raise UsageError(f"unknown setting {wanted!r} (`outreach settings` lists them)")


def parse_value(name: str, raw: str) -> Any:
    """``raw`` as the value of setting ``name``: a string setting takes it as it is;
    any other reads it as a TOML value (``10``, ``["STOP", "END"]``,
    ``{ "today.snooze" = "z" }``), a list also as comma-separated words. What cannot
    be read stays a string, for the loader's checks to reject with their reason."""
    default = getattr(Settings(), name)
    if isinstance(default, str):
        return raw
    try:
        return tomllib.loads(f"value = {raw}")["value"]
    except tomllib.TOMLDecodeError:
        pass
    if isinstance(default, tuple):
        return [word.strip() for word in raw.split(",") if word.strip()]
    return raw


def _toml_item(value: Any) -> Any:
    if isinstance(value, dict):
        table = tomlkit.inline_table()
        table.update(value)
        return table
    if isinstance(value, tuple):
        return list(value)
    return value


def set_setting(key: str, raw: str, path: Path | None = None) -> SettingWritten:
    """Write setting ``key`` = ``raw`` into the config file (``path``, by default the
    user's ``config.toml``), keeping every other line. ``UsageError`` (and nothing
    written) for an unknown key, a bad value, or a file that is broken already."""
    from tracker.paths import config_path, ensure_private_dir

    path = path or config_path()
    section, name = resolve_key(key)
    value = parse_value(name, raw)
    try:
        before = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read it ({exc})") from None
    try:
        document = tomlkit.parse(before)
    except tomlkit.exceptions.TOMLKitError as exc:
        raise UsageError(f"{path}: not valid TOML ({exc})") from None
    table = document.get(section)
    if table is None:
        document.add(section, tomlkit.table())
        table = document[section]
    elif not isinstance(table, dict):
        raise UsageError(f"{path}: {section!r} must be a [section] table")
    table[name] = _toml_item(value)  # type: ignore[index]
    after = tomlkit.dumps(document)
    settings = settings_from_text(after, path)
    ensure_private_dir(path.parent)
    _write_private(path, after)
    return SettingWritten(section, name, path, settings)


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` beside ``path`` and rename it into place (readable by its owner
    only), so a failure never leaves half a config file."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise UsageError(f"could not write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise UsageError(f"could not write {path}: {exc.strerror or exc}") from None
