"""The review's fast paths give what the plain ones gave: the JSON records written straight
from the items, the messages read in one statement, the JSON list escaped record by
record, and the collector paused only while a review is built."""

from __future__ import annotations

import gc
import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import TZ
from tests.test_review_output import AS_OF, END, history  # noqa: F401 (a fixture)
from tracker.cli.render import dumps, dumps_records
from tracker.config import Settings
from tracker.export import review_record, review_records_json
from tracker.models import Kind, Priority, ReviewItem
from tracker.service import Tracker, collection_paused, open_store
from tracker.service.day import _message_touch
from tracker.timeutil import Clock

AWKWARD = (
    "",
    "plain",
    'say "hi", \\ back',
    "line\nbreak\r\ttab\x00nul\x1f",
    "Zoë 王 👍",
    "bidi \u202e C1 \x85 \x9b del \x7f",
    "\u2028\u2029",
    "ascii and DEL \x7f only",
)


def _items() -> list[ReviewItem]:
    items = []
    for index, text in enumerate(AWKWARD):
        for kind in (Kind.NO_REPLY, Kind.STALE_INVITE):
            items.append(
                ReviewItem(
                    kind=kind,
                    contact_id=index + 1,
                    contact=f"{text} {index}",
                    company=text,
                    since=datetime(2026, 3, 1 + index, 14, 5, 9, tzinfo=UTC),
                    age_days=index * 3,
                    action=f"do {text}",
                    reason=text,
                    last_message=text,
                    lapsed=bool(index % 2),
                    details={"channel": "email"},
                    priority=Priority(
                        (("kind", 15), ("overdue", index), ("segment", -index), ("warmth", 0))
                    ),
                )
            )
    return items


@pytest.mark.parametrize("zone", ["America/Chicago", "Asia/Kolkata", "UTC"])
def test_json_records_are_what_the_encoder_wrote(zone: str):
    tz = ZoneInfo(zone)
    items = _items()
    plain = [json.dumps(review_record(item, tz), ensure_ascii=False) for item in items]
    assert review_records_json(items, tz) == plain
    messages = [f'message {i}, "{text}"' for i, text in enumerate(AWKWARD * 2)]
    with_messages = [
        json.dumps({**review_record(item, tz), "last_message": message}, ensure_ascii=False)
        for item, message in zip(items, messages, strict=True)
    ]
    assert review_records_json(items, tz, messages) == with_messages


def test_a_list_of_records_is_escaped_record_by_record():
    records = [{"a": text} for text in AWKWARD]
    encoded = [json.dumps(record, ensure_ascii=False) for record in records]
    text = dumps_records(encoded)
    assert text == dumps(records)
    assert json.loads(text) == records
    assert "\u202e" not in text and "\x85" not in text and "\\u202e" in text
    assert "\x7f" not in text and "DEL \\u007f only" in text
    assert dumps_records([]) == dumps([]) == "[]"


def test_item_messages_are_each_items_own_touch(history: Path):  # noqa: F811
    store = open_store(history)
    tracker = Tracker(store, Settings(timezone="America/Chicago"), TZ)
    try:
        items = tracker.full_review(Clock(END, TZ)).everything()
        expected = []
        for item in items:
            touch = None if item.last_message else _message_touch(item)
            found = store.touch_text(item.contact_id, *touch) if touch else ""
            expected.append(item.last_message or found)
        assert tracker.item_messages(items) == expected
        assert sum(1 for text in expected if text) > 100
        filled = tracker.with_messages(items)
        assert [item.last_message for item in filled] == expected
        assert filled == [
            replace(item, last_message=text) for item, text in zip(items, expected, strict=True)
        ]
        assert [(i.details, i.priority) for i in filled] == [(i.details, i.priority) for i in items]
        assert tracker.item_messages([]) == []
    finally:
        store.close()


def test_the_collector_is_paused_inside_and_resumes_after():
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()
    with pytest.raises(ValueError), collection_paused():
        raise ValueError
    assert gc.isenabled()
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()


def test_the_review_command_leaves_the_collector_running(history: Path):  # noqa: F811
    from tests.cli_helpers import Outreach

    Outreach(history)("review", "--format", "json", "--as-of", AS_OF)
    assert gc.isenabled()


def test_a_review_leaves_a_page_cache_big_enough_for_the_next(tmp_path: Path):
    from tracker.store.review import REVIEW_CACHE_MB

    store = open_store(tmp_path / "cache.db")
    tracker = Tracker(store, Settings(timezone="America/Chicago"), TZ)
    try:
        assert store.scalar("PRAGMA cache_size") == -2000  # SQLite's default, 2 MB
        tracker.full_review(Clock(END, TZ))
        assert store.scalar("PRAGMA cache_size") == -REVIEW_CACHE_MB * 1024
        store.execute("PRAGMA cache_size = -100000")  # a bigger one (an import's) stays
        tracker.full_review(Clock(END, TZ))
        assert store.scalar("PRAGMA cache_size") == -100000
    finally:
        store.close()
