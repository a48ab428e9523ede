"""The lines of a WhatsApp chat export: the date-and-time stamp that starts a message,
what kind of line follows it, and which order (day or month first) its dates are in.

Android writes ``12/31/23, 9:05 PM - Name: text`` (``31/12/2023, 21:05 - `` in many
locales); iOS ``[31/12/2023, 21:05:07] Name: text``. Recent versions put a narrow no-break
space (U+202F) before ``PM`` and left-to-right marks (U+200E) before the stamp and before
the text of system and media lines (FORMATS.md, "WhatsApp").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
_LAYOUTS: dict[tuple[bool, str, int, bool], tuple[bool, str, int, bool]] = {}
_MARK = re.compile(f"[{MARKS}]")
_ODD_SPACE = re.compile("[\u202f\u00a0\u2009]")
_HYPHEN = re.compile("[\u2010\u2011]")


def _no_marks(text: str) -> str:
    # Most lines are ASCII: the check costs next to nothing, a substitution far more.
    return text if text.isascii() else _MARK.sub("", text)


def _sender(text: str) -> str:
    """iOS writes a sender's number between embedding marks (U+202A, U+202C) and with a
    non-breaking hyphen (U+2011): ``+1 (312) 555-0142`` once cleaned."""
    return text if text.isascii() else _HYPHEN.sub("-", _MARK.sub("", text))


STAMP = re.compile(
    r"(?P<open>\[)?(?P<a>\d{1,4})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{2,4})\.?,? ?"
    r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:[:.](?P<second>\d{2}))?"
    r"(?:[ _]?(?P<half>[AaPp]\.? ?[Mm]\.?|vorm\.|nachm\.))?"
    r"(?(open)\] ?| ?[-–] )"
)
"""A message's stamp: bracketed (iOS) or followed by a dash (Android). ``_`` covers the
corrupted ``3:22_AM`` seen in the wild."""
ENCRYPTION = re.compile(
    r"^(Messages and calls are end-to-end encrypted|Messages to this (chat|group) and calls "
    r"are now secured with end-to-end encryption|Your security code with .* changed)"
)
GROUP_EVENT = re.compile(
    r"(\bcreated (the )?group\b|\bcreated this group\b|\badded\b|\bremoved\b|\bleft$|"
    r"\bjoined using this group's invite link\b|\bchanged the subject\b|"
    r"\bchanged this group's\b|\bchanged the group\b|\bgroup's icon\b|\bnow an admin\b|"
    r"\bno longer an admin\b)"
)
"""A system line about a group (its members, name or settings)."""
MEDIA = re.compile(
    r"^(<Media omitted>|<attached: [^>]*>|(image|video|audio|sticker|GIF|document|"
    r"Contact card|video note) omitted|.+ \(file attached\)|.* <attached: [^>]*>)$"
)
DELETED = re.compile(r"^(This message was deleted|You deleted this message)\b")
CALL = re.compile(r"^(Missed (group )?(voice|video) call|(Voice|Video) call)\b")
EDITED = " <This message was edited>"


class LineKind(StrEnum):
    TEXT = "text"
    MEDIA = "media"
    """A photo, video, voice note, sticker or file, with no text of its own: a touch."""
    CALL = "call"
    """A WhatsApp call (``Missed voice call``)."""
    DELETED = "deleted"
    """``This message was deleted``: no touch."""
    SYSTEM = "system"
    """Encryption notices, members added or leaving, subject changes: no touch."""


class Stamp(NamedTuple):
    """A stamp's fields as written; which of ``a`` and ``b`` is the day is decided for
    the whole file (``DateOrder``)."""

    a: int
    b: int
    c: int
    hour: int
    minute: int
    second: int
    pm: bool | None
    """True for PM, False for AM, None on a 24-hour clock."""
    layout: tuple[bool, str, int, bool]
    """(bracketed, separator, digits of the last field, 12-hour clock): one layout is one
    date order (a file can hold two when the phone's locale changed)."""


def split_stamp(line: str) -> tuple[Stamp, str] | None:
    """The stamp at the start of ``line`` and the rest of the line, or None."""
    start = 0
    while start < len(line) and line[start] in MARKS:
        start += 1
    if start == len(line) or (not line[start].isdigit() and line[start] != "["):
        return None
    if not line.isascii():
        line = _ODD_SPACE.sub(" ", line)
    match = STAMP.match(line, start)
    if match is None:
        return None
    half = match["half"]
    layout = (match["open"] is not None, match["sep"], len(match["c"]), half is not None)
    pm = None if half is None else half[0] in "pPn"
    stamp = Stamp(
        int(match["a"]),
        int(match["b"]),
        int(match["c"]),
        int(match["hour"]),
        int(match["minute"]),
        int(match["second"] or 0),
        pm,
        _LAYOUTS.setdefault(layout, layout),  # one tuple per layout, not per line
    )
    return stamp, line[match.end() :]


def classify(rest: str) -> tuple[str, str, LineKind]:
    """``(sender, text, kind)`` of what follows a stamp. A system line has no sender on
    Android and the chat's name as sender (with a mark before its text) on iOS."""
    plain = _no_marks(rest).strip()
    if ENCRYPTION.match(plain):
        return "", plain, LineKind.SYSTEM
    sender, colon, text = rest.partition(": ")
    if not colon or '"' in sender or "“" in sender or GROUP_EVENT.search(sender):
        return "", plain, LineKind.SYSTEM
    marked = text[:1] in MARKS
    sender = _sender(sender).strip()
    text = _no_marks(text).strip()
    if ENCRYPTION.match(text) or (marked and GROUP_EVENT.search(text)):
        return "", text, LineKind.SYSTEM  # iOS names the chat as the sender
    return sender, text, kind_of(text)


def kind_of(text: str) -> LineKind:
    """What a message from a sender is, from its first line."""
    first = text.split("\n", 1)[0].strip()
    if MEDIA.match(first):
        return LineKind.MEDIA
    if DELETED.match(first):
        return LineKind.DELETED
    if CALL.match(first):
        return LineKind.CALL
    return LineKind.TEXT


def clean(text: str) -> str:
    """A message's text without WhatsApp's marks and ``<This message was edited>``."""
    text = _no_marks(text)
    if EDITED in text:
        text = text.replace(EDITED, "")
    return text.strip()


@dataclass
class DateOrder:
    """The evidence, per layout, for day-first or month-first dates: a first field over
    12 can only be a day, a second one only a day too; failing that, the order under
    which the chat's dates run forward more often."""

    seen: dict[tuple[bool, str, int, bool], list[int]] = field(default_factory=dict)
    """Per layout: [first over 12, second over 12, backward steps day-first, backward
    steps month-first, last day-first date, last month-first date]."""

    def add(self, stamp: Stamp) -> None:
        if stamp.a > 31:
            return  # year first (2024-03-12): nothing to decide
        evidence = self.seen.setdefault(stamp.layout, [0, 0, 0, 0, 0, 0])
        if stamp.a > 12:
            evidence[0] += 1
        if stamp.b > 12:
            evidence[1] += 1
        day_first = stamp.c * 10000 + stamp.b * 100 + stamp.a
        month_first = stamp.c * 10000 + stamp.a * 100 + stamp.b
        if day_first < evidence[4]:
            evidence[2] += 1
        if month_first < evidence[5]:
            evidence[3] += 1
        evidence[4], evidence[5] = day_first, month_first

    def day_first(self, layout: tuple[bool, str, int, bool], default: bool | None) -> bool:
        """Whether dates of ``layout`` are day-first. With no evidence either way, the
        ``default`` the caller gave, else the order under which the dates run forward,
        else month-first on a 12-hour clock (the US) and day-first on a 24-hour one."""
        first_over, second_over, back_day, back_month, _, _ = self.seen.get(
            layout, [0, 0, 0, 0, 0, 0]
        )
        if first_over != second_over and (first_over == 0 or second_over == 0):
            return first_over > 0
        if first_over and second_over:
            return first_over >= second_over
        if default is not None:
            return default
        if back_day != back_month:
            return back_day < back_month
        return not layout[3]
