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

from tracker.models import Segment

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


def guess_segment(title: str | None) -> Segment | None:
    """The segment a job title says, or ``None`` when it does not say."""
    if not title or NOT_THEM.search(title):
        return None
    if DECISION_MAKER.search(title):
        return Segment.DECISION_MAKER
    if INFLUENCER.search(title):
        return Segment.INFLUENCER
    return None
