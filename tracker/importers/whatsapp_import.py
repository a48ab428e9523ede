"""WhatsApp chat exports (``.txt`` or the shared ``.zip``) → ``whatsapp`` touches (DOMAIN.md,
"WhatsApp"): an inbound message is a reply like any other; an outbound one waits for one
like a LinkedIn message (``no_reply``); no SMS consent rule applies, so a STOP opts
nobody out. Calls in the chat are calls (a missed one is ``no_answer``).

The rep is the sender named in ``[me] names`` (or by a number in ``[me] phones``); in a
one-to-one chat with no such sender, the one who is not the chat's name. The other party
is matched by phone when the chat's name or the sender is a number, else by exact
contact name. A group chat is group touches (DOMAIN.md, "Group messages"): the rep's
message is one touch per member who is a contact, a member's message one touch from that
member. System lines and deleted messages are counted, never touches.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, tzinfo
from hashlib import sha1
from pathlib import Path
from typing import NamedTuple

from tracker.identity import looks_like_phone
from tracker.importers.common import Skipped
from tracker.importers.people import Counterparts
from tracker.importers.whatsapp import ChatMessage, LineKind, chat_name_of, read_whatsapp
from tracker.me import Me, NeedsMe
from tracker.models import CallStatus, Channel, Direction
from tracker.service.import_report import ProgressCallback
from tracker.service.import_writer import TouchRow
from tracker.service.imports import ImportSession
from tracker.timeutil import to_stored

PREFIX = "wa:"
IN = Direction.IN
CALL, WHATSAPP = Channel.CALL.value, Channel.WHATSAPP.value
Phone = Callable[[str], "str | None"]


def _same(one: str, other: str, phone: Phone) -> bool:
    """Whether two names of a chat (a sender, the chat's name) are one person."""
    if one.casefold() == other.casefold():
        return True
    if looks_like_phone(one) and looks_like_phone(other):
        mine = phone(one)
        return mine is not None and mine == phone(other)
    return False


def _senders(messages: Sequence[ChatMessage]) -> list[str]:
    return list(dict.fromkeys(m.sender for m in messages if m.sender and not m.is_system))


def rep_senders(
    messages: Sequence[ChatMessage], chat: str, group: bool, rep: Me, phone: Phone
) -> set[str]:
    """The senders who are the rep (none: the rep wrote nothing here). ``NeedsMe`` when
    the chat cannot tell and ``[me]`` does not either."""
    senders = _senders(messages)
    mine = {
        s for s in senders if rep.is_name(s) or (looks_like_phone(s) and phone(s) in rep.phones)
    }
    if mine:
        return mine
    if group:
        if rep.names or rep.phones:
            return set()  # the rep is known, and wrote nothing in this group
        raise NeedsMe("names", "this WhatsApp group chat")
    others = [s for s in senders if not _same(s, chat, phone)]
    if len(others) <= 1:
        return set(others)
    raise NeedsMe("names", "this WhatsApp chat")


class Chat(NamedTuple):
    """A chat export read: its items, its name, whether it is a group, and the lines of
    a UTF-8 file that were read as Windows-1252 (by file name)."""

    items: list[ChatMessage | Skipped]
    name: str
    group: bool
    repaired: dict[str, tuple[int, ...]]


_READ: dict[tuple[str, int, int, str], Chat] = {}
"""The chat last read to see whether the import needs the rep's name (``keep=True``),
taken back by the import itself, so the file is parsed once."""


def read_chat(
    path: Path, tz: tzinfo, progress: ProgressCallback | None = None, keep: bool = False
) -> Chat:
    """The chat at ``path``. With ``keep``, the result is kept for the next call on the
    same unchanged file (which takes it)."""
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns, str(tz))
    kept = _READ.pop(key, None)
    if kept is not None:
        if progress:
            progress(1, 1)
        return kept
    _READ.clear()
    repaired: dict[str, tuple[int, ...]] = {}
    items = list(read_whatsapp(path, tz, progress=progress, repaired=repaired.__setitem__))
    messages = [m for m in items if isinstance(m, ChatMessage)]
    chat = messages[0].chat_name if messages else chat_name_of(path.name)
    found = Chat(items, chat, any(m.is_group for m in messages), repaired)
    if keep:
        _READ[key] = found
    return found


def forget_chat() -> None:
    """Drop a chat kept by ``read_chat(keep=True)`` that no import will take."""
    _READ.clear()


def import_whatsapp(
    session: ImportSession, path: Path, progress: ProgressCallback | None = None
) -> None:
    """Read the chat at ``path`` into touches (inside the caller's transaction)."""
    items, chat, group, repaired = read_chat(path, session.tz, progress)
    for name, lines in repaired.items():
        session.summary.note_repaired(name, lines)
    people = Counterparts(session)
    messages = [m for m in items if isinstance(m, ChatMessage)]
    mine = rep_senders(messages, chat, group, session.options.rep, people.phone)
    _Chat(session, people, chat, group, mine).run(items)


