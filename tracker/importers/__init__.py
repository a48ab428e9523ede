"""Importers: what reps already have on disk, into contacts and touches.

The one entry point for the CLI and the app::

    detected = detect_format(path)             # what the file is, before importing
    summary = run_import(tracker, path, options=ImportOptions(dry_run=True),
                         progress=lambda done, total: ...)

Each path (a file, a folder or a zip) imports in one transaction, all or nothing; a
malformed file raises ``UsageError`` naming the file and line, with nothing written;
a dry run does the whole import and rolls it back, so its summary is exact.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tracker.errors import UsageError
from tracker.importers.common import fail
from tracker.importers.detect import KINDS, Detected, detect_format
from tracker.service import Tracker
from tracker.service.import_report import ImportOptions, ImportSummary, ProgressCallback

__all__ = [
    "KINDS",
    "Detected",
    "ImportOptions",
    "ImportSummary",
    "ProgressCallback",
    "detect_format",
    "run_import",
]


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def _importer(detected: Detected, path: Path) -> Callable[..., None]:
    if detected.format == "linkedin":
        from tracker.importers.linkedin import import_linkedin

        return import_linkedin
    if detected.format == "android":
        from tracker.importers.sms_android import import_android

        return import_android
    if detected.format == "imessage":
        from tracker.importers.imessage import import_imessage

        return import_imessage
    if detected.format in ("vcard", "csv"):
        from tracker.importers.contacts import import_contacts

        return import_contacts
    # Recognised, read by a reader of its own, but not yet turned into touches.
    fail(str(path), None, f"{detected.label}: importing it is not available yet")


def run_import(
    tracker: Tracker,
    path: Path | str,
    kind: str | None = None,
    options: ImportOptions | None = None,
    progress: ProgressCallback | None = None,
) -> ImportSummary:
    """Import ``path`` (of ``kind``, or whatever it is detected to be) in one transaction.

    Raises ``UsageError`` (nothing written) for a malformed or unsupported file.
    Must not be called inside another ``store.write()``: it owns its transaction.
    """
    from tracker.service.imports import ImportSession

    options = options or ImportOptions()
    path = Path(path).expanduser()
    detected = detect_format(path, kind)
    summary = ImportSummary(str(path), detected.label, options.dry_run)
    importer = _importer(detected, path)
    try:
        with ImportSession.opened(tracker, summary, options) as session:
            importer(session, path, progress)
            session.finish()
            if options.dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return summary
