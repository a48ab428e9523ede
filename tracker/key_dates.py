"""Key dates: a contact's birthday (with or without its year) and other dates that come
round every year ("renewal", "work anniversary"), read from what people type and what
files hold, and when each falls (DOMAIN.md, "Key dates").

Pure functions: the day is always an argument. A date on Feb 29 falls on Feb 28 in the
years that have none; a date given with its year falls from that year on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import NamedTuple

from tracker.errors import UsageError
from tracker.models import BIRTHDAY, KeyDate
from tracker.timeutil import EARLIEST_YEAR, LATEST_YEAR

LABEL_LIMIT = 40
"""The longest label a key date may have (it is a word or two, not a note)."""
ANY_YEAR = 2000
"""A leap year: the year a date without one is checked against (so Feb 29 is a date)."""
_FULL = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$")
_NO_YEAR = re.compile(r"^--(\d{2})-?(\d{2})$")
_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
_TYPED_HELP = "YYYY-MM-DD, or --MM-DD without the year"


def normalize_label(text: str) -> str:
    """A label as stored: words lower-cased, one space between them (``Work_Anniversary``
    is ``work anniversary``). ``UsageError`` for an empty or overlong one."""
    printable = "".join(c if c.isprintable() else " " for c in text.replace("_", " "))
    label = " ".join(printable.split()).casefold()
    if not label:
        raise UsageError("a key date needs a label (LABEL=DATE, e.g. renewal=2027-03-01)")
    if len(label) > LABEL_LIMIT:
        raise UsageError(f"key date label {text.strip()[:LABEL_LIMIT]!r} is too long")
    if any(mark in label for mark in "=:;"):
        raise UsageError(f"key date label {label!r} cannot hold '=', ':' or ';'")
    return label


def _checked(label: str, year: int | None, month: int, day: int) -> KeyDate | None:
    """The key date, or ``None`` when the numbers are no calendar date."""
    if year is not None and not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return None
    try:
        date(year or ANY_YEAR, month, day)
    except ValueError:
        return None
    return KeyDate(label, month, day, year)


def parse_key_date(label: str, text: str) -> KeyDate:
    """A key date as typed: ``1988-05-12`` (or ``19880512``), or ``--05-12`` (or
    ``--0512``) without the year. ``UsageError`` names a bad one."""
    cleaned = text.strip()
    full, no_year = _FULL.match(cleaned), _NO_YEAR.match(cleaned)
    found = None
    if full:
        found = _checked(label, *(int(part) for part in full.groups()))
    elif no_year:
        found = _checked(label, None, int(no_year.group(1)), int(no_year.group(2)))
    if found is None:
        raise UsageError(f"{label} {text.strip()!r} is not a date ({_TYPED_HELP})")
    return found


def parse_date_option(text: str) -> tuple[str, str]:
    """``LABEL=DATE`` (``--date renewal=2027-03-01``) as ``(label, date text)``; the date
    may be empty (it clears that label)."""
    label, sep, value = text.rpartition("=")
    if not sep:
        raise UsageError(f"--date {text!r}: use LABEL=DATE, e.g. renewal=2027-03-01")
    return normalize_label(label), value.strip()


def read_file_date(label: str, text: str, omitted_year: int | None = None) -> KeyDate | None:
    """A date as contact files write it, ``None`` when it is none: vCard's ``BDAY``
    (``1988-05-12``, ``19880512``, ``--0512``, ``--05-12``, a time after it), Google's CSV
    (`` --05-12`` with a space), Outlook's (``5/12/1988``, month first; ``0/0/00`` is
    empty). ``omitted_year`` is a year that means "no year" (Apple's contacts write
    ``BDAY;X-APPLE-OMIT-YEAR=1604:1604-05-12``)."""
    cleaned = text.strip()
    if "T" in cleaned:
        cleaned = cleaned.split("T", 1)[0]
    full, no_year = _FULL.match(cleaned), _NO_YEAR.match(cleaned)
    if full:
        year, month, day = (int(part) for part in full.groups())
        return _checked(label, None if year == omitted_year else year, month, day)
    if no_year:
        return _checked(label, None, int(no_year.group(1)), int(no_year.group(2)))
    slashed = _SLASHED.match(cleaned)
    if slashed:
        month, day, year = (int(part) for part in slashed.groups())
        if len(slashed.group(3)) == 2:
            return None  # Outlook's "0/0/00" (no date), or a year we cannot place
        return _checked(label, year, month, day)
    return None


def read_file_key_dates(text: str) -> tuple[list[KeyDate], int]:
    """A contacts file's key dates cell, ``birthday:1988-05-12; renewal:--03-01`` (a date
    alone is a birthday): the dates read, and how many parts could not be."""
    found: list[KeyDate] = []
    unreadable = 0
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        key_date = read_file_date(BIRTHDAY, part)
        if key_date is None:
            label, sep, value = part.partition(":")
            try:
                key_date = read_file_date(normalize_label(label), value) if sep else None
            except UsageError:
                key_date = None
        if key_date is None:
            unreadable += 1
        else:
            found.append(key_date)
    return found, unreadable


def typed(key_date: KeyDate) -> str:
    """The date as it is typed and exported: ``1988-05-12`` or ``--05-12``."""
    month_day = f"{key_date.month:02d}-{key_date.day:02d}"
    return f"{key_date.year:04d}-{month_day}" if key_date.year else f"--{month_day}"


def month_day(key_date: KeyDate) -> str:
    """``MM-DD``: how the store finds the dates that fall on a day."""
    return f"{key_date.month:02d}-{key_date.day:02d}"


def on_year(key_date: KeyDate, year: int) -> date | None:
    """The day ``key_date`` falls in ``year`` (Feb 29 on Feb 28 in other years), ``None``
    before the year it was given with."""
    if key_date.year is not None and year < key_date.year:
        return None
    try:
        return date(year, key_date.month, key_date.day)
    except ValueError:  # Feb 29 in a year without one
        return date(year, key_date.month, key_date.day - 1)


def last_on_or_before(key_date: KeyDate, today: date) -> date | None:
    """When ``key_date`` last fell, ``today`` included (``None``: it has not yet)."""
    this_year = on_year(key_date, today.year)
    if this_year is not None and this_year <= today:
        return this_year
    return on_year(key_date, today.year - 1)


def next_on_or_after(key_date: KeyDate, today: date) -> date | None:
    """When ``key_date`` next falls, ``today`` included."""
    this_year = on_year(key_date, today.year)
    if this_year is not None and this_year >= today:
        return this_year
    if key_date.year is not None and key_date.year > today.year:
        return on_year(key_date, key_date.year)
    return on_year(key_date, today.year + 1)


def month_days_back(today: date, days: int) -> list[str]:
    """Every ``MM-DD`` a date falling in the ``days`` days before ``today`` (and today)
    can be stored as: Feb 29 too when Feb 28 of a year without one is among them."""
    found: list[str] = []
    for back in range(days + 1):
        day = today - timedelta(days=back)
        found.append(f"{day.month:02d}-{day.day:02d}")
        if day.month == 2 and day.day == 28 and not _leap(day.year):
            found.append("02-29")
    return list(dict.fromkeys(found))


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


class Occasion(NamedTuple):
    """A key date as it falls on one day: the date, the day it fell, and its age in days."""

    key_date: KeyDate
    on: date
    age: int

    @property
    def years(self) -> int | None:
        """How many years since the date was given (a birthday's age), if it has a year."""
        return self.on.year - self.key_date.year if self.key_date.year else None


def occasions(key_dates: Iterable[KeyDate], today: date, days: int) -> list[Occasion]:
    """The key dates that fell today or in the ``days`` days before, most recent first
    (a birthday before the other labels on the same day)."""
    found = []
    for key_date in key_dates:
        on = last_on_or_before(key_date, today)
        if on is not None and (today - on).days <= days:
            found.append(Occasion(key_date, on, (today - on).days))
    return sorted(found, key=lambda o: (o.age, o.key_date.label != BIRTHDAY, o.key_date.label))


def occasion_words(occasion: Occasion) -> str:
    """``turns 38`` for a birthday with its year (``turned 38`` after the day), ``5
    years`` for another date with its year, empty without one (or before the year)."""
    years = occasion.years
    if not years or years < 0:
        return ""
    if occasion.key_date.label == BIRTHDAY:
        return f"turns {years}" if occasion.age <= 0 else f"turned {years}"
    return f"{years} year{'s' if years != 1 else ''}"


def occasion_field(occasion: Occasion) -> str:
    """What a congratulation template says the occasion is: ``your work anniversary``,
    ``your 5-year work anniversary``."""
    label = occasion.key_date.label
    years = occasion.years
    if years and years > 0 and label != BIRTHDAY and "anniversary" in label:
        return f"your {years}-year {label}"
    return f"your {label}"


def sorted_key_dates(key_dates: Sequence[KeyDate]) -> list[KeyDate]:
    """A contact's key dates as shown: the birthday first, then by label."""
    return sorted(key_dates, key=lambda k: (k.label != BIRTHDAY, k.label))


def shown(key_date: KeyDate) -> str:
    """``May 12, 1988`` or ``May 12`` (no year)."""
    name = date(ANY_YEAR, key_date.month, key_date.day).strftime("%b")
    text = f"{name} {key_date.day}"
    return f"{text}, {key_date.year}" if key_date.year else text


def changes_from_options(birthday: str | None, dates: Sequence[str]) -> dict[str, KeyDate | None]:
    """The key dates ``--birthday DATE`` and ``--date LABEL=DATE`` (repeatable) set, by
    label; an empty date removes that label's. ``UsageError`` names a bad one."""
    changes: dict[str, KeyDate | None] = {}
    pairs = [(BIRTHDAY, birthday)] if birthday is not None else []
    pairs += [parse_date_option(option) for option in dates]
    for label, text in pairs:
        label = normalize_label(label)
        changes[label] = parse_key_date(label, text) if text.strip() else None
    return changes


def form_text(key_dates: Sequence[KeyDate]) -> tuple[str, str]:
    """A contact's key dates as the edit form shows them: the birthday (``1988-05-12``)
    and the others (``renewal=2027-03-01, work anniversary=2019-06-03``)."""
    birthday = next((typed(k) for k in key_dates if k.label == BIRTHDAY), "")
    others = ", ".join(f"{k.label}={typed(k)}" for k in key_dates if k.label != BIRTHDAY)
    return birthday, others


def changes_from_form(
    birthday: str | None, others: str | None, current: Sequence[KeyDate]
) -> dict[str, KeyDate | None]:
    """The key date changes an edit form asks for (``None`` for a field left as it was):
    the birthday set or cleared; the other dates as listed, the labels no longer listed
    removed. ``UsageError`` names a bad one."""
    changes: dict[str, KeyDate | None] = {}
    if birthday is not None:
        text = birthday.strip()
        changes[BIRTHDAY] = parse_key_date(BIRTHDAY, text) if text else None
    if others is not None:
        listed = [part for part in others.split(",") if part.strip()]
        found = changes_from_options(None, listed)
        for key_date in current:
            if key_date.label != BIRTHDAY and key_date.label not in found:
                changes[key_date.label] = None
        changes.update(found)
    return changes
