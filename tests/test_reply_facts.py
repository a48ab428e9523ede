"""The reply facts (``message_replies``) stay exactly what a fold of every history gives
after each kind of write: logging, editing (a touch moved in time, turned around, given
to another contact), deleting, undoing each, merging and its undo, deleting a contact and
its undo, imports (new and matched contacts, a re-import, rows out of order), a bulk
insert, and an upgrade from a file without them. The insights read from them match the
old rules after each."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import at, person, touch
from tests.stats_reference import reference_stats
from tests.test_stats_equivalence import folded_facts, stored_facts
from tracker.importers import ImportOptions, run_import
from tracker.models import Channel, Direction
from tracker.replies import ReplyFold, facts_of
from tracker.service import Tracker
from tracker.service.edits import TouchDraft

AS_OF = "2026-11-23"
NOW = at("2026-11-23T18:00")


def check(tracker: Tracker) -> None:
    assert stored_facts(tracker) == folded_facts(tracker)
    assert tracker.stats(as_of=AS_OF) == reference_stats(tracker, as_of=AS_OF)


def _conversation(tracker: Tracker) -> tuple[Any, Any]:
    ann = person(tracker, "Ann Answer", phone="+13125550101")
    bob = person(tracker, "Bob Busy", phone="+13125550102")
    touch(tracker, ann, "sms", "2026-11-02T10:00")
    touch(tracker, ann, "sms", "2026-11-02T11:00")
    touch(tracker, ann, "email", "2026-11-02T12:00")
    touch(tracker, ann, "sms", "2026-11-03T09:00", inbound=True)
    touch(tracker, ann, "call", "2026-11-04T09:00")
    touch(tracker, ann, "linkedin_message", "2026-11-05T09:00")
    touch(tracker, bob, "email", "2026-11-03T09:00")
    touch(tracker, bob, "email", "2026-11-06T09:00")
    touch(tracker, bob, "meeting", "2026-11-07T09:00", inbound=True)
    return ann, bob


def test_logging_editing_deleting_and_their_undos(tracker: Tracker) -> None:
    ann, bob = _conversation(tracker)
    check(tracker)
    assert len(stored_facts(tracker)) == 6
    logged = tracker.log_touch(
        ann.id, TouchDraft(Channel.SMS, Direction.IN, at("2026-11-06T10:00")), NOW
    )
    check(tracker)
    logged.revert(tracker)
    check(tracker)
    first = tracker.store.touches_for(ann.id)[0]
    moved = tracker.edit_touch(
        first.id, TouchDraft(Channel.SMS, Direction.OUT, at("2026-11-03T10:00")), NOW
    )
    check(tracker)  # now after the reply: a follow-up of the linkedin message's era
    moved.revert(tracker)
    check(tracker)
    turned = tracker.edit_touch(first.id, TouchDraft(Channel.SMS, Direction.IN, first.at), NOW)
    check(tracker)
    turned.revert(tracker)
    check(tracker)
    removed = tracker.remove_touch(tracker.store.touches_for(ann.id)[3].id)  # the reply
    check(tracker)
    removed.revert(tracker)
    check(tracker)
    tracker.store.update_touch(first.id, {"contact_id": bob.id})
    check(tracker)


def test_merge_delete_and_their_undos(tracker: Tracker) -> None:
    ann, bob = _conversation(tracker)
    _, undo = tracker.merge_into(ann.id, bob.id)
    check(tracker)
    assert all(fact[1] == ann.id for fact in stored_facts(tracker))
    undo.revert(tracker)
    check(tracker)
    assert {fact[1] for fact in stored_facts(tracker)} == {ann.id, bob.id}
    undo = tracker.remove_contact(ann.id)
    check(tracker)
    assert {fact[1] for fact in stored_facts(tracker)} == {bob.id}
    undo.revert(tracker)
    check(tracker)


def _import(tracker: Tracker, path: Path) -> None:
    run_import(tracker, path, options=ImportOptions(create_contacts=True), now=NOW)


def test_imports_new_and_matched_contacts_and_again(tracker: Tracker, tmp_path: Path) -> None:
    fixtures = Path(__file__).parent / "fixtures"
    person(tracker, "Casey Quiet", phone="+13125550123")
    for name in ("sms/backup.xml", "calls/calls-20240327.xml", "sms/backup.xml"):
        _import(tracker, fixtures / name)
        check(tracker)
    assert len(stored_facts(tracker)) >= 3
    shutil.copytree(fixtures / "linkedin/export", tmp_path / "linkedin")
    _import(tracker, tmp_path / "linkedin")
    check(tracker)


def test_an_import_out_of_order_is_folded_from_the_store(tracker: Tracker) -> None:
    """Rows older than one already folded make the import's fold unsure: the contact's
    facts are then folded again from its whole stored history."""
    from tracker.service.import_writer import TouchWriter

    store = tracker.store
    first = store.next_contact_id()
    store.insert_contacts_with_ids([{"id": first, "name": "Dee Late"}], [])
    writer = TouchWriter(store, first)
    rows = []
    for hour, direction in ((12, "out"), (9, "out"), (10, "in"), (13, "in")):
        values: dict[str, Any] = {
            "contact_id": first,
            "channel": "sms",
            "direction": direction,
            "at": f"2026-11-02T{hour:02d}:00:00Z",
            "is_group": 0,
        }
        rows.append(tuple(values.get(c) for c in _columns()))
    with store.write():
        writer.insert_all(rows)
        writer.finish([first])
        writer.close()
    check(tracker)
    assert first in writer.folds.unsure


def test_an_import_in_many_batches_writes_facts_as_they_settle(
    tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new contact's facts are folded as its rows stream past and written with the
    next batch once settled (the last ones at the end): no history is read back."""
    import tracker.service.import_writer as import_writer

    monkeypatch.setattr(import_writer, "BATCH", 3)
    store = tracker.store
    first = store.next_contact_id()
    store.insert_contacts_with_ids(
        [{"id": first, "name": "Eve Early"}, {"id": first + 1, "name": "Fay Far"}], []
    )
    writer = import_writer.TouchWriter(store, first)
    rows = []
    for day in range(1, 20):
        for contact in (first, first + 1):
            direction = "in" if day % 4 == 0 else "out"
            channel = ("sms", "email", "whatsapp")[day % 3]
            values = {
                "contact_id": contact,
                "channel": channel,
                "direction": direction,
                "at": f"2026-11-{day:02d}T10:00:00Z",
                "is_group": 0,
            }
            rows.append(tuple(values.get(c) for c in _columns()))
    read_back: list[Any] = []
    monkeypatch.setattr(store, "refresh_state", lambda ids: read_back.append(list(ids)))
    with store.write():
        writer.insert_all(rows)
        writer.finish([first, first + 1])
        writer.close()
    assert not writer.folds.unsure and read_back == [[]]
    assert len(stored_facts(tracker)) == 30
    check(tracker)


