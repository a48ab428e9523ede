"""The review reads indexes, never the whole history, and its fast path changes nothing.

The plans are checked on a generated database big enough for SQLite's planner to care;
the fast path (one statement, cheap parsing) is compared with a review built the slow way,
from every contact's whole history, on several "as of" moments.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from benchmarks.gen_data import TIMEZONE, build
from tracker.config import Settings
from tracker.review import build_review
from tracker.service import Tracker, open_store
from tracker.state import summarize
from tracker.store import Store
from tracker.timeutil import Clock, local_tz, parse_as_of

TZ = local_tz(TIMEZONE)
SETTINGS = Settings(timezone=TIMEZONE)
AS_OFS = ("2026-11-20", "2026-11-21T07:30", "2026-11-02", "2026-08-15T12:00", "2025-12-31")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gen") / "generated.db"
    store = open_store(path)
    build(store, 1_500, 15_000, seed=11)
    store.close()
    return path


@pytest.fixture
def big(generated: Path) -> Store:
    store = open_store(generated)
    yield store
    store.close()


def clock(as_of: str) -> Clock:
    return Clock(parse_as_of(as_of, TZ), TZ)


def test_every_review_query_uses_an_index(big: Store):
    plans = big.review_query_plans(clock("2026-11-20"), SETTINGS)
    assert {"stale_invite", "keep_in_touch", "entries", "history_as_of"} <= set(plans)
    for name, lines in plans.items():
        assert lines, name
        for line in lines:
            # A bare "SCAN table" reads every row; scanning an index, a subquery's
            # result or a list of ids is fine.
            assert not re.fullmatch(r"SCAN \w+( AS \w+)?", line), (name, line)
            assert "touches" not in line or "USING INDEX" in line, (name, line)


def test_the_review_never_scans_touches(big: Store):
    plans = big.review_query_plans(clock("2026-11-20"), SETTINGS)
    text = "\n".join(line for lines in plans.values() for line in lines)
    assert "SCAN touches" not in text
    assert "SCAN t " not in text + " "
    assert "touches_contact_at" in "\n".join(plans["history_as_of"])


@pytest.mark.parametrize("as_of", AS_OFS)
def test_fast_review_equals_a_review_of_every_contact(big: Store, as_of: str):
    moment = clock(as_of)
    review = Tracker(big, SETTINGS, moment.tz).full_review(moment)
    ids = [row["id"] for row in big.rows("SELECT id FROM contacts ORDER BY id")]
    everyone = [(big.get_contact(i), summarize(i, big.touches_for(i), moment.as_of)) for i in ids]
    slow_review = build_review(everyone, moment, SETTINGS, big.active_snoozes(moment.today))
    fast, slow = review.everything(), slow_review.everything()
    assert review == slow_review and fast == slow
    assert [item.priority for item in fast] == [item.priority for item in slow]
    if as_of == AS_OFS[0]:
        assert len(fast) > 20  # the generated mix does leave work to do (lapsed or not)


def test_entries_are_the_same_objects_the_store_builds(big: Store):
    entries = big.review_entries(clock("2026-11-20"), SETTINGS)
    assert len(entries) > 20
    for contact, state in entries:
        assert contact == big.get_contact(contact.id)
        assert state == big.state_of(contact.id)
        assert hash(contact) == hash(big.get_contact(contact.id))
        assert repr(state) == repr(big.state_of(contact.id))
        assert replace(contact, name="x").name == "x"
        assert replace(state, text_run=9).text_run == 9


def test_bulk_refresh_equals_the_row_by_row_refresh(big: Store):
    ids = [row["id"] for row in big.rows("SELECT id FROM contacts ORDER BY id LIMIT 300")]
    before = [big.state_of(i) for i in ids]
    big.refresh_state(ids)
    assert [big.state_of(i) for i in ids] == before


def test_exports_read_in_order_without_sorting(big: Store):
    for what in ("touches", "contacts", "invitations"):
        plan = big.export_query_plan(what)
        assert not any("TEMP B-TREE FOR ORDER BY" in line for line in plan), (what, plan)
    invitations = big.export_query_plan("invitations")
    assert any("touches_invitations" in line for line in invitations), invitations


@pytest.mark.parametrize("descending", [False, True])
def test_contacts_by_name_page_through_the_index(big: Store, descending: bool):
    plan = big.list_query_plan("name", descending)
    assert any("contacts_name" in line for line in plan), plan
    assert not any("TEMP B-TREE FOR ORDER BY" in line for line in plan), plan
    page = big.list_contacts(sort="name", descending=descending, limit=50, offset=20)
    way = "DESC" if descending else "ASC"
    ordered = big.rows(f"SELECT id FROM contacts ORDER BY name COLLATE NOCASE {way}, id {way}")
    assert [row.id for row in page] == [r["id"] for r in ordered[20:70]]


@pytest.mark.parametrize("with_accepted", [False, True])
@pytest.mark.parametrize("past", [False, True])
def test_account_health_reads_the_invitations_through_indexes(
    big: Store, with_accepted: bool, past: bool
):
    plan = big.health_query_plan(with_accepted, past)
    assert plan and all("SCAN" not in line for line in plan), plan
    assert any("touches_pending_invites" in line for line in plan), plan
    # As of a past moment: only the invitations settled after it, not every older one.
    settled = [line for line in plan if "touches_invitations_settled (status_at>?)" in line]
    assert len(settled) == (1 if past else 0), plan
