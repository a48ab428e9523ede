"""Segments guessed from job titles (``tracker.segments``), applied where a contact has
none, and taken back: the Insights screen's "guess segments" and its undo."""

from __future__ import annotations

from collections.abc import Iterator

from tracker.models import Segment
from tracker.service.base import ServiceBase

PAGE = 2_000
"""Contacts read at a time while looking for titles to guess from."""


class SegmentsMixin(ServiceBase):
    """Guessing, applying and clearing segments."""

    def _unsegmented(self) -> Iterator[tuple[int, str]]:
        offset = 0
        while True:
            page = self.store.list_contacts(sort="name", limit=PAGE, offset=offset)
            for row in page:
                if not row.segment and row.title:
                    yield row.id, row.title
            if len(page) < PAGE:
                return
            offset += PAGE

    def segment_guesses(self) -> dict[int, Segment]:
        """For each contact with no segment whose title says one: that segment."""
        from tracker.segments import guess_segment  # the title rules: when first asked

        guesses: dict[int, Segment] = {}
        for contact_id, title in self._unsegmented():
            guess = guess_segment(title)
            if guess is not None:
                guesses[contact_id] = guess
        return guesses

    def apply_segments(self, guesses: dict[int, Segment]) -> list[int]:
        """Set each guessed segment, in one transaction, where the contact still has none.
        Returns the ids of the contacts changed."""
        changed: list[int] = []
        store = self.store
        with store.write():
            for contact_id, segment in guesses.items():
                if store.get_contact(contact_id).segment is None:
                    store.update_contact(contact_id, {"segment": segment.value})
                    changed.append(contact_id)
        return changed

    def clear_segments(self, contact_ids: list[int]) -> None:
        """Take guessed segments back (undo), in one transaction."""
        with self.store.write():
            for contact_id in contact_ids:
                self.store.update_contact(contact_id, {"segment": None})
