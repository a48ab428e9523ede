"""The app's undo: each write's step puts back exactly what was there, every column of a
touch included (a deleted touch returns with its template, an edited one as it was)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from tests.ui.conftest import NOW
from tracker.models import Channel, Direction, InviteStatus, Touch
from tracker.service import Tracker
from tracker.service.edits import TouchDraft


def stored(tracker: Tracker, contact_id: int, touch_id: int) -> Touch:
    return next(t for t in tracker.touches(contact_id) if t.id == touch_id)


def test_a_deleted_touch_comes_back_with_every_column(demo_db, settings):
    tracker = Tracker.open(demo_db, settings)
    try:
        contact = tracker.resolve("Raj Patel")
        touch = tracker.log(
            contact, Channel.SMS, at=NOW - timedelta(hours=1), text="Hi", template="text-intro"
        )
        step = tracker.remove_touch(touch.id)
        assert touch not in tracker.touches(contact.id)
        step.revert(tracker)
        (back,) = [t for t in tracker.touches(contact.id) if t.at == touch.at]
        assert replace(back, id=touch.id) == touch
    finally:
        tracker.close()


def test_editing_a_touch_follows_the_logging_rules_and_undoes_exactly(demo_db, settings):
    tracker = Tracker.open(demo_db, settings)
    try:
        contact = tracker.resolve("Raj Patel")
        sent = NOW - timedelta(days=2)
        touch = tracker.log(contact, Channel.SMS, at=sent, text="Hi")
        draft = TouchDraft(Channel.LINKEDIN_INVITE, Direction.OUT, sent, text="Glad we met")
        step = tracker.edit_touch(touch.id, draft, NOW)
        edited = stored(tracker, contact.id, touch.id)
        assert (edited.status, edited.status_at, edited.has_note) == (
            InviteStatus.PENDING.value,
            None,
            True,
        )
        accepted = replace(draft, status="accepted")
        tracker.edit_touch(touch.id, accepted, NOW)
        assert stored(tracker, contact.id, touch.id).status_at == NOW
        step.revert(tracker)
        assert stored(tracker, contact.id, touch.id) == touch
    finally:
        tracker.close()
