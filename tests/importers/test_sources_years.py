"""Years of calls and mail imported at once do not flood Today: what fell due longer ago
than ``[review] horizon_days`` has lapsed (DOMAIN.md, "Lapsed items"), the day's queue
holds only what is recent, and the first Today after the import says what it hid."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.importers.conftest import do_import
from tracker.models import Kind
from tracker.service import Tracker

AS_OF = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)
OLD_CALLERS = 12
OLD_WRITERS = 6
SAM = "sam@example.com"


def _phone(n: int) -> str:
    return f"+1312555{100 + n:04d}"


def _call(number: str, at: datetime) -> str:
    millis = int(at.timestamp() * 1000)
    return (
        f'  <call number="{number}" duration="120" date="{millis}" type="2" '
        'presentation="1" contact_name="null" />\n'
    )


def _mail(n: int, to: str, at: datetime) -> str:
    stamp = at.strftime("%a, %d %b %Y %H:%M:%S +0000")
    return (
        f"From {n}@xxx {at.strftime('%a %b %d %H:%M:%S +0000 %Y')}\n"
        f"From: Sam Seller <{SAM}>\nTo: {to}\nSubject: Proposal {n}\nDate: {stamp}\n"
        f"Message-ID: <years-{n}@example.com>\nContent-Type: text/plain\n\nHello.\n\n"
    )


@pytest.fixture
def years(tracker: Tracker, tmp_path: Path) -> tuple[Path, Path]:
    """A call log and an mbox of three years: old calls and unanswered mail to most
    contacts, a recent call to two and a recent email to one."""
    calls, mails = [], []
    for n in range(OLD_CALLERS):
        tracker.add_contact({"name": f"Old Caller {n}", "phone": _phone(n)})
        # A call every quarter for three years, the last one more than 100 days ago.
        for quarter in range(12):
            calls.append(_call(_phone(n), AS_OF - timedelta(days=1100 - 90 * quarter + n)))
    for n in (40, 41):
        tracker.add_contact({"name": f"Recent Caller {n}", "phone": _phone(n)})
        calls.append(_call(_phone(n), AS_OF - timedelta(days=2)))
    for n in range(OLD_WRITERS):
        tracker.add_contact({"name": f"Old Writer {n}", "email": f"writer{n}@example.com"})
        mails.append(_mail(n, f"writer{n}@example.com", AS_OF - timedelta(days=700 + 30 * n)))
    tracker.add_contact({"name": "Fresh Writer", "email": "fresh@example.com"})
    mails.append(_mail(99, "fresh@example.com", AS_OF - timedelta(days=5)))
    log = tmp_path / "calls-20261123.xml"
    log.write_text(
        "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n"
        f'<calls count="{len(calls)}">\n{"".join(calls)}</calls>\n',
        encoding="utf-8",
    )
    mbox = tmp_path / "All mail Including Spam and Trash.mbox"
    mbox.write_text("".join(mails), encoding="utf-8")
    return log, mbox


def test_years_of_calls_and_mail_leave_only_recent_items_today(
    tracker: Tracker, years: tuple[Path, Path]
) -> None:
    log, mbox = years
    clock = tracker.clock(AS_OF)
    calls = do_import(tracker, log)
    assert calls.touches_added == OLD_CALLERS * 12 + 2
    assert calls.records == calls.added == OLD_CALLERS * 12 + 2
    mail = do_import(tracker, mbox, me_values=(SAM,))
    assert mail.touches_added == mail.added == OLD_WRITERS + 1
    review = tracker.full_review(clock)
    due = sorted((item.kind, item.contact) for item in review.queue)
    assert due == [
        (Kind.AFTER_CALL_TEXT, "Recent Caller 40"),
        (Kind.AFTER_CALL_TEXT, "Recent Caller 41"),
        (Kind.NO_REPLY, "Fresh Writer"),
    ]
    lapsed = {(item.kind, item.contact) for item in review.lapsed}
    assert len(lapsed) == OLD_CALLERS + OLD_WRITERS
    assert (Kind.AFTER_CALL_TEXT, "Old Caller 0") in lapsed
    assert (Kind.NO_REPLY, "Old Writer 5") in lapsed
    snapshot = tracker.day(clock)
    assert len(snapshot.entries) == 3 and snapshot.lapsed_count == OLD_CALLERS + OLD_WRITERS
    assert snapshot.import_notice == (
        "Your import brought 3 years of history: 18 older items are hidden "
        "(due more than 30 days ago)."
    )


def test_a_dry_run_of_years_leaves_no_word_behind(
    tracker: Tracker, years: tuple[Path, Path]
) -> None:
    log, _ = years
    summary = do_import(tracker, log, dry_run=True)
    assert summary.touches_added == OLD_CALLERS * 12 + 2
    assert tracker.day(tracker.clock(AS_OF)).import_notice is None
