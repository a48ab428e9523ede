"""Which importer a path needs, from its contents rather than its name (``sniff`` for one
file, ``plan`` for a folder read one level deep): a LinkedIn export, an Android SMS
backup or call log, imessage-exporter text, a vCard or contacts CSV, an mbox or ``.eml``
files, an iCalendar file, a WhatsApp chat. Anything else is refused as an unsupported
format, saying what it is instead ("not a text file")."""

from __future__ import annotations

from pathlib import Path

from tracker.importers.plan import KINDS, Plan, plan_import
from tracker.importers.sniff import Detected

__all__ = ["KINDS", "Detected", "Plan", "detect_format", "plan_import"]


def detect_format(path: Path | str, kind: str | None = None) -> Detected:
    """What ``path`` holds (for a folder of several exports, ``format`` is ``folder``);
    with ``kind``, a file of another kind is refused (exit 2)."""
    return plan_import(path, kind).detected
