"""Segments guessed from job titles: what a title says (and does not), and that only
empty segments are filled, in one go, and taken back exactly."""

from __future__ import annotations

import pytest

from tracker.models import Segment
from tracker.segments import guess_segment

DM, INF = Segment.DECISION_MAKER, Segment.INFLUENCER


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("CTO", DM),
        ("Chief Revenue Officer", DM),
        ("Director, Sales", DM),
        ("Head of Procurement", DM),
        ("VP Marketing", DM),
        ("Co-Founder & CEO", DM),
        ("General Manager", DM),
        ("Engineering Manager", INF),
        ("Product Marketing Manager", INF),
        ("Brand lead", INF),
        ("Executive Assistant to the CEO", None),
        ("Former Director of Sales", None),
        ("Software Engineer", None),
        ("Head Chef", None),
        ("", None),
        (None, None),
    ],
)
def test_what_a_title_says(title, expected):
    assert guess_segment(title) is expected


def test_only_empty_segments_are_filled_and_undo_clears_them(tracker):
    cto = tracker.add_contact({"name": "Priya Sample", "title": "CTO"})
    chosen = tracker.add_contact(
        {"name": "Lee Example", "title": "Director", "segment": "champion"}
    )
    manager = tracker.add_contact({"name": "Kim Manager", "title": "Engineering Manager"})
    tracker.add_contact({"name": "No Title"})
    tracker.add_contact({"name": "Dev Engineer", "title": "Software Engineer"})

    guesses = tracker.segment_guesses()
    assert guesses == {cto.id: DM, manager.id: INF}

    tracker.edit_contact(manager, {"segment": "mirror"})  # the user chose in between
    changed = tracker.apply_segments(guesses)
    assert changed == [cto.id]
    segments = {c.id: tracker.store.get_contact(c.id).segment for c in (cto, chosen, manager)}
    assert segments == {cto.id: DM, chosen.id: Segment.CHAMPION, manager.id: Segment.MIRROR}

    tracker.clear_segments(changed)
    assert tracker.store.get_contact(cto.id).segment is None
    assert tracker.store.get_contact(chosen.id).segment is Segment.CHAMPION
