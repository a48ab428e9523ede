"""Settings: every threshold and default from DOMAIN.md, overridable in ``config.toml``.

The file is TOML with one table per section, e.g.::

    [review]
    stale_invite_days = 10

    [contacts]
    default_region = "GB"

Unknown keys and values of the wrong type are errors that name the file and key, so a
typo never silently leaves a default in force.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tracker.errors import UsageError


def _setting(section: str, default: Any, help: str) -> Any:
    meta = {"section": section, "help": help}
    if isinstance(default, dict):
        return field(default_factory=lambda: dict(default), metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class Settings:
    """Every tunable number and default. Field metadata names its TOML section."""

    # The daily review (DOMAIN.md, "The daily review").
    thank_window_days: int = _setting(
        "review", 14, "show thank_new_connection while the acceptance is younger than this"
    )
    no_reply_days: int = _setting("review", 3, "days an email or LinkedIn message waits")
    unanswered_text_days: int = _setting("review", 1, "days a text waits before a nudge")
    step_back_run: int = _setting("review", 2, "unanswered texts in a row that mean stop")
    stale_invite_days: int = _setting("review", 14, "days an invitation may stay pending")
    invite_overdue_days: int = _setting(
        "review", 21, "pending this long, an invitation is marked overdue in the app"
    )
    resend_invite_days: int = _setting("review", 21, "LinkedIn's lockout after a withdrawal")
    horizon_days: int = _setting(
        "review", 30, "an item due longer than this has lapsed: hidden from the day's queue"
    )
    clock_skew_minutes: int = _setting(
        "review", 5, "a touch may be dated this far ahead of now (clocks differ); meetings any"
    )
    follow_up_max_past_days: int = _setting(
        "review", 365, "a follow-up date further back than this needs --force"
    )
    key_date_days: int = _setting(
        "review", 2, "days after a birthday or other key date that it stays in the review"
    )
    timezone: str = _setting("review", "", "IANA time zone for calendar days (empty: the system's)")
    # Contacts and identity.
    default_region: str = _setting(
        "contacts", "US", "region for phone numbers written without a country code"
    )
    stop_words: tuple[str, ...] = _setting(
        "contacts",
        ("STOP", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"),
        "an inbound text that is exactly one of these opts the contact out",
    )
    # The message coach (DOMAIN.md, "Guardrails").
    my_name: str = _setting("coach", "", "your first and last name, for texts")
    note_limit: int = _setting("coach", 300, "LinkedIn note limit (200 on free accounts)")
    opt_in_wait_hours: int = _setting("coach", 24, "wait after an opt-in before texting")
    quiet_start: str = _setting("coach", "08:00", "earliest local time to text someone")
    quiet_end: str = _setting("coach", "21:00", "latest local time to text someone")
    stranger_words_min: int = _setting("coach", 20, "fewest words in a note to a stranger")
    stranger_words_max: int = _setting("coach", 50, "most words in a note to a stranger")
    reconnect_words_min: int = _setting("coach", 10, "fewest words when reconnecting")
    reconnect_words_max: int = _setting("coach", 30, "most words when reconnecting")
    # Imports (DOMAIN.md, "Imports and identity").
    max_recipients: int = _setting(
        "import", 10, "an email or meeting with more people than this is not a personal touch"
    )
    # Who you are, for imports: your own mail, number, profile and name in chats.
    emails: tuple[str, ...] = _setting("me", (), "your email addresses (mail from them is yours)")
    phones: tuple[str, ...] = _setting("me", (), "your phone numbers")
    linkedin: str = _setting("me", "", "your LinkedIn profile URL")
    names: tuple[str, ...] = _setting("me", (), 'how chat exports show you ("Sam Seller", "You")')
    # Insights.
    min_sample: int = _setting("insights", 10, "fewer invitations than this are too few")
    # Sequences (DOMAIN.md, "Sequences").
    holidays: tuple[date, ...] = _setting(
        "sequences", (), "days that are not business days for a sequence's delays"
    )
    max_per_day: int | dict[str, int] = _setting(
        "sequences",
        0,
        "sequence steps due per channel per day, the rest move to the next business day "
        "(a number, or per channel: { linkedin_invite = 20 }; 0: no cap)",
    )
    # LinkedIn account health (what LinkedIn restricts accounts for).
    weekly_invite_limit: int = _setting(
        "linkedin", 100, "invitations in any 7 days (rolling, by local day)"
    )
    monthly_note_limit: int = _setting(
        "linkedin", 0, "notes with invitations per calendar month (0: no limit; free: 5)"
    )
    pending_ceiling: int = _setting("linkedin", 500, "invitations pending at once")
    min_acceptance: float = _setting(
        "linkedin", 0.30, "acceptance over the last 30 days below this warns (0 to 1)"
    )
    min_acceptance_decided: int = _setting(
        "linkedin", 20, "invitations decided in 30 days before acceptance is judged"
    )
    warn_at_percent: int = _setting("linkedin", 80, "warn at this share of any limit (percent)")
    # The app.
    keymap: dict[str, str] = _setting("app", {}, "binding id -> keys, to remap the app")

    def section_of(self, name: str) -> str:
        """The TOML section a setting lives in."""
        return next(f.metadata["section"] for f in fields(self) if f.name == name)


RENAMED = {("insights", "weekly_invite_budget"): ("linkedin", "weekly_invite_limit")}
"""Settings read under an old name: (section, old name) -> (section, name now)."""


def _coerce(path: Path, key: str, expected: Any, value: Any) -> Any:
    where = f"{path}: setting {key!r}"
    if isinstance(expected, float):
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise UsageError(f"{where} must be a number of 0 or more, not {value!r}")
        return float(value)
    if isinstance(expected, (bool, int)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise UsageError(f"{where} must be a whole number of 0 or more, not {value!r}")
        return value
    if isinstance(expected, str):
        if not isinstance(value, str):
            raise UsageError(f"{where} must be a string, not {value!r}")
        return value
    if isinstance(expected, tuple):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise UsageError(f"{where} must be a list of strings")
        return tuple(value)
    if isinstance(expected, dict):
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise UsageError(f"{where} must be a table of strings")
        return dict(value)
    return value


def _holidays(where: str, value: Any) -> tuple[date, ...]:
    """A list of days (TOML dates, or ``"YYYY-MM-DD"`` strings), sorted, once each."""
    wrong = UsageError(f"{where} must be a list of dates like [2026-11-26, 2026-12-25]")
    if not isinstance(value, list):
        raise wrong
    days: set[date] = set()
    for item in value:
        if isinstance(item, datetime) or not isinstance(item, (date, str)):
            raise wrong
        if isinstance(item, str):
            try:
                item = date.fromisoformat(item.strip())
            except ValueError:
                raise UsageError(f"{where}: {item!r} is not a date (YYYY-MM-DD)") from None
        days.add(item)
    return tuple(sorted(days))


def _max_per_day(where: str, value: Any) -> int | dict[str, int]:
    """A cap for every channel, or a table of caps by channel (0: no cap)."""
    from tracker.sequences.definitions import CHANNELS

    def count(key: str, number: Any) -> int:
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            raise UsageError(f"{where}{key} must be a whole number of 0 or more, not {number!r}")
        return number

    if isinstance(value, dict):
        for channel in value:
            if channel not in CHANNELS:
                raise UsageError(
                    f"{where}: unknown channel {channel!r} (one of {', '.join(CHANNELS)})"
                )
        return {channel: count(f" {channel}", number) for channel, number in value.items()}
    return count("", value)


_READERS = {"holidays": _holidays, "max_per_day": _max_per_day}
"""Settings whose values are read by their own rules rather than by their default's type."""


