"""Email (an mbox, an Apple Mail export folder, ``.eml`` files) → email touches (DOMAIN.md,
"Email"): mail from one of the rep's addresses (``[me] emails``) is one outbound touch
for each contact among To and Cc; any other mail is one inbound touch from its sender.
Threads do not matter: direction and time do.

Not touches, each counted under its reason: mailing lists and bulk or automatic mail,
Gmail's spam and trash, messages to more than ``[import] max_recipients`` people, mail
to or from nobody the tracker knows (unless ``--create-contacts``). Without the rep's
address nothing can be told apart: the import stops before writing and asks for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from tracker.importers.common import Skipped
from tracker.importers.mail import MailRecord, read_eml, read_mail
from tracker.importers.people import Counterparts
from tracker.me import Me, NeedsMe
from tracker.models import Channel, Direction
from tracker.service.import_report import ProgressCallback
from tracker.service.import_writer import TouchRow
from tracker.service.imports import ImportSession, touch_row
from tracker.words import plural


def mail_subject(path: Path, files: Sequence[Path] = ()) -> str:
    """How the request for the rep's address names what is imported."""
    if len(files) > 1:
        return "these .eml files"
    if path.is_dir():
        return "this Apple Mail export" if (path / "mbox").is_file() else "these .eml files"
    if path.suffix.lower() == ".eml":
        return "this email message"
    return "this mbox"


def needs(rep: Me, path: Path, files: Sequence[Path] = ()) -> NeedsMe | None:
    """What the import asks for before it starts: the rep's address, if it has none."""
    return None if rep.emails else NeedsMe("emails", mail_subject(path, files))


def _read(
    path: Path, files: Sequence[Path], progress: ProgressCallback | None
) -> Iterator[MailRecord | Skipped]:
    if not files:
        yield from read_mail(path, progress)
        return
    for done, file in enumerate(files, start=1):
        yield read_eml(file)
        if progress:
            progress(done, len(files))


def import_mail(
    session: ImportSession,
    path: Path,
    progress: ProgressCallback | None = None,
    files: Sequence[Path] = (),
) -> None:
    """Stream the mail at ``path`` (or just ``files``, ``.eml`` files of one folder) into
    touches, inside the caller's transaction."""
    rep = session.options.rep
    asked = needs(rep, path, files)
    if asked is not None:
        raise asked
    summary = session.summary
    people = Counterparts(session)
    limit = session.settings.max_recipients
    too_many = f"message to more than {plural(limit, 'recipient')}"
    skipped = summary.skipped

    def records() -> Iterator[list[TouchRow]]:
        # A message is one record: a touch for each contact it was to (or from).
        for item in _read(path, files, progress):
            summary.records += 1
            if isinstance(item, Skipped):
                skipped[item.reason] += 1
            elif item.bulk_reason:
                skipped[item.bulk_reason] += 1
            elif item.recipient_count > limit:
                skipped[too_many] += 1
            elif rep.is_email(item.from_addr):
                others = [a for a in item.recipients if not rep.is_email(a.email)]
                if not others:
                    skipped["message to yourself only"] += 1
                    continue
                found = _touches(people, item, ((a.email, a.name) for a in others), Direction.OUT)
                if found:
                    yield found
                else:
                    skipped["message to no contact"] += 1
            else:
                found = _touches(people, item, [(item.from_addr, item.from_name)], Direction.IN)
                if found:
                    yield found
                else:
                    skipped["message from no contact"] += 1

    session.add_records(records())


def _touches(
    people: Counterparts,
    item: MailRecord,
    addresses: Iterable[tuple[str, str]],
    direction: Direction,
) -> list[TouchRow]:
    """One touch per contact among ``addresses`` (a contact named twice, by two of their
    addresses, gets one)."""
    text = "\n".join(part for part in (item.subject, item.first_line) if part)
    rows: list[TouchRow] = []
    seen: set[int] = set()
    for address, name in addresses:
        contact_id = people.by_email(address, name)
        if contact_id is None or contact_id in seen:
            continue
        seen.add(contact_id)
        source = f"{item.key}:{address}"
        rows.append(touch_row(contact_id, Channel.EMAIL, direction, item.at, source, text))
    return rows
