"""Android call log ("SMS Backup & Restore" ``calls-*.xml``) → call touches, with the
direction and status the reader worked out (DOMAIN.md, "Calls"): a connected call raises
``after_call_text``; a call-back, a missed or a rejected call is inbound, so it answers
a text. Each call's key is its touch's source: importing the log again adds nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from tracker.importers.calls import read_calls
from tracker.importers.common import Skipped
from tracker.importers.people import Counterparts
from tracker.models import Channel
from tracker.service.import_ledger import Ledger
from tracker.service.import_report import ProgressCallback
from tracker.service.import_writer import TouchRow
from tracker.service.imports import ImportSession, touch_row

PREFIX = "call:"


def import_calls(
    session: ImportSession, path: Path, progress: ProgressCallback | None = None
) -> None:
    """Stream the call log at ``path`` into touches (inside the caller's transaction)."""
    summary = session.summary
    people = Counterparts(session)
    ledger = Ledger(session, PREFIX)

    def rows() -> Iterator[TouchRow]:
        for item in read_calls(path, progress):
            summary.records += 1
            if isinstance(item, Skipped):
                summary.skipped[item.reason] += 1
                continue
            phone = people.phone(item.number)
            if phone is None:
                summary.skipped["invalid or short-code number"] += 1
                continue
            contact_id = people.by_phone(phone, item.name)
            if contact_id is None:
                summary.skipped["number matching no contact"] += 1
                continue
            row = touch_row(
                contact_id,
                Channel.CALL,
                item.direction,
                item.at,
                item.key,
                status=item.status.value,
            )
            yield from ledger.record([row])

    session.add_touches(rows())
