"""The review's packed entry rows read back as the plain ones do: every field of every
contact and summary on a busy history (tags, follow-ups, consent, every summary field),
awkward texts (separators, NULs, line breaks), a time ``fromisoformat`` cannot read, and rows some
other program wrote with a separator where the store never puts one (read again the
plain way, in order)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import TZ
from tests.test_review_output import END, history  # noqa: F401 (a fixture)
from tracker.config import Settings
from tracker.service import open_store
from tracker.store import Store
from tracker.store.entries import (
    ENTRY_SELECT,
    FIELD_SEP,
    PACKED_SELECT,
    entry_from_row,
    read_packed,
)
from tracker.timeutil import Clock

SETTINGS = Settings(timezone="America/Chicago")
NUL = "\x00"  # a contact's name never holds one; other texts may
AWKWARD = ("a\x1eb", "nul\x00here", "tags\x1fsep", "line\nbreak", "Zoë 王 👍", "\x1d\x1e\x1f", " ")


def _both(store: Store) -> tuple[list[object], list[object]]:
    plain = [entry_from_row(row) for row in store.execute(f"{ENTRY_SELECT} ORDER BY c.id")]
    packed, unreadable = read_packed(store.execute(f"{PACKED_SELECT} ORDER BY c.id"))
    assert unreadable == []
    return plain, list(packed)


def test_packed_rows_read_as_the_plain_ones(history: Path):  # noqa: F811
    store = open_store(history)
    try:
        plain, packed = _both(store)
        assert packed == plain
        assert len(packed) == 400
        contacts = [contact for contact, _ in packed]
        states = [state for _, state in packed]
        assert any(c.tags for c in contacts) and any(c.follow_up_on for c in contacts)
        assert any(c.sms_opt_out_at for c in contacts) and any(
            c.keep_in_touch_days for c in contacts
        )
        assert any(s.invite_has_note is False for s in states)
        assert any(s.invite_has_note for s in states) and any(s.text_run > 1 for s in states)
        assert any(s.no_reply_channel for s in states) and any(s.last_message_out for s in states)
        for (contact, state), (old_contact, old_state) in zip(packed, plain, strict=True):
            assert contact.__dict__ == old_contact.__dict__  # every field, types included
            assert state.__dict__ == old_state.__dict__
            assert [type(v) for v in state.__dict__.values()] == [
                type(v) for v in old_state.__dict__.values()
            ]
    finally:
        store.close()


def test_awkward_texts_and_times(store: Store):
    ids = store.insert_contacts_bulk(
        [
            {
                "name": f"{text.replace(NUL, '')} {i}",
                "company": text,
                "notes": text,
                "email": f"{i}@example.com",
            }
            for i, text in enumerate(AWKWARD)
        ],
        [(text, "b") for text in AWKWARD],
    )
    store.insert_touches_bulk(
        {"contact_id": contact_id, "channel": "sms", "direction": "out", "text": text, "at": at}
        for contact_id, text, at in zip(
            ids, AWKWARD, ["2026-03-01T10:00:00Z"] * len(AWKWARD), strict=True
        )
    )
    with store.write():  # a time another program wrote, which only strptime reads
        store.execute(
            "UPDATE contact_state SET last_touch_at = '2026-3-01T10:00:00Z' WHERE contact_id = ?",
            (ids[0],),
        )
    plain, packed = _both(store)
    assert packed == plain
    assert [c.company for c, _ in packed[:3]] == list(AWKWARD[:3])  # separators, a NUL
    assert [s.last_text_out for _, s in packed[:3]] == list(AWKWARD[:3])
    assert packed[0][0].tags == ("a b", "b")  # a tag keeps no control character
    assert packed[0][1].last_touch_at == packed[1][1].last_touch_at


def test_a_row_with_a_separator_where_the_store_writes_none_is_read_again(store: Store):
    ids = store.insert_contacts_bulk([{"name": f"P{i}"} for i in range(5)], [()] * 5)
    store.insert_touches_bulk(
        {
            "contact_id": contact_id,
            "channel": "email",
            "direction": "out",
            "at": "2026-01-05T10:00:00Z",
            "text": "hello",
        }
        for contact_id in ids
    )
    with store.write():  # what another program might have written
        store.execute(
            "UPDATE contact_state SET no_reply_channel = ? WHERE contact_id = ?",
            (f"odd{FIELD_SEP}channel", ids[2]),
        )
    packed, unreadable = read_packed(store.execute(f"{PACKED_SELECT} ORDER BY c.id"))
    assert unreadable == [ids[2]]
    clock = Clock(END, TZ)
    entries = store.review_entries(clock, SETTINGS)
    assert [contact.id for contact, _ in entries] == ids
    assert entries[2][1].no_reply_channel == f"odd{FIELD_SEP}channel"
    assert [entry for i, entry in enumerate(entries) if i != 2] == packed
