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
from collections.abc import Callable, Sequence
from datetime import tzinfo
from pathlib import Path

from tracker.identity import looks_like_phone
from tracker.importers.common import Skipped, digest
from tracker.importers.people import Counterparts
from tracker.importers.whatsapp import ChatMessage, LineKind, chat_name_of, read_whatsapp
from tracker.me import Me, NeedsMe
from tracker.models import CallStatus, Channel, Direction
from tracker.service.import_ledger import Ledger
from tracker.service.import_report import ProgressCallback
from tracker.service.import_writer import TouchRow
from tracker.service.imports import ImportSession, touch_row

PREFIX = "whatsapp:"
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


def read_chat(
    path: Path, tz: tzinfo, progress: ProgressCallback | None = None
) -> tuple[list[ChatMessage | Skipped], str, bool]:
    """The chat's items, its name and whether it is a group."""
    items = list(read_whatsapp(path, tz, progress=progress))
    messages = [m for m in items if isinstance(m, ChatMessage)]
    chat = messages[0].chat_name if messages else chat_name_of(path.name)
    return items, chat, any(m.is_group for m in messages)


def import_whatsapp(
    session: ImportSession, path: Path, progress: ProgressCallback | None = None
) -> None:
    """Read the chat at ``path`` into touches (inside the caller's transaction)."""
    items, chat, group = read_chat(path, session.tz, progress)
    people = Counterparts(session)
    messages = [m for m in items if isinstance(m, ChatMessage)]
    mine = rep_senders(messages, chat, group, session.options.rep, people.phone)
    _Chat(session, people, chat, group, mine).run(items)


def _one_each(rows: Sequence[TouchRow | None]) -> list[TouchRow]:
    """One row per contact (two members of a group may be one contact: a name and the
    number they wrote from)."""
    seen: set[int] = set()
    kept = []
    for row in rows:
        if row is not None and row[0] not in seen:
            seen.add(row[0])
            kept.append(row)
    return kept


class _Chat:
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
        self.ledger = Ledger(session, PREFIX)
        self._seen: Counter[str] = Counter()
        self._contacts: dict[str, int | None] = {}

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

    def other_party(self, messages: Sequence[ChatMessage]) -> str:
        """Who a one-to-one chat is with: the sender who is not the rep, else its name;
        a number either gives wins over a name (it matches on phone)."""
        others = [s for s in _senders(messages) if s not in self.mine]
        candidates = [*others, self.chat]
        return next((c for c in candidates if looks_like_phone(c)), candidates[0])

    def run(self, items: Sequence[ChatMessage | Skipped]) -> None:
        messages = [m for m in items if isinstance(m, ChatMessage)]
        other = "" if self.group else self.other_party(messages)
        members = [s for s in _senders(messages) if s not in self.mine]
        rows: list[TouchRow] = []
        for item in items:
            self.summary.records += 1
            if isinstance(item, Skipped):
                self.summary.skipped[item.reason] += 1
            elif item.kind is LineKind.SYSTEM:
                self.summary.skipped["system line"] += 1
            elif item.kind is LineKind.DELETED:
                self.summary.skipped["deleted message"] += 1
            elif item.sender in self.mine:
                to = members if self.group else [other]
                found = _one_each([self.row(item, name, Direction.OUT) for name in to])
                rows.extend(self.ledger.record(found, skip_as=self.nobody(outbound=True)))
            else:
                who = item.sender if self.group else other
                found = [r for r in [self.row(item, who, Direction.IN)] if r]
                rows.extend(self.ledger.record(found, skip_as=self.nobody(outbound=False)))
        self.session.add_touches(rows)

    def nobody(self, outbound: bool) -> str:
        if not self.group:
            return "chat with no contact"
        return "group message to no contact" if outbound else "group member matching no contact"

    def row(self, item: ChatMessage, name: str, direction: Direction) -> TouchRow | None:
        contact_id = self.contact(name)
        if contact_id is None:
            return None
        sender = "me" if direction is Direction.OUT else item.sender.casefold()
        # The same text at the same minute can come twice: each copy is numbered.
        chat = self.chat.casefold() if self.group else ""
        base = f"{digest(chat, item.at.timestamp(), sender, item.text)}:{name.casefold()}"
        self._seen[base] += 1
        source = f"{PREFIX}{base}:{self._seen[base]}"
        if item.kind is LineKind.CALL and not self.group:
            status = (
                CallStatus.NO_ANSWER if item.text.startswith("Missed") else CallStatus.CONNECTED
            )
            return touch_row(
                contact_id, Channel.CALL, direction, item.at, source, status=status.value
            )
        return touch_row(
            contact_id,
            Channel.WHATSAPP,
            direction,
            item.at,
            source,
            item.text,
            is_group=self.group,
        )