def _columns() -> tuple[str, ...]:
    from tracker.models import TOUCH_COLUMNS

    return TOUCH_COLUMNS


def test_the_fold_of_a_history() -> None:
    """Runs count a channel's messages since the contact last wrote back; a message is
    answered by the next inbound touch, unless the rep wrote again on its channel first;
    group touches are no part of it; rows must come in order."""
    rows = [
        (1, 7, "sms", "out", "2026-11-02T10:00:00Z", None, None, None, None, None, 0),
        (2, 7, "sms", "out", "2026-11-02T11:00:00Z", None, None, None, None, None, 0),
        (3, 7, "email", "out", "2026-11-02T12:00:00Z", None, None, None, None, None, 0),
        (4, 7, "sms", "in", "2026-11-02T12:30:00Z", None, None, None, None, None, 1),
        (5, 7, "call", "in", "2026-11-02T13:00:00Z", None, None, None, None, None, 0),
        (6, 7, "whatsapp", "out", "2026-11-02T14:00:00Z", None, None, None, None, None, 0),
    ]
    replied = 1793624400  # 2026-11-02T13:00:00Z
    assert sorted(facts_of(7, rows)) == [
        (1, 7, "sms", 1793613600, 1, None),
        (2, 7, "sms", 1793617200, 2, replied),
        (3, 7, "email", 1793620800, 1, replied),
        (6, 7, "whatsapp", 1793628000, 1, None),
    ]
    fold = ReplyFold(7)
    assert fold.add(rows[1]) and not fold.add(rows[0])


def test_an_upgrade_fills_the_facts(tracker: Tracker) -> None:
    _conversation(tracker)
    store = tracker.store
    with store.write():
        store.execute("DELETE FROM message_replies")
    assert stored_facts(tracker) == set()
    assert store.refresh_messages() == 6
    check(tracker)


def test_week_quarter_is_the_utc_quarter_hour_of_the_week(tracker: Tracker) -> None:
    """The generated column the reply counts group by: Monday 00:00 UTC is 0."""
    from tracker.store.local_sql import SHIFT

    assert SHIFT == 6048000000  # written into the schema step as a literal
    ann = person(tracker, "Ann Answer")
    monday = at("2026-11-02T00:00") - timedelta(hours=6)  # 00:00 UTC, a Monday
    for minutes in (0, 14, 15, 60 * 24 * 7 - 1, -1):
        touch(tracker, ann, "sms", (monday + timedelta(minutes=minutes)).isoformat())
    quarters = sorted(
        q for (q,) in tracker.store.execute("SELECT week_quarter FROM message_replies")
    )
    assert quarters == [0, 0, 1, 671, 671]
