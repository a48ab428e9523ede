"""The Android call log reader: direction and status from type and duration (DOMAIN
"Calls"), skips with reasons, streaming, and detection by content."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tracker.errors import UsageError
from tracker.importers import ImportOptions, detect_format, run_import
from tracker.importers.calls import CallRecord, classify, looks_like_call_log, read_calls
from tracker.importers.common import Skipped
from tracker.models import CallStatus, Direction
from tracker.service import Tracker

LOG = "calls/calls-20240327.xml"
HEAD = "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<calls count=\"1\">\n"


def _log(calls: str) -> io.BytesIO:
    stream = io.BytesIO((HEAD + calls + "</calls>\n").encode())
    stream.name = "calls.xml"
    return stream


def test_the_fixture_reads_every_call_in_order(fixtures: Path) -> None:
    items = list(read_calls(fixtures / LOG))
    got = [
        (i.line, i.number, i.name, i.direction, i.status, i.duration)
        if isinstance(i, CallRecord)
        else (i.line, i.reason)
        for i in items
    ]
    out, inbound = Direction.OUT, Direction.IN
    connected, no_answer = CallStatus.CONNECTED, CallStatus.NO_ANSWER
    assert got == [
        (5, "+13125550142", "Dana Fictional", out, connected, 384),
        (6, "3125550142", "Dana Fictional", out, no_answer, 0),
        (7, "+1 312-555-0177", "Jordan Optout", inbound, connected, 95),
        (8, "+13125550123", "Casey Quiet", inbound, no_answer, 0),  # missed
        (9, "+13125550123", "Casey Quiet", inbound, CallStatus.VOICEMAIL, 31),
        (10, "+13125550188", "Sky Group 😀", inbound, no_answer, 0),  # rejected
        (11, "blocked call"),
        (12, "+13125550142", "Dana Fictional", inbound, connected, 0),  # answered elsewhere
        (13, "hidden number"),
        (14, "+13125550166", "", inbound, no_answer, 0),  # (Unknown) is no name
        (15, "call of type 8"),
        (16, "hidden number"),
    ]
    first = items[0]
    assert isinstance(first, CallRecord)
    assert first.at == datetime(2024, 3, 12, 13, 2, 3, tzinfo=UTC)
    assert first.key == "call:+13125550142:1710248523:2"


@pytest.mark.parametrize(
    ("call_type", "duration", "expected"),
    [
        ("2", 384, (Direction.OUT, CallStatus.CONNECTED)),
        ("2", 0, (Direction.OUT, CallStatus.NO_ANSWER)),
        ("1", 1, (Direction.IN, CallStatus.CONNECTED)),
        ("1", 0, (Direction.IN, CallStatus.NO_ANSWER)),
        ("3", 0, (Direction.IN, CallStatus.NO_ANSWER)),
        ("4", 20, (Direction.IN, CallStatus.VOICEMAIL)),
        ("5", 0, (Direction.IN, CallStatus.NO_ANSWER)),
        ("6", 0, "blocked call"),
        ("7", 0, (Direction.IN, CallStatus.CONNECTED)),
        ("", 0, "call of type ?"),
    ],
)
def test_direction_and_status_follow_domain(
    call_type: str, duration: int, expected: object
) -> None:
    assert classify(call_type, duration) == expected


def test_progress_reaches_the_file_size(fixtures: Path) -> None:
    calls: list[tuple[int, int]] = []
    list(read_calls(fixtures / LOG, progress=lambda done, total: calls.append((done, total))))
    size = (fixtures / LOG).stat().st_size
    assert calls and calls[-1] == (size, size)


def test_a_stream_is_read_too_and_named_in_errors() -> None:
    calls = '<call number="+13125550142" duration="5" date="1710248523000" type="1" />\n'
    (record,) = read_calls(_log(calls))
    assert isinstance(record, CallRecord) and record.status is CallStatus.CONNECTED
    with pytest.raises(UsageError, match=r"^calls\.xml:3: unreadable date 'soon'"):
        list(read_calls(_log('<call number="+13125550142" date="soon" type="1" />\n')))
    with pytest.raises(UsageError, match=r"^calls\.xml:3: unreadable duration"):
        list(read_calls(_log('<call number="1" duration="x" date="1" type="1" />\n')))


def test_other_xml_broken_xml_and_out_of_range_dates_are_refused(tmp_path: Path) -> None:
    sms = tmp_path / "sms.xml"
    sms.write_text("<?xml version='1.0'?>\n<smses count=\"0\"></smses>\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"sms\.xml:2: not a call log \(<smses>\)"):
        list(read_calls(sms))
    with pytest.raises(UsageError, match=r"calls\.xml:4: broken XML"):
        list(read_calls(_log('<call number="1" date="1" type="1"\n')))
    far = '<call number="+13125550142" duration="1" date="99999999999999" type="1" />\n'
    with pytest.raises(UsageError, match="out of range"):
        list(read_calls(_log(far)))


def test_emoji_written_as_surrogate_references_are_recovered() -> None:
    calls = (
        '<call number="+13125550142" duration="0" date="1710248523000" type="3" '
        'contact_name="Dana &#55357;&#56832;" />\n'
    )
    (record,) = read_calls(_log(calls))
    assert isinstance(record, CallRecord) and record.name == "Dana 😀"


def test_a_large_log_streams_in_chunks(tmp_path: Path) -> None:
    path = tmp_path / "calls-big.xml"
    call = '<call number="+13125550142" duration="60" date="1710248523000" type="2" />\n'
    path.write_text(HEAD + call * 20_000 + "</calls>\n", encoding="utf-8")
    reads: list[int] = []
    count = sum(1 for _ in read_calls(path, progress=lambda done, total: reads.append(done)))
    assert count == 20_000
    assert len(reads) > 1  # more than one chunk: the file was never read whole


def test_detection_tells_a_call_log_from_an_sms_backup(fixtures: Path, tmp_path: Path) -> None:
    found = detect_format(fixtures / LOG)
    assert (found.kind, found.format) == ("calls", "android-calls")
    assert detect_format(fixtures / "sms/backup.xml").kind == "sms"
    assert looks_like_call_log((fixtures / LOG).read_bytes()[:4096])
    assert not looks_like_call_log((fixtures / "sms/backup.xml").read_bytes()[:4096])
    with pytest.raises(UsageError, match="unsupported format for texts \\(Android call log"):
        detect_format(fixtures / LOG, "sms")
    other = tmp_path / "other.xml"
    other.write_text("<?xml version='1.0'?>\n<rss></rss>\n", encoding="utf-8")
    with pytest.raises(UsageError, match="not an SMS backup or a call log"):
        detect_format(other)


def test_a_call_log_is_imported_as_calls(tracker: Tracker, fixtures: Path) -> None:
    summary = run_import(tracker, fixtures / LOG, options=ImportOptions(create_contacts=True))
    assert summary.format == "Android call log (SMS Backup & Restore)"
    assert summary.touches_added > 0


def test_skipped_items_carry_their_line() -> None:
    calls = '<call number="+13125550199" duration="0" date="1710248523000" type="6" />\n'
    assert list(read_calls(_log(calls))) == [Skipped(3, "blocked call")]
