"""The errors the tracker raises on purpose, each carrying a one-line message for the user."""

from __future__ import annotations


class TrackerError(Exception):
    """Base class: the message is shown to the user as it is."""

    exit_code = 2


class UsageError(TrackerError):
    """Bad input: an unknown contact, an invalid date, a malformed phone number..."""


class DateError(UsageError):
    """A date or time that cannot be read. Besides the whole message (which quotes what
    was typed, for the command line), ``problem`` says what is wrong and ``forms`` what
    is accepted, so a form can name its field instead of echoing the keystrokes."""

    def __init__(self, message: str, problem: str, forms: str = "") -> None:
        super().__init__(message)
        self.problem = problem
        self.forms = forms

    def for_field(self, label: str) -> str:
        """The error as a form shows it under the field called ``label``."""
        return f"{label}: {self.problem}" + (f"; use {self.forms}" if self.forms else "")


class NotFoundError(UsageError):
    """A contact or touch reference that matches nothing."""


class AmbiguousError(UsageError):
    """A contact reference that matches more than one contact."""


class ConflictError(UsageError):
    """A write that would break an identity rule (a duplicate phone, email or URL)."""


class RefusedError(TrackerError):
    """A request declined so as not to lose something (a file that would be replaced):
    exit code 1, as for a blocked message."""

    exit_code = 1


class StoreError(TrackerError):
    """The database cannot be used: newer schema, corrupt, read-only, disk full."""


class CancelledError(TrackerError):
    """The user stopped a long task (an import) before it finished; nothing was saved."""


class BlockedError(TrackerError):
    """A message the guardrails block (opted out, step back, over the note limit)."""

    exit_code = 1
