"""Android call log ("SMS Backup & Restore" ``calls-*.xml``) → call touches, with the
direction and status the reader worked out (DOMAIN.md, "Calls"): a connected call raises
``after_call_text``; a call-back, a missed or a rejected call is inbound, so it answers
a text. Each call is one record, its key its touch's source: importing the log again
adds nothing, and counts each call "already imported".
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from tracker.importers.calls import CallRecord, read_calls
from tracker.importers.common import Skipped
from tracker.importers.people import Counterparts
from tracker.models import Channel
from tracker.service.import_report import ProgressCallback
from tracker.service.import_writer import TouchRow
from tracker.service.imports import ImportSession
from tracker.timeutil import to_stored


def import_calls(
    session: ImportSession, path: Path, progress: ProgressCallback | None = None
) -> None:
    """Stream the call log at ``path`` into touches (inside the caller's transaction)."""
    summary = session.summary
    skipped = summary.skipped
    people = Counterparts(session)
    by_number: dict[str, int | str] = {}
    """The contact id for a number as the log writes it, or why there is none."""
    channel = Channel.CALL.value

    def contact(number: str, name: str) -> int | str:
        phone = people.phone(number)
        if phone is None:
            return "invalid or short-code number"
        found = people.by_phone(phone, name)
        return "number matching no contact" if found is None else found

    def rows() -> Iterator[TouchRow]:
        # The hot path of a long log: one row per call, built in place (``touch_row``'s
        # values, as stored); a number is resolved once however often it calls.
        for item in read_calls(path, progress):
            summary.records += 1
            if type(item) is Skipped:
                skipped[item.reason] += 1
                continue
            assert isinstance(item, CallRecord)
            found = by_number.get(item.number)
            if found is None:
                found = by_number[item.number] = contact(item.number, item.name)
            if type(found) is str:
                skipped[found] += 1
                continue
            at = item.at.isoformat()[:19] + "Z" if item.at.year >= 1000 else to_stored(item.at)
            direction, status = item.direction.value, item.status.value
            yield (found, channel, direction, at, None, status, None, None, None, 0, item.key, None)

    session.add_touches(rows())
