"""The service: the one door to the data for the app, the CLI and the importers.

``Tracker`` runs the domain rules and the store; nothing outside this package reaches
the store. Its parts live beside it: ``day`` (today's queue, done items, the streak),
``batch`` (bulk actions, each with one undo), ``touch_log`` (logging touches, the
status rules), ``edits`` (the app's writes, each returning its ``undo`` step),
``imports`` (what importers write through).
"""

from tracker.service.base import open_store, translating_errors
from tracker.service.day import collection_paused
from tracker.service.tracker import Tracker
from tracker.service.values import (
    parse_channel,
    parse_kind,
    parse_moment,
    validate_contact_fields,
)

__all__ = [
    "Tracker",
    "collection_paused",
    "open_store",
    "parse_channel",
    "parse_kind",
    "parse_moment",
    "translating_errors",
    "validate_contact_fields",
]
