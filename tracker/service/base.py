"""What every part of the service holds: the store, the user's settings and their zone.

``Tracker`` is assembled from parts (contacts and touches, the day's review, the app's
edits, imports), each a mixin over this base, so each part reads in one sitting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path

from tracker.config import Settings
from tracker.history import HistoryFold
from tracker.replies import ReplyFold
from tracker.store import Store, translating_errors


def open_store(path: Path | str, *, migrate: bool = True, region: str = "US") -> Store:
    """The store on ``path``, keeping its summaries and reply facts with the service's
    rules; ``region`` is the user's (for an upgrade that reads phone numbers)."""
    return Store(path, HistoryFold, ReplyFold, migrate=migrate, region=region)


__all__ = ["ServiceBase", "open_store", "translating_errors"]


@dataclass
class ServiceBase:
    """A store, the user's settings and their time zone: everything an operation needs."""

    store: Store
    settings: Settings
    tz: tzinfo
