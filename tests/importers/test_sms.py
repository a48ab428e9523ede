"""Text history: Android SMS Backup & Restore XML and imessage-exporter text."""

from __future__ import annotations

import re
import tracemalloc
from pathlib import Path

import pytest

from tests.conftest import TZ, local
from tests.importers.conftest import do_import, table_dump
from tracker.config import Settings
from tracker.errors import UsageError
from tracker.importers.sms_android import import_android
from tracker.models import Channel, Direction, Kind
from tracker.service import Tracker, open_store
from tracker.service.import_report import ImportOptions, ImportSummary
from tracker.service.imports import ImportSession


@pytest.fixture
def people(tracker: Tracker) -> dict[str, int]:
    """Contacts whose numbers are spelled differently from the backup's."""
    rows = {
        "Dana Fictional": {"phone": "312-555-0142"},
        "Jordan Optout": {"phone": "+1 312 555 0177"},
        "Sky Group": {"phone": "(312) 555 0188"},
        "Casey Quiet": {"phone": "3125550123", "email": "casey@example.com"},
    }
    return {name: tracker.add_contact({"name": name, **f}).id for name, f in rows.items()}


def _texts(tracker: Tracker, contact_id: int) -> list[tuple[str, str, bool]]:
    return [
        (t.direction.value, t.text, t.is_group)
        for t in tracker.store.touches_for(contact_id)
        if t.channel is Channel.SMS
    ]


def test_android_backup(tracker: Tracker, people: dict[str, int], fixtures: Path) -> None:
    summary = do_import(tracker, fixtures / "sms/backup.xml", "sms")
    assert summary.records == 11
    assert summary.touches_added == 7
    assert summary.added == 7
    assert summary.contacts_added == 0
    assert summary.opted_out == 1
    assert summary.skipped == {
        "draft": 1,
        "failed": 1,
        "number matching no contact": 1,
        "invalid or short-code number": 1,
    }
    dana = tracker.store.touches_for(people["Dana Fictional"])
    assert [(t.direction, t.at) for t in dana[:2]] == [
        (Direction.OUT, local("2026-03-06T10:00")),
        (Direction.IN, local("2026-03-06T11:02:03")),
    ]
    # The "store emojis" surrogate pair is recovered, and &#10; is a line break.
    assert dana[1].text == "Yes, Thursday works \U0001f600\nCall my cell."
    # The group messages came from Sky Group (their <addr type="137">): one touch from
    # the sender only, none for the other members (DOMAIN "Group messages").
    assert len(_texts(tracker, people["Dana Fictional"])) == 2
    assert _texts(tracker, people["Sky Group"]) == [
        ("in", "Team dinner Friday? \U0001f355", True),
        ("in", "STOP", True),
    ]
    # A one-to-one STOP opts out; a STOP in a group opts nobody out.
    jordan = tracker.store.get_contact(people["Jordan Optout"])
    assert jordan.sms_opt_out_at == local("2026-03-05T10:00")
    for name in ("Dana Fictional", "Sky Group"):
        assert tracker.store.get_contact(people[name]).sms_opt_out_at is None


def test_attributes_in_any_order_read_the_same(tmp_path: Path, fixtures: Path) -> None:
    """The app writes an ``<sms>``'s first attributes in one order, which the reader
    takes by position; the same messages with their attributes in another order (or a
    shorter list) read by name, and give the same touches and summary."""
    original = (fixtures / "sms/backup.xml").read_text(encoding="utf-8")

    def reordered(match: re.Match[str]) -> str:
        attrs = re.findall(r'[a-z_]+="[^"]*"', match.group(1))
        if "subject" in match.group(1):
            attrs = [a for a in attrs if not a.startswith("subject=")]  # one list shorter
        return "<sms " + " ".join(reversed(attrs)) + " />"

    shuffled = re.sub(r"<sms ([^>]*?) />", reordered, original, count=6)
    assert shuffled.count('<sms protocol="0" address=') == original.count("<sms ") - 6
    path = tmp_path / "shuffled.xml"
    path.write_text(shuffled, encoding="utf-8")
    runs = []
    for name, source in (("plain", fixtures / "sms/backup.xml"), ("shuffled", path)):
        tracker = Tracker(open_store(tmp_path / f"{name}.db"), Settings(), TZ)
        summary = do_import(tracker, source, "sms", create_contacts=True)
        touches = tracker.store.conn.execute(
            "SELECT contact_id, channel, direction, at, text, is_group, source FROM touches"
            " ORDER BY id"
        ).fetchall()
        runs.append((summary.lines()[1:], touches, tracker.store.counts()))
        tracker.store.close()
    assert runs[0] == runs[1]
    assert runs[0][2]["touches"] == 8


