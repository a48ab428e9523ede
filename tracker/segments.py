"""Segments guessed from job titles, for contacts that have none yet (an import brings
titles, never segments).

DOMAIN.md defines the segments of the acceptance study: decision makers are directors and
CxOs, influencers are managers and marketers. Champions (who share company content) and
mirrors (your own role) cannot be read from a title, so they are never guessed, and a
title that says neither is left alone. Like an import's enrichment, a guess only fills an
empty segment: what the user chose is never overwritten.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tracker.models import Segment
from tracker.service import Tracker

# An assistant to a director is not a director.
NOT_THEM = re.compile(r"\b(assistant|intern|student|aspiring|former|ex)\b", re.IGNORECASE)
DECISION_MAKER = re.compile(
    r"\b(chief|c[a-z]{1,2}o|founder|co-?founder|owner|president|vp|svp|evp|vice[- ]president"
    r"|director|head of|managing partner|general partner|general manager|managing director)\b",
    re.IGNORECASE,
)
INFLUENCER = re.compile(
    r"\b(manager|marketing|marketer|brand|communications)\b",
    re.IGNORECASE,
)
PAGE = 2_000


def guess_segment(title: str | None) -> Segment | None:
    """The segment a job title says, or ``None`` when it does not say."""
    if not title or NOT_THEM.search(title):
        return None
    if DECISION_MAKER.search(title):
        return Segment.DECISION_MAKER
    if INFLUENCER.search(title):
        return Segment.INFLUENCER
    return None


def _unsegmented(tracker: Tracker) -> Iterator[tuple[int, str]]:
    offset = 0
    while True:
        page = tracker.store.list_contacts(sort="name", limit=PAGE, offset=offset)
        for row in page:
            if not row.segment and row.title:
                yield row.id, row.title
        if len(page) < PAGE:
            return
        offset += PAGE


def segment_guesses(tracker: Tracker) -> dict[int, Segment]:
    """For each contact with no segment whose title says one: that segment."""
    guesses: dict[int, Segment] = {}
    for contact_id, title in _unsegmented(tracker):
        guess = guess_segment(title)
        if guess is not None:
            guesses[contact_id] = guess
    return guesses


def apply_segments(tracker: Tracker, guesses: dict[int, Segment]) -> list[int]:
    """Set each guessed segment, in one transaction, where the contact still has none.
    Returns the ids of the contacts changed."""
    changed: list[int] = []
    store = tracker.store
    with store.write():
        for contact_id, segment in guesses.items():
            if store.get_contact(contact_id).segment is None:
                store.update_contact(contact_id, {"segment": segment.value})
                changed.append(contact_id)
    return changed


def clear_segments(tracker: Tracker, contact_ids: list[int]) -> None:
    """Take guessed segments back (undo), in one transaction."""
    with tracker.store.write():
        for contact_id in contact_ids:
            tracker.store.update_contact(contact_id, {"segment": None})
