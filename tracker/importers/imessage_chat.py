"""Reading one imessage-exporter chat file (FORMATS.md, "iPhone"): its messages and its
announcements, as the exporter writes them.

A message is a date line (``May 17, 2022  5:29:42 PM``, maybe followed by
``(Read by ...)``), the sender (``Me``, a handle, or a contact's name when the exporter
had Contacts access) and the body up to the next date line. An announcement is one line,
dated (``May 17, 2022  5:29:42 PM Sam Seller renamed the conversation to Deal Team``) or,
at the top of a file, not (``Sam named the conversation "Deal Team"``).

The body a touch keeps is the text the person last saw: an edited message is written as
its first version after a date (``May 17, 2022  5:29:42 PM Running late``) then each
later one (``Edited 1 minute later: Running 15 min late``), and only the last one is
kept; the tapbacks block, the "responded to an earlier message" note, send effects and
the replies the exporter repeats in context (indented) are left out. Times have no zone:
they are the user's local time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from tracker.importers.common import check_year, digest, fail
from tracker.timeutil import start_of_day

_DATE = (
    r"(?P<month>[A-Z][a-z]{2}) (?P<day>\d{1,2}), (?P<year>\d{4}) +"
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2}):(?P<second>\d{2}) (?P<half>[AP]M)"
)
DATE_LINE = re.compile(rf"^ {{0,3}}{_DATE}(?: \(.*\))?\s*$")
"""A message's first line (a reply the exporter repeats in context is indented by 4)."""
_REPLY_DATE_LINE = re.compile(rf"^ {{4,}}{_DATE}(?: \(.*\))?\s*$")
_DATED_TEXT = re.compile(rf"^ {{0,3}}{_DATE} (?P<text>\S.*?)\s*$")
"""A dated line with text after the time: an announcement, or an edit's first version."""
_LEGACY_DATE_LINE = re.compile(rf"^\s*{_DATE}(?: \(.*\))?\s*$")
"""Where earlier versions of this reader ended a body (for stable touch sources)."""
_GROUP_ACTION = re.compile(
    r"\b(?:named the conversation|renamed the conversation|added .+ to the conversation"
    r"|removed .+ from the conversation|left the conversation|changed the group photo"
    r"|removed the group photo)"
)
_ANNOUNCEMENT = re.compile(
    _GROUP_ACTION.pattern
    + r"|\b(?:kept an audio message|unsent a message|performed unknown action)"
)
_EDITED = re.compile(r"^Edited .+? later: (?P<text>.*)$")
_EFFECT = re.compile(
    r"^Sent with (?:Slam|Loud|Gentle|Invisible Ink|Confetti|Echo|Fireworks|Balloons|Heart"
    r"|Lasers|Shooting Star|Sparkles|Spotlight)$"
)
ME = "Me"
TAPBACKS = frozenset({"Reactions:", "Tapbacks:"})
"""The block of tapbacks ("Loved by Me") that runs to the end of a message."""
REPLY_NOTE = "This message responded to an earlier message."
LEGACY_REACTIONS = "Reactions:"
HEAD_LINES = 40
"""How far into a file ``looks_like_imessage`` looks for its first message."""


@dataclass(frozen=True)
class ChatMessage:
    line: int
    at: datetime
    sender: str
    body: str
    """The text the touch keeps (the last version of an edited message)."""
    key: str
    """A digest of the body as earlier versions of this reader read it, so a touch
    imported then keeps its source."""


@dataclass(frozen=True)
class Announcement:
    """A line about the chat itself (renamed, someone added or left): not a message."""

    line: int
    text: str

    @property
    def is_group_action(self) -> bool:
        """Whether it says the chat is a group (a name, members added or leaving)."""
        return _GROUP_ACTION.search(self.text) is not None


Item = ChatMessage | Announcement


def _is_announcement(line: str) -> bool:
    return _DATED_TEXT.match(line) is not None or _ANNOUNCEMENT.search(line) is not None


