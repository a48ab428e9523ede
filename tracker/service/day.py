"""The day's review as one call: today's queue, the items dealt with, the streak."""

from __future__ import annotations

from tracker.service.base import ServiceBase


class DayMixin(ServiceBase):
    """Today's queue, which of today's items are done, closing the review, the streak."""