def load_settings(path: Path | None = None, notes: list[str] | None = None) -> Settings:
    """Read settings from ``path`` (the user's config file by default).

    A missing file means every default. A broken one raises ``UsageError`` naming it.
    What the user should know about the file (a setting under its old name) is added
    to ``notes`` when given.
    """
    if path is None:
        from tracker.paths import config_path

        path = config_path()
    if not path.exists():
        return Settings()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML ({exc})") from None
    return settings_from_text(text, path, notes)


def settings_from_text(text: str, path: Path, notes: list[str] | None = None) -> Settings:
    """The settings a config file holding ``text`` gives (``path`` names it in errors):
    every check a loaded file gets, so a writer can test a file before writing it.
    A setting under an old name (``RENAMED``) is read as the new one, unless the new one
    is there too, and ``notes`` (when given) says so."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML ({exc})") from None
    defaults = Settings()
    by_name = {f.name: f for f in fields(Settings)}
    changes: dict[str, Any] = {}
    renamed: dict[str, Any] = {}
    for section, table in data.items():
        if not isinstance(table, dict):
            raise UsageError(f"{path}: {section!r} must be a [section] table")
        for key, value in table.items():
            if (section, key) in RENAMED:
                new_section, new_key = RENAMED[(section, key)]
                where = f"[{new_section}] {new_key}"
                renamed[new_key] = _coerce(path, where, getattr(defaults, new_key), value)
                if notes is not None:
                    used = (
                        "the new one is used" if _has(data, new_section, new_key) else "read as it"
                    )
                    notes.append(f"{path}: [{section}] {key} is now {where}: {used}; rename it")
                continue
            spec = by_name.get(key)
            if spec is None or spec.metadata["section"] != section:
                raise UsageError(f"{path}: unknown setting [{section}] {key}")
            if key in _READERS:
                changes[key] = _READERS[key](f"{path}: setting '[{section}] {key}'", value)
                continue
            changes[key] = _coerce(path, f"[{section}] {key}", getattr(defaults, key), value)
    settings = replace(defaults, **{**renamed, **changes})
    _validate(path, settings)
    return settings


def _has(data: dict[str, Any], section: str, key: str) -> bool:
    table = data.get(section)
    return isinstance(table, dict) and key in table


def settings_with(settings: Settings, changes: dict[str, Any], where: str) -> Settings:
    """``settings`` with ``changes`` (setting name -> value as TOML reads it) applied,
    given every check a loaded file gets; ``where`` names their origin in errors (a
    flag, say, as a file's path would)."""
    origin = Path(where)
    by_name = {f.name: f for f in fields(Settings)}
    coerced: dict[str, Any] = {}
    for name, value in changes.items():
        spec = by_name.get(name)
        if spec is None:
            raise UsageError(f"{where}: unknown setting {name!r}")
        key = f"[{spec.metadata['section']}] {name}"
        coerced[name] = _coerce(origin, key, getattr(settings, name), value)
    changed = replace(settings, **coerced)
    _validate(origin, changed)
    return changed


def _validate(path: Path, settings: Settings) -> None:
    for key in ("quiet_start", "quiet_end"):
        value = getattr(settings, key)
        parts = value.split(":")
        if (
            len(parts) != 2
            or not all(p.isdigit() for p in parts)
            or not (0 <= int(parts[0]) <= 23 and 0 <= int(parts[1]) <= 59)
        ):
            raise UsageError(f"{path}: setting {key!r} must be HH:MM, not {value!r}")
    if settings.timezone:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(settings.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise UsageError(f"{path}: unknown time zone {settings.timezone!r}") from None
    for email in settings.emails:
        if "@" not in email or any(c.isspace() for c in email.strip()):
            raise UsageError(f"{path}: setting 'emails' holds {email!r}, not an email address")
    if settings.linkedin and "linkedin.com/in/" not in settings.linkedin.lower():
        raise UsageError(
            f"{path}: setting 'linkedin' must be a profile URL "
            f"(https://www.linkedin.com/in/you), not {settings.linkedin!r}"
        )
    if settings.step_back_run < 1:
        raise UsageError(f"{path}: setting 'step_back_run' must be 1 or more")
    if settings.min_acceptance > 1:
        raise UsageError(f"{path}: setting 'min_acceptance' must be 0 to 1 (0.30 is 30%)")
    if not 1 <= settings.warn_at_percent <= 100:
        raise UsageError(f"{path}: setting 'warn_at_percent' must be 1 to 100")
    if settings.keymap:
        from tracker.keymap import keymap_problem

        problem = keymap_problem(settings.keymap)
        if problem:
            raise UsageError(f"{path}: {problem}")