class _Chat:
    """One chat's messages into touch rows, streamed to the writer."""

    def __init__(
        self,
        session: ImportSession,
        people: Counterparts,
        chat: str,
        group: bool,
        mine: set[str],
    ) -> None:
        self.session = session
        self.summary = session.summary
        self.people = people
        self.chat = chat
        self.group = group
        self.mine = mine
        self._seen: Counter[str] = Counter()
        self._contacts: dict[str, int | None] = {}
        self._key = chat.casefold() if group else ""
        self._group = int(group)

    def contact(self, name: str) -> int | None:
        """The contact a sender (or a one-to-one chat's name) is."""
        if name not in self._contacts:
            people = self.people
            found: int | None = None
            if looks_like_phone(name):
                number = people.phone(name)
                if number is not None:
                    found = people.by_phone(number, "")
                else:
                    self.summary.unmatched["number"] += 1
            else:
                found = people.by_name(name)
            self._contacts[name] = found
        return self._contacts[name]

    def run(self, items: Sequence[ChatMessage | Skipped]) -> None:
        messages = [m for m in items if isinstance(m, ChatMessage)]
        others = [s for s in _senders(messages) if s not in self.mine]
        if self.group:
            members = others
        else:
            # Who a one-to-one chat is with: the sender who is not the rep, else the
            # chat's name; a number either gives wins over a name (it matches on phone).
            candidates = [*others, self.chat]
            members = [next((c for c in candidates if looks_like_phone(c)), candidates[0])]
        self.session.add_records(self.records(items, members))

    def records(
        self, items: Sequence[ChatMessage | Skipped], members: list[str]
    ) -> Iterator[list[TouchRow]]:
        """Each message's touch rows (a record each: the rep's group message is a touch
        per member who is a contact); the rest skipped with their reasons."""
        summary, mine, group = self.summary, self.mine, self.group
        skipped = summary.skipped
        nobody = "message in a chat with no contact"
        to_nobody = "group message to no contact" if group else nobody
        from_nobody = "message from a group member matching no contact" if group else nobody
        ids = {name: self.contact(name) for name in members}
        keys = {name: name.casefold() for name in members}
        for item in items:
            summary.records += 1
            if isinstance(item, Skipped):
                skipped[item.reason] += 1
                continue
            kind = item.kind
            if kind is LineKind.SYSTEM:
                skipped["system line"] += 1
            elif kind is LineKind.DELETED:
                skipped["deleted message"] += 1
            elif item.sender in mine:
                found = []
                seen: set[int] = set()
                for name in members:
                    contact_id = ids[name]
                    if contact_id is not None and contact_id not in seen:
                        seen.add(contact_id)  # a member's name and number are one contact
                        found.append(self.row(item, contact_id, keys[name], Direction.OUT))
                if found:
                    yield found
                else:
                    skipped[to_nobody] += 1
            else:
                name = item.sender if group else members[0]
                contact_id = ids[name] if name in ids else self.contact(name)
                key = keys.get(name) or name.casefold()
                if contact_id is None:
                    skipped[from_nobody] += 1
                else:
                    yield [self.row(item, contact_id, key, IN)]

    def row(self, item: ChatMessage, contact_id: int, name: str, direction: Direction) -> TouchRow:
        """One touch (``touch_row``'s values, built in place: the hot path of a long chat)."""
        out = direction is Direction.OUT
        sender = "me" if out else item.sender.casefold()
        # Who with, when, from whom, what (the chat's name too, for a group): stable
        # across exports of the same chat. The same text at the same minute can come
        # twice: each copy is numbered.
        at = item.at
        said = f"{self._key}\x1f{int(at.timestamp())}\x1f{sender}\x1f{name}\x1f{item.text}"
        base = sha1(said.encode()).hexdigest()[:20]
        seen = self._seen[base] = self._seen[base] + 1
        source = f"{PREFIX}{base}:{seen}"
        stored = (
            at.isoformat()[:19] + "Z" if at.tzinfo is UTC and at.year >= 1000 else to_stored(at)
        )
        way = "out" if out else "in"
        if item.kind is LineKind.CALL and not self.group:
            missed = item.text.startswith("Missed")
            status = (CallStatus.NO_ANSWER if missed else CallStatus.CONNECTED).value
            return (contact_id, CALL, way, stored, None, status, None, None, None, 0, source, None)
        text = item.text or None
        return (
            contact_id,
            WHATSAPP,
            way,
            stored,
            text,
            None,
            None,
            None,
            None,
            self._group,
            source,
            None,
        )