def test_android_backup_twice_changes_nothing(
    tracker: Tracker, people: dict[str, int], fixtures: Path
) -> None:
    do_import(tracker, fixtures / "sms/backup.xml")
    before = table_dump(tracker)
    again = do_import(tracker, fixtures / "sms/backup.xml")
    assert not again.changed and again.skipped["already imported"] == 7
    assert table_dump(tracker) == before


def test_review_after_texts(tracker: Tracker, people: dict[str, int], fixtures: Path) -> None:
    do_import(tracker, fixtures / "sms/backup.xml")
    items = tracker.review(local("2026-03-12T18:00"))
    # Casey's text went unanswered; Dana replied; Jordan opted out; group texts don't count.
    assert [(i.kind, i.contact) for i in items] == [(Kind.UNANSWERED_TEXT, "Casey Quiet")]


def test_create_contacts_names_them_from_the_file(tracker: Tracker, fixtures: Path) -> None:
    summary = do_import(tracker, fixtures / "sms/backup.xml", create_contacts=True)
    assert summary.contacts_added == 5
    names = {c.name for c in tracker.store.contacts_by_ids(list(range(1, 6))).values()}
    assert names == {
        "Dana Fictional",
        "Jordan Optout",
        "Sky Group",  # named from the group's contact_name, in address order
        "Casey Quiet",
        "+13125550199",  # "(Unknown)" in the file: named after the number
    }
    assert "invalid or short-code number" in summary.skipped


def test_broken_xml_in_the_middle_writes_nothing(
    tracker: Tracker, people: dict[str, int], fixtures: Path, tmp_path: Path
) -> None:
    lines = (fixtures / "sms/backup.xml").read_text(encoding="utf-8").splitlines(True)
    lines.insert(9, '  <sms protocol="0" address="+13125550142" body="a < b" type="2" />\n')
    broken = tmp_path / "broken.xml"
    broken.write_text("".join(lines), encoding="utf-8")
    before = table_dump(tracker)
    with pytest.raises(UsageError, match=r"broken\.xml:10: broken XML"):
        do_import(tracker, broken)
    assert table_dump(tracker) == before


