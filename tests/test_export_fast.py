"""The SQL-built CSV lines equal the reference ``csv.writer`` + ``neutralise`` output,
byte for byte, for every awkward value: NULLs, quotes, separators, line breaks, formula
starts, plain numbers, non-ASCII digits, NULs, and the types the store never writes."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.export import neutralise, write_csv
from tracker.service import open_store
from tracker.store import Store

TRICKY = [
    None,
    "",
    " ",
    "plain",
    "a,b",
    'say "hi"',
    '"',
    '""',
    "line1\nline2",
    "cr\rx",
    "crlf\r\n",
    "\n",
    "=1+2",
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\tx",
    "\rx",
    "@a,b",
    '=,"\n',
    '-, "x"',
    "+13125550142",
    "-5",
    "+5",
    "5",
    "-5.25",
    "+1.",
    "-.5",
    "+1.2.3",
    "+1..2",
    "-1e5",
    "+12\n",
    "-12\n\n",
    "+12\nx",
    "-\n5",
    "+\n",
    "+١٢٣",
    "-٣.٥",
    "+１２",
    "+12é",
    "-é",
    "=\x00x",
    "a\x00b",
    "\x00",
    "+1\x002",
    "x\x1ay",
    "\x1a",
    "Zoë Müller",
    "👍",
    "a'b",
    "'=x",
    " =x",
    "\u2028",
    "\x85",
    "\x7f",
    "a;b",
    "1.5",
    "back\\slash",
    "a\\,b",
    "Zed, \\",
    "Tab\tin",
    "Uni\u2028line",
    "-0",
    "+0.0",
    "A",
    "@",
    "x" * 5000 + ",",
]


def reference(header: tuple[str, ...], rows: list[tuple[object, ...]], raw: bool) -> str:
    """What the export wrote before the fast path: csv.writer over neutralised cells."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(row if raw else [neutralise(v) for v in row])
    return out.getvalue()


def both(store: Store, what: str, raw: bool) -> tuple[str, str]:
    """(the fast path's text, the reference's); the fast path's lines written as text
    (to a ``StringIO``) and as UTF-8 bytes (to a file's buffer) are the same."""
    header, rows = store.export_rows(what)
    expected = reference(header, list(rows), raw)
    header, rows = store.export_rows(what, page=7)
    fast = io.StringIO(newline="")
    write_csv(fast, header, rows, raw=raw)
    header, rows = store.export_rows(what, page=7)
    file = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    write_csv(file, header, rows, raw=raw)
    file.flush()
    assert file.buffer.getvalue().decode("utf-8") == fast.getvalue()  # type: ignore[attr-defined]
    return fast.getvalue(), expected


@pytest.fixture
def tricky(tmp_path: Path) -> Iterator[Store]:
    store = open_store(tmp_path / "tricky.db")
    names = [v if v and v.strip() else f"name {i}" for i, v in enumerate(TRICKY)]
    contacts = [
        {
            "name": name,
            "company": value,
            "title": value,
            "notes": value,
            "email": None if value is None else f"{i}-{value}",
            "keep_in_touch_days": i if i % 3 else None,
        }
        for i, (name, value) in enumerate(zip(names, TRICKY, strict=True))
    ]
    ids = store.insert_contacts_bulk(contacts, [(v,) if v else () for v in TRICKY])
    touches = []
    for i, value in enumerate(TRICKY):
        for channel in ("sms", "linkedin_invite"):
            touches.append(
                {
                    "contact_id": ids[i],
                    "channel": channel,
                    "direction": "out",
                    "at": f"2026-01-{1 + i % 28:02d}T10:00:00Z",
                    "text": value,
                    "status": "pending" if channel == "linkedin_invite" else None,
                    "has_note": bool(value) if channel == "linkedin_invite" else None,
                    "source": None if value is None else f"{channel}:{i}:{value}",
                    "template": value,
                }
            )
    store.insert_touches_bulk(touches)
    yield store
    store.close()


