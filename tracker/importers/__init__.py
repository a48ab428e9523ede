"""Importers: what reps already have on disk, into contacts and touches.

The entry points for the CLI and the app::

    plan = plan_import(path)                   # what it is: one file, or a folder's files
    result = run_plan(tracker, plan, ImportOptions(dry_run=True), progress=...)
    summary = run_import(tracker, path, options=ImportOptions(), progress=...)  # one unit

Each unit (a file, a zip, or the files of one export in a folder) imports in one
transaction, all or nothing; a malformed file raises ``UsageError`` naming the file and
line, with nothing written; a dry run does the whole import and rolls it back, so its
summary is exact. Who the rep is comes from ``[me]`` and ``--me`` (``tracker.me``).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from tracker.errors import UsageError
from tracker.importers.detect import KINDS, Detected, Plan, detect_format, plan_import
from tracker.importers.run import PlanResult, UnitResult, run_plan
from tracker.me import NeedsMe
from tracker.service import Tracker
from tracker.service.import_report import ImportOptions, ImportSummary, ProgressCallback

__all__ = [
    "KINDS",
    "Detected",
    "ImportOptions",
    "ImportSummary",
    "NeedsMe",
    "Plan",
    "PlanResult",
    "ProgressCallback",
    "UnitResult",
    "detect_format",
    "plan_import",
    "run_import",
    "run_plan",
]


def run_import(
    tracker: Tracker,
    path: Path | str,
    kind: str | None = None,
    options: ImportOptions | None = None,
    progress: ProgressCallback | None = None,
    now: datetime | None = None,
) -> ImportSummary:
    """Import ``path`` (of ``kind``, or whatever it is detected to be): one file, zip or
    export folder, in one transaction. A folder of several exports is ``run_plan``'s.

    Raises ``UsageError`` (nothing written) for a malformed or unsupported file.
    Must not be called inside another ``store.write()``: it owns its transaction.
    """
    plan = plan_import(path, kind)
    if len(plan.units) > 1:
        raise UsageError(
            f"{plan.path}: a folder of {len(plan.units)} exports: import it with "
            "`outreach import PATH` (each file on its own)"
        )
    return run_plan(tracker, plan, options, progress, now).summaries[0]
