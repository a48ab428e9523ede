"""The errors the tracker raises on purpose, each carrying a one-line message for the user."""

from __future__ import annotations


class TrackerError(Exception):
    """Base class: the message is shown to the user as it is."""

    exit_code = 2


class UsageError(TrackerError):
    """Bad input: an unknown contact, an invalid date, a malformed phone number..."""


class NotFoundError(UsageError):
    """A contact or touch reference that matches nothing."""


class AmbiguousError(UsageError):
    """A contact reference that matches more than one contact."""


class ConflictError(UsageError):
    """A write that would break an identity rule (a duplicate phone, email or URL)."""


class StoreError(TrackerError):
    """The database cannot be used: newer schema, corrupt, read-only, disk full."""


class CancelledError(TrackerError):
    """The user stopped a long task (an import) before it finished; nothing was saved."""


class BlockedError(TrackerError):
    """A message the guardrails block (opted out, step back, over the note limit)."""

    exit_code = 1
