"""What every part of the service holds: the store, the user's settings and their zone.

``Tracker`` is assembled from parts (contacts and touches, the day's review, the app's
edits, imports), each a mixin over this base, so each part reads in one sitting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from tracker.config import Settings
from tracker.store import Store


@dataclass
class ServiceBase:
    """A store, the user's settings and their time zone: everything an operation needs."""

    store: Store
    settings: Settings
    tz: tzinfo
