"""The app's writes to touches and contacts, each with the step that takes it back."""

from __future__ import annotations

from tracker.service.base import ServiceBase


class EditsMixin(ServiceBase):
    """Editing, deleting and restoring touches and contacts exactly (for undo)."""
