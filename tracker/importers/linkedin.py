"""LinkedIn export → contacts and touches (DOMAIN.md, "Imports and identity").

Connections become contacts, each keeping the day it connected; outgoing invitations
become invitations, accepted at the later of ``Connected On`` and ``Sent At`` when the
invitee is a connection; incoming invitations are inbound touches; messages are LinkedIn
message touches, outbound when the sender is the user's own profile.

The files may come one at a time, in any order: connection days are stored, so an
invitation imported after its invitee's connection is accepted, and a connection imported
after a pending invitation accepts it. The result is the folder's.

Someone the export does not name (a connection row with a URL and a date only) gets a
name a person can read: the profile slug's words, else "LinkedIn member (connected 8 Feb
2026)", never the bare slug. A message with only an attachment is a touch like any other;
sponsored InMail and senders LinkedIn hides as "LinkedIn Member" are skipped, and the
summary says so. Every row read is added or skipped with its reason.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tracker.errors import UsageError
from tracker.identity import normalize_linkedin
from tracker.importers.common import NOTHING_NEW, digest, fail
from tracker.importers.linkedin_files import (
    LinkedInExport,
    connected_on,
    message_date,
    nameless,
    plain_text,
    read_export,
    sent_at,
)
from tracker.importers.reading import CsvRecord, CsvTable
from tracker.models import TOUCH_COLUMNS, Channel, Direction, InviteStatus
from tracker.service.import_report import ProgressCallback
from tracker.service.import_writer import TouchRow
from tracker.service.imports import ImportSession, Person, touch_row
from tracker.timeutil import from_stored, local_date, start_of_day, to_stored

_SPLIT_URLS = re.compile(r"[\s,;]+")
_FILLER = frozenset({"message request accepted"})
_YES = frozenset({"yes", "true", "1"})
_STATUS = TOUCH_COLUMNS.index("status")
_HIDDEN = "linkedin member"
"""How the export names a sender whose profile it does not share."""
_PAGES = ("/company/", "/showcase/")
"""Profile URLs of pages, not people: what sponsored messages come from."""
SPONSORED = "sponsored InMail"
HIDDEN_SENDER = 'sender shown as "LinkedIn Member"'
HIDDEN_RECIPIENT = 'recipient shown as "LinkedIn Member"'
NO_CONTACT = "message with no matching contact"


def import_linkedin(
    session: ImportSession, path: Path, progress: ProgressCallback | None = None
) -> None:
    export = read_export(path)
    session.summary.records = export.records
    for name, lines in export.repaired.items():
        session.summary.note_repaired(name, lines)
    _LinkedInImport(session, export, progress).run()


class _LinkedInImport:
    def __init__(
        self, session: ImportSession, export: LinkedInExport, progress: ProgressCallback | None
    ):
        self.session = session
        self.summary = session.summary
        self.tz = session.tz
        self.tables = export.tables
        self.total = export.records
        self.done = 0
        self.progress = progress
        self.existing: dict[tuple[int, date], dict[str, Any]] = {}
        self.stored: list[dict[str, Any]] = []
        self.changes: dict[int, tuple[int, str, str]] = {}

    def url(self, raw: str) -> str:
        return self.session.linkedin(raw) or ""

    def tick(self) -> None:
        self.done += 1
        if self.progress and (self.done % 500 == 0 or self.done == self.total):
            self.progress(self.done, self.total)

    def run(self) -> None:
        if "Connections.csv" in self.tables:
            self.connections(self.tables["Connections.csv"])
        self.load_invitations()
        if "Invitations.csv" in self.tables:
            self.invitations(self.tables["Invitations.csv"])
        self.accept_connected()
        self.session.set_invitation_statuses(list(self.changes.values()))
        self.summary.invitations_accepted += len(self.changes)
        if "messages.csv" in self.tables:
            self.messages(self.tables["messages.csv"])

    # -- connections -------------------------------------------------------------------
    def connections(self, table: CsvTable) -> None:
        session = self.session
        for record in table.records:
            self.tick()
            when = connected_on(record, table.name, self.tz)
            day = local_date(when, self.tz)
            person = Person(
                first_name=record.get("first name"),
                last_name=record.get("last name"),
                linkedin_url=record.get("url", "profile url"),
                email=record.get("email address", "email"),
                company=record.get("company"),
                title=record.get("position"),
                created_at=when,
            )
            url = self.url(person.linkedin_url)
            if url and not (person.first_name or person.last_name) and not self.known(url):
                person.name = nameless(url, "connected", day)
            before = session.changes()
            contact_id = session.resolve(person)
            if contact_id is None:
                continue  # skipped, with its reason, by ``resolve``
            session.note_connected(contact_id, day)
            self.count(session.changes() != before)

    def known(self, url: str) -> bool:
        """Whether a contact has this profile already (a name made up for a new one
        must not fill in the name fields of a contact the rep knows)."""
        return url in self.session.index.owner["linkedin_url"]

    def count(self, changed: bool) -> None:
        """A record that wrote no touch: added when it changed a contact."""
        if changed:
            self.summary.added += 1
        else:
            self.summary.skipped[NOTHING_NEW] += 1

    # -- invitations -------------------------------------------------------------------
    def load_invitations(self) -> None:
        for row in self.session.outbound_invitations():
            at = from_stored(row["at"])
            assert at is not None
            row["at"] = at
            self.existing.setdefault((row["contact_id"], local_date(at, self.tz)), row)
            self.stored.append(row)

    def invitations(self, table: CsvTable) -> None:
        existing, changes = self.existing, self.changes
        rows: list[list[TouchRow]] = []
        for record in table.records:
            self.tick()
            direction = record.get("direction").upper()
            if direction not in ("OUTGOING", "INCOMING"):
                self.summary.skipped["invitation with no direction"] += 1
                continue
            when = sent_at(record, table.name, self.tz)
            day = local_date(when, self.tz)
            message = record.get("message")
            if direction == "INCOMING":
                person = self._invited(record.get("from"), record.get("inviterprofileurl"), day)
                contact_id = self.session.resolve(person)
                if contact_id is None:
                    continue
                key = self.url(person.linkedin_url) or person.name.casefold()
                source = f"linkedin-invite-in:{key}:{day}"
                rows.append(
                    [touch_row(contact_id, Channel.LINKEDIN_INVITE, "in", when, source, message)]
                )
                continue
            person = self._invited(record.get("to"), record.get("inviteeprofileurl"), day)
            contact_id = self.session.resolve(person)
            if contact_id is None:
                continue
            accepted_at = self._accepted_at(contact_id, when)
            same_day = existing.get((contact_id, day))
            if same_day is not None:
                if same_day["id"] is None:
                    self.summary.skipped["invitation listed twice"] += 1
                elif same_day["status"] == InviteStatus.PENDING and accepted_at is not None:
                    changes[same_day["id"]] = (
                        same_day["id"],
                        InviteStatus.ACCEPTED.value,
                        to_stored(accepted_at),
                    )
                    same_day["status"] = InviteStatus.ACCEPTED.value
                    self.summary.added += 1
                else:
                    self.summary.skipped["already imported"] += 1
                continue
            status = InviteStatus.ACCEPTED if accepted_at else InviteStatus.PENDING
            key = self.url(person.linkedin_url) or person.name.casefold()
            rows.append(
                [
                    touch_row(
                        contact_id,
                        Channel.LINKEDIN_INVITE,
                        Direction.OUT,
                        when,
                        f"linkedin-invite:{key}:{day}",
                        message,
                        status=status.value,
                        status_at=to_stored(accepted_at) if accepted_at else None,
                        has_note=bool(message.strip()),
                    )
                ]
            )
            existing[(contact_id, day)] = {"id": None, "status": status.value}
        self.session.add_records(rows)
        self.summary.invitations_accepted += sum(
            1 for (r,) in rows if r[_STATUS] == InviteStatus.ACCEPTED
        )

    def _invited(self, name: str, url: str, day: date) -> Person:
        """The other end of an invitation, named even when the file does not name them."""
        canonical = self.url(url)
        if not name.strip() and canonical and not self.known(canonical):
            name = nameless(canonical, "invited", day)
        return Person(name=name, linkedin_url=url)

    def accept_connected(self) -> None:
        """Invitations stored earlier (by an earlier file, or by hand) whose invitee is a
        connection now, by this file or an earlier one."""
        connected = self.session.connected_contacts()
        for row in self.stored:
            if row["contact_id"] not in connected or row["status"] != InviteStatus.PENDING:
                continue
            if row["id"] in self.changes:
                continue
            accepted_at = self._accepted_at(row["contact_id"], row["at"])
            assert accepted_at is not None
            self.changes[row["id"]] = (
                row["id"],
                InviteStatus.ACCEPTED.value,
                to_stored(accepted_at),
            )

    def _accepted_at(self, contact_id: int, sent: datetime) -> datetime | None:
        day = self.session.connected_on(contact_id)
        return None if day is None else max(start_of_day(day, self.tz), sent)

    # -- messages ----------------------------------------------------------------------
    def messages(self, table: CsvTable) -> None:
        me = self._me(table)
        records: list[list[TouchRow]] = []
        for record in table.records:
            self.tick()
            when = message_date(record, table.name)
            rows, reason = self.message_rows(record, when, me)
            if rows:
                records.append(rows)
            else:
                self.summary.skipped[reason] += 1
        self.session.add_records(records)

    def message_rows(
        self, record: CsvRecord, when: datetime, me: str
    ) -> tuple[list[TouchRow], str]:
        """One message's touches (one per contact it was to, when the rep wrote it), or
        why it has none."""
        if record.get("is message draft").lower() in _YES or (
            record.get("is conversation draft").lower() in _YES
        ):
            return [], "draft"
        text = plain_text(record.get("content"))
        if text.casefold() in _FILLER or not (text or record.get("attachments")):
            return [], "empty or filler message"
        raw_sender = record.get("sender profile url")
        if _is_sponsored(record, raw_sender):
            return [], SPONSORED
        sender = self.url(raw_sender)
        recipients = [
            u for u in map(self.url, _SPLIT_URLS.split(record.get("recipient profile urls"))) if u
        ]
        others = sorted({*recipients, sender} - {me, ""})
        is_group = len(others) > 1
        if sender == me:
            direction, people = Direction.OUT, [u for u in recipients if u != me]
            names = [record.get("to")] if len(people) == 1 else [""] * len(people)
            if not people:
                hidden = record.get("to").casefold() == _HIDDEN
                return [], HIDDEN_RECIPIENT if hidden else "message with no recipient profile"
        elif sender:
            direction, people, names = Direction.IN, [sender], [record.get("from")]
        elif record.get("from").casefold() == _HIDDEN:
            return [], HIDDEN_SENDER
        else:
            return [], "sender without a profile"
        key = digest(record.get("conversation id"), record.get("date"), sender, text)
        day = local_date(when, self.tz)
        rows: list[TouchRow] = []
        for url, name in zip(people, names, strict=True):
            contact_id = self.session.resolve(
                Person(name=name or nameless(url, "messaged", day), linkedin_url=url),
                create=self.session.options.create_contacts,
                counterpart=True,
            )
            if contact_id is None:
                continue
            rows.append(
                touch_row(
                    contact_id,
                    Channel.LINKEDIN_MESSAGE,
                    direction,
                    when,
                    f"linkedin-msg:{key}:{url.rsplit('/', 1)[-1]}",
                    text,
                    is_group=is_group,
                )
            )
        return rows, NO_CONTACT

    def _me(self, messages: CsvTable) -> str:
        """The user's own profile: ``--me``, else the inviter of outgoing invitations,
        else the one profile present in every conversation."""
        if self.session.options.me:
            try:
                return normalize_linkedin(self.session.options.me)
            except UsageError as exc:
                raise UsageError(f"--me: {exc}") from None
        votes: Counter[str] = Counter()
        for record in self.tables.get("Invitations.csv", CsvTable("", [], 0, [])).records:
            outgoing = record.get("direction").upper() == "OUTGOING"
            url = self.url(record.get("inviterprofileurl" if outgoing else "inviteeprofileurl"))
            if url:
                votes[url] += 1
        if votes:
            return votes.most_common(1)[0][0]
        return self._common_participant(messages)

    def _common_participant(self, table: CsvTable) -> str:
        conversations: dict[str, set[str]] = {}
        for record in table.records:
            people = {self.url(record.get("sender profile url"))}
            people.update(map(self.url, _SPLIT_URLS.split(record.get("recipient profile urls"))))
            people.discard("")
            conversations.setdefault(record.get("conversation id"), set()).update(people)
        common = set.intersection(*conversations.values()) if conversations else set()
        if len(common) == 1:
            return common.pop()
        fail(
            table.name,
            None,
            "cannot tell which messages are yours: give your profile with --me URL",
        )


def _is_sponsored(record: CsvRecord, sender_url: str) -> bool:
    """Sponsored InMail (an advertiser's message): its folder or title says so, or it
    comes from a company or showcase page rather than a person."""
    if "sponsored" in record.get("folder").casefold():
        return True
    if any(
        record.get(c).casefold().startswith("sponsored") for c in ("conversation title", "subject")
    ):
        return True
    return any(page in sender_url.casefold() for page in _PAGES)