@pytest.mark.parametrize("raw", [False, True])
@pytest.mark.parametrize("what", ["touches", "contacts", "invitations"])
def test_fast_export_equals_the_reference(tricky: Store, what: str, raw: bool):
    fast, expected = both(tricky, what, raw)
    assert fast == expected
    assert fast.count("\r\n") >= len(TRICKY)


def test_types_the_store_never_writes_still_match(tricky: Store):
    touch_ids = [r["id"] for r in tricky.rows("SELECT id FROM touches ORDER BY id LIMIT 6")]
    tricky.update_touch(touch_ids[0], {"has_note": 1.5})
    tricky.update_touch(touch_ids[1], {"is_group": -0.25})
    tricky.update_touch(touch_ids[2], {"text": b"\x00blob,\xff"})
    tricky.update_touch(touch_ids[3], {"source": b"=x"})
    tricky.update_touch(touch_ids[4], {"has_note": "yes, really"})
    tricky.update_touch(touch_ids[5], {"text": 1e20})
    for raw in (False, True):
        fast, expected = both(tricky, "touches", raw)
        assert fast == expected
    assert "1.5" in fast and "b'\\x00blob,\\xff'" in fast


def test_plain_numbers_are_left_alone_and_formulas_neutralised(tricky: Store):
    fast, _ = both(tricky, "touches", False)
    assert ",+13125550142," in fast
    assert ",-5.25," in fast
    assert ",'=1+2," in fast
    assert ",'-é," in fast
    assert ',"\'=,""\n",' in fast


def test_iterating_the_rows_still_gives_stored_values(tricky: Store):
    header, rows = tricky.export_rows("touches")
    values = list(rows)
    assert header[6] == "text"
    assert {row[6] for row in values} == set(TRICKY)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.text(
        alphabet=st.sampled_from(list(",\"\r\n\t=+-@ .0123456789aZé١２\x00\x1a\x7f\\'")),
        max_size=12,
    )
)
def test_any_text_matches(tricky: Store, text: str):
    touch_id = tricky.rows("SELECT min(id) AS id FROM touches")[0]["id"]
    tricky.update_touch(touch_id, {"text": text, "template": text[::-1]})
    for raw in (False, True):
        fast, expected = both(tricky, "touches", raw)
        assert fast == expected


def test_tags_are_listed_in_order_and_read_without_sorting(tmp_path: Path):
    store = open_store(tmp_path / "tags.db")
    store.insert_contacts_bulk(
        [{"name": "Dana"}, {"name": "Lee"}, {"name": "Sam"}],
        [("zeta", "alpha", "Mid, dle", "=sum"), (), ("b",)],
    )
    fast, expected = both(store, "contacts", False)
    assert fast == expected
    assert '"\'=sum; Mid, dle; alpha; zeta"' in fast
    assert not any("TEMP B-TREE" in line for line in store.export_query_plan("contacts"))
    store.close()


def test_a_filtered_export_equals_the_reference(tricky: Store):
    header, rows = tricky.export_rows("touches", tag="a,b")
    expected = reference(header, list(rows), False)
    header, rows = tricky.export_rows("touches", page=3, tag="a,b")
    fast = io.StringIO(newline="")
    write_csv(fast, header, rows)
    assert fast.getvalue() == expected
    assert expected.count("\r\n") == 3  # the header and the contact's two touches


def test_an_export_leaves_no_table_and_no_transaction(tricky: Store):
    for inside_a_write in (False, True):
        header, rows = tricky.export_rows("touches", page=5)
        out = io.StringIO(newline="")
        if inside_a_write:
            with tricky.write():
                write_csv(out, header, rows)
                assert tricky.conn.in_transaction
        else:
            write_csv(out, header, rows)
        assert not tricky.conn.in_transaction
        tables = tricky.conn.execute("SELECT name FROM temp.sqlite_master").fetchall()
        assert tables == []
        assert out.getvalue() == both(tricky, "touches", False)[1]