def looks_like_imessage(text: str) -> bool:
    """Whether ``text`` starts like an imessage-exporter chat: a message's date line,
    maybe after announcement lines."""
    dated = False
    for line in text.splitlines()[:HEAD_LINES]:
        if not line.strip():
            continue
        if DATE_LINE.match(line):
            return True
        if not _is_announcement(line):
            return False
        dated = dated or _DATED_TEXT.match(line) is not None
    return dated


def parse_chat(text: str, name: str, tz: tzinfo) -> list[Item]:
    """The messages and announcements of one chat file, in file order. A file that does
    not start with a message or an announcement is refused as an unsupported format."""
    lines = text.splitlines()
    items: list[Item] = []
    position = 0
    while position < len(lines) and not DATE_LINE.match(lines[position]):
        line = lines[position]
        if line.strip():
            if not _is_announcement(line):
                fail(name, position + 1, "unsupported format: not imessage-exporter text output")
            items.append(Announcement(position + 1, _announcement_text(line)))
        position += 1
    while position < len(lines):
        line = lines[position]
        match = DATE_LINE.match(line)
        if match is None:
            if _DATED_TEXT.match(line):
                items.append(Announcement(position + 1, _announcement_text(line)))
            position += 1
            continue
        start = position
        sender = lines[position + 1].strip() if position + 1 < len(lines) else ""
        position += 2
        body: list[str] = []
        while position < len(lines) and not DATE_LINE.match(lines[position]):
            if _announcement_follows(lines, position, body):
                break
            body.append(lines[position])
            position += 1
        at = _moment(match, tz, name, start + 1)
        key = digest(_legacy_body(lines, start + 2))
        items.append(ChatMessage(start + 1, at, sender, _final_text(body), key))
    return items


def _announcement_text(line: str) -> str:
    match = _DATED_TEXT.match(line)
    return (match["text"] if match else line).strip()


def _announcement_follows(lines: list[str], position: int, body: list[str]) -> bool:
    """Whether ``lines[position]`` is an announcement after the message so far: a dated
    line standing alone between blank lines (an edit's first version follows its
    sender line or a line of text, and is followed by its later versions)."""
    if not body or body[-1].strip() or not _DATED_TEXT.match(lines[position]):
        return False
    following = lines[position + 1] if position + 1 < len(lines) else ""
    return not following.strip() or DATE_LINE.match(following) is not None


def _final_text(body: list[str]) -> str:
    """The body as the person last saw it (see the module's docstring)."""
    kept: list[str] = []
    edit_start: int | None = None
    for raw in body:
        if _REPLY_DATE_LINE.match(raw):
            break  # replies repeated in context: each is a message of its own
        line = raw.strip()
        if line in TAPBACKS:
            break
        if line == REPLY_NOTE or _EFFECT.match(line):
            continue
        edited = _EDITED.match(line)
        if edited:
            del kept[edit_start or 0 :]
            edit_start = len(kept)
            kept.append(edited["text"].strip())
            continue
        first_version = _DATED_TEXT.match(raw)
        if first_version:
            edit_start = len(kept)
            kept.append(first_version["text"])
            continue
        kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    while kept and not kept[0]:
        kept.pop(0)
    return "\n".join(kept)


def _legacy_body(lines: list[str], start: int) -> str:
    """The body from ``start`` as this reader read it before it knew edits, replies and
    announcements: up to the next date line, indented or not, to the tapbacks, without
    the reply note."""
    kept: list[str] = []
    for raw in lines[start:]:
        if _LEGACY_DATE_LINE.match(raw) or raw.strip() == LEGACY_REACTIONS:
            break
        if raw.strip() != REPLY_NOTE:
            kept.append(raw.strip())
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept)


def _moment(match: re.Match[str], tz: tzinfo, name: str, line: int) -> datetime:
    raw = (
        f"{match['month']} {match['day']} {match['year']} "
        f"{match['hour']}:{match['minute']}:{match['second']} {match['half']}"
    )
    try:
        naive = datetime.strptime(raw, "%b %d %Y %I:%M:%S %p")
    except ValueError:
        fail(name, line, f"unreadable date {raw!r}")
    check_year(naive, name, line, raw)
    local = start_of_day(naive.date(), tz).astimezone(tz)
    moment = local.replace(hour=naive.hour, minute=naive.minute, second=naive.second)
    return moment.astimezone(UTC)
