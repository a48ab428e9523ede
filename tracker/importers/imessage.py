"""imessage-exporter text output → text touches: one file per chat, named after its
handle, its handles joined by ``, ``, its people's contact names (when the exporter had
Contacts access) or the chat's display name (FORMATS.md, "iPhone"; the file itself is
read by ``imessage_chat``).

Who is who: a phone or email handle matches a contact by that identifier; any other
sender (``Dana Fictional``) matches the one contact with exactly that name. A chat named
after its people is theirs, even when only the rep wrote in it; a chat with a display
name of its own (``Deal Team``), or one that says it was named or had members added, is a
group, even with one other sender. Group messages follow DOMAIN.md ("Group messages"):
an inbound one is a touch from its sender only, an outbound one a touch for each member
who is a contact; all are marked group, and a STOP in a group opts nobody out.

Every message read becomes touches or is skipped with its reason; announcements are read
and skipped as such, so the summary adds up.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from tracker.errors import UsageError
from tracker.identity import looks_like_phone, normalize_email
from tracker.importers.common import fail
from tracker.importers.imessage_chat import (
    ME,
    Announcement,
    ChatMessage,
    looks_like_imessage,
    parse_chat,
)
from tracker.importers.reading import decode_text
from tracker.models import Channel, Direction
from tracker.service.identity_index import SHARED
from tracker.service.import_report import ProgressCallback
from tracker.service.import_writer import TouchRow
from tracker.service.imports import ImportSession, Person, touch_row

__all__ = ["chat_files", "import_imessage", "looks_like_imessage"]
ANNOUNCEMENT = "announcement (not a message)"
UNKNOWN = "Unknown"
"""What the exporter writes for a sender whose handle it lost."""
_NOT_A_SENDER = frozenset({ME, UNKNOWN, ""})
NO_MEMBER = "chat matching no contact"


def _email(text: str) -> str:
    """The address ``text`` is (an email handle), else ``""``."""
    if "@" not in text:
        return ""
    try:
        return normalize_email(text)
    except UsageError:
        return ""


def _is_handle(text: str) -> bool:
    return looks_like_phone(text) or bool(_email(text))


def chat_files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".txt")
        if not files:
            fail(str(path), None, "no imessage-exporter .txt files in this folder")
        return files
    return [path]


class _Chats:
    def __init__(self, session: ImportSession):
        self.session = session
        self.summary = session.summary
        self.create = session.options.create_contacts
        self._known: dict[str, int | str] = {}

    def contact(self, who: str) -> int | str:
        """The contact id for a handle or a contact name, or why there is none (each
        is looked up once per import)."""
        if who not in self._known:
            self._known[who] = self._lookup(who)
        return self._known[who]

    def _lookup(self, who: str) -> int | str:
        session = self.session
        email = _email(who)
        if email:
            person = Person(name=who, email=email)
        elif looks_like_phone(who):
            phone = session.phone(who)
            if phone is None:
                return "invalid or short-code number"
            person = Person(name=phone, phone=phone)
        else:
            # A contact name (the exporter had Contacts access): exactly one contact
            # with that name, or a new one with --create-contacts.
            if session.index.names.get(who.casefold()) == SHARED:
                return "name shared by several contacts"
            found = session.resolve(Person(name=who), create=self.create)
            return "name matching no contact" if found is None else found
        found = session.resolve(person, create=self.create, counterpart=True)
        return "handle matching no contact" if found is None else found

    def is_contact_name(self, name: str) -> bool:
        """Whether exactly one contact has this name (looked up, never created)."""
        return self.session.index.names.get(name.casefold()) not in (None, SHARED)

    def members(self, file: Path, messages: list[ChatMessage]) -> tuple[list[str], bool]:
        """Who the chat is with (handles or names, the rep aside), and whether it is a
        group (see the module's docstring)."""
        senders = sorted({m.sender for m in messages if m.sender not in _NOT_A_SENDER})
        parts = [p.strip() for p in file.stem.split(", ") if p.strip()]
        named_after_people = all(
            _is_handle(p) or p in senders or self.is_contact_name(p) for p in parts
        )
        # A display name of its own (a named group): its members are who wrote in it.
        people = sorted({*parts, *senders}) if named_after_people else senders
        distinct: set[int | str] = set()
        for who in people:
            found = self.contact(who)
            distinct.add(found if isinstance(found, int) else who)
        return people, not named_after_people or len(distinct) > 1

    def rows(self, file: Path, items: list[ChatMessage | Announcement]) -> Iterator[list[TouchRow]]:
        """The touch rows of each message (a record each), skipping the rest with their
        reasons."""
        messages = [item for item in items if isinstance(item, ChatMessage)]
        people, is_group = self.members(file, messages)
        if any(isinstance(i, Announcement) and i.is_group_action for i in items):
            is_group = True
        skipped = self.summary.skipped
        for item in items:
            if isinstance(item, Announcement):
                skipped[ANNOUNCEMENT] += 1
                continue
            rows, reason = self.message_rows(item, people, is_group)
            if rows:
                yield rows
            else:
                skipped[reason] += 1

    def message_rows(
        self, message: ChatMessage, people: list[str], is_group: bool
    ) -> tuple[list[TouchRow], str]:
        """One message's touch rows, or why it has none."""
        outbound = message.sender == ME
        if not outbound and message.sender in _NOT_A_SENDER:
            return [], "message without a sender"
        direction = Direction.OUT if outbound else Direction.IN
        stamp = int(message.at.timestamp())
        rows: list[TouchRow] = []
        reason = NO_MEMBER
        seen: set[int] = set()
        for who in people if outbound else [message.sender]:
            contact_id = self.contact(who)
            if isinstance(contact_id, str):
                reason = contact_id if reason == NO_MEMBER else reason
                continue
            if contact_id in seen:
                continue
            seen.add(contact_id)
            source = f"imessage:{who.casefold()}:{stamp}:{direction}:{message.key}"
            rows.append(
                touch_row(
                    contact_id,
                    Channel.SMS,
                    direction,
                    message.at,
                    source,
                    message.body,
                    is_group=is_group,
                )
            )
            if not outbound and not is_group and self.session.is_stop(message.body):
                self.session.note_stop(contact_id, message.at)
        return rows, reason


def import_imessage(
    session: ImportSession, path: Path, progress: ProgressCallback | None = None
) -> None:
    files = chat_files(path)
    chats = _Chats(session)
    for number, file in enumerate(files, start=1):
        decoded = decode_text(file.read_bytes(), str(file))
        session.summary.note_repaired(str(file), decoded.repaired_lines)
        items = parse_chat(decoded.text, str(file), session.tz)
        session.summary.records += len(items)
        session.add_records(chats.rows(file, items))
        if progress:
            progress(number, len(files))