def test_unreadable_date_is_fatal(tracker: Tracker, people: dict[str, int], tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text(
        "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses count=\"1\">\n"
        '<sms address="+13125550142" date="null" type="1" body="hi" />\n</smses>\n',
        encoding="utf-8",
    )
    with pytest.raises(UsageError, match=r"bad\.xml:3: unreadable date"):
        do_import(tracker, bad)


def test_other_xml_and_csv_are_refused_as_texts(tracker: Tracker, tmp_path: Path) -> None:
    calls = tmp_path / "calls.xml"
    calls.write_text("<?xml version='1.0'?>\n<calls count=\"0\"></calls>\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"unsupported format for texts \(Android call log"):
        do_import(tracker, calls, "sms")
    imazing = tmp_path / "messages.csv"
    imazing.write_text("Chat Session,Message Date,Sender Name,Text\nx,y,z,w\n", encoding="utf-8")
    with pytest.raises(UsageError, match="unsupported format for texts"):
        do_import(tracker, imazing, "sms")


def _big_backup(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n")
        out.write(f'<smses count="{count}">\n')
        for n in range(count):
            out.write(
                f'  <sms protocol="0" address="+1312555{n % 500 + 1000:04d}" '
                f'date="{1700000000000 + n * 1000}" type="{1 + n % 2}" '
                f'body="Message number {n} &#55357;&#56832; with some padding text" read="1" '
                f'status="-1" readable_date="null" contact_name="(Unknown)" />\n'
            )
        out.write("</smses>\n")


def _peak_parsing(tracker: Tracker, path: Path) -> int:
    summary = ImportSummary(str(path), "test")
    session = ImportSession(tracker, summary, ImportOptions())
    tracemalloc.start()
    with tracker.store.write():
        import_android(session, path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert summary.records > 0
    return peak


def test_memory_stays_flat_as_the_backup_grows(tracker: Tracker, tmp_path: Path) -> None:
    small, large = tmp_path / "small.xml", tmp_path / "large.xml"
    _big_backup(small, 4_000)  # about 0.9 MB: a few read chunks
    _big_backup(large, 24_000)  # about 5 MB
    assert large.stat().st_size > 5 * small.stat().st_size
    small_peak = _peak_parsing(tracker, small)
    large_peak = _peak_parsing(tracker, large)
    assert large_peak < small_peak * 1.3


def test_imessage_folder(tracker: Tracker, people: dict[str, int], fixtures: Path) -> None:
    summary = do_import(tracker, fixtures / "imessage", "sms")
    assert summary.format == "imessage-exporter text (folder)"
    assert (summary.records, summary.touches_added, summary.opted_out) == (7, 8, 1)
    dana = tracker.store.touches_for(people["Dana Fictional"])
    assert [(t.direction.value, t.at, t.text, t.is_group) for t in dana] == [
        ("out", local("2026-03-06T09:58:12"), "Dana, running 5 minutes late for our call.", False),
        ("in", local("2026-03-06T10:02:40"), "No problem!\nSee you soon.", False),
        ("out", local("2026-03-07T11:01:30"), "I will.", True),
        (
            "out",
            local("2026-03-09T16:15"),
            "Thanks again, Dana. I'll send the proposal Friday.",
            False,
        ),
    ]
    assert _texts(tracker, people["Sky Group"]) == [
        ("in", "Who's bringing the slides?", True),
        ("out", "I will.", True),
    ]
    # An email handle matches by email, and "Unsubscribe" alone opts out.
    casey = tracker.store.get_contact(people["Casey Quiet"])
    assert casey.sms_opt_out_at == local("2026-03-04T20:30")
    before = table_dump(tracker)
    assert not do_import(tracker, fixtures / "imessage").changed
    assert table_dump(tracker) == before


def test_imessage_single_file_with_unknown_handle(tracker: Tracker, fixtures: Path) -> None:
    summary = do_import(tracker, fixtures / "imessage/+13125550142.txt", "sms")
    assert summary.touches_added == 0
    assert summary.skipped == {"handle matching no contact": 3}


def _group_texts(tracker: Tracker, contact_id: int) -> list[tuple[str, str, bool]]:
    return [
        (t.direction.value, t.text, t.is_group)
        for t in tracker.store.touches_for(contact_id)
        if t.channel is Channel.SMS
    ]


def test_group_mms_sender_is_the_type_137_address(
    tracker: Tracker, people: dict[str, int], fixtures: Path
) -> None:
    summary = do_import(tracker, fixtures / "sms/group-mms.xml")
    assert (summary.records, summary.added, summary.touches_added) == (6, 4, 5)
    assert summary.skipped == {
        'group message with no sender (no <addr type="137">)': 1,
        "number matching no contact": 1,
    }
    # Jordan sent the first one (type 137), though Dana's number comes first in the
    # address: one touch from Jordan, none for the members who only received it.
    assert _group_texts(tracker, people["Jordan Optout"]) == [
        ("in", "Booked the room for Thursday.", True)
    ]
    # The rep's group message is a touch for each member who is a contact.
    assert _group_texts(tracker, people["Dana Fictional"]) == [
        ("out", "Thanks Jordan. Agenda to follow.", True),
        ("in", "STOP", True),
    ]
    assert _group_texts(tracker, people["Sky Group"]) == [
        ("out", "Thanks Jordan. Agenda to follow.", True)
    ]
    # A one-to-one MMS is not a group; its picture is not text.
    assert _group_texts(tracker, people["Casey Quiet"]) == [("in", "Here's the spec sheet.", False)]
    # A STOP in a group opts nobody out.
    assert summary.opted_out == 0
    assert tracker.store.get_contact(people["Dana Fictional"]).sms_opt_out_at is None
    # Group texts are not texts for the text rules: nothing unanswered for Dana or Sky.
    items = tracker.review(local("2026-03-12T18:00"))
    assert [i.kind for i in items if i.contact in ("Dana Fictional", "Sky Group")] == []
    before = table_dump(tracker)
    again = do_import(tracker, fixtures / "sms/group-mms.xml")
    assert (again.added, again.skipped["already imported"]) == (0, 4)
    assert table_dump(tracker) == before


def test_group_mms_with_create_contacts_creates_the_sender_only(
    tracker: Tracker, fixtures: Path
) -> None:
    summary = do_import(tracker, fixtures / "sms/group-mms.xml", create_contacts=True)
    # Senders (Jordan, Dana, Casey, the unknown +13125550199) and the recipients of the
    # rep's own group message (Dana, Sky Group, +13125550199): never a member who only
    # received someone else's message.
    names = sorted(c.name for c in tracker.store.contacts_by_ids(list(range(1, 9))).values())
    assert names == ["+13125550199", "Casey Quiet", "Dana Fictional", "Jordan Optout", "Sky Group"]
    assert summary.records == summary.added + sum(summary.skipped.values())
