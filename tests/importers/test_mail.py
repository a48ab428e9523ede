"""The email reader: mbox (Gmail Takeout, Thunderbird, Apple Mail) and .eml files, headers
read from the raw bytes, bulk mail flagged, first lines found without decoding attachments."""

from __future__ import annotations

import io
import mailbox
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tracker.errors import UsageError
from tracker.importers import mail_body
from tracker.importers.common import Skipped
from tracker.importers.mail import (
    Address,
    MailRecord,
    looks_like_eml,
    read_eml,
    read_mail,
    read_mbox,
)
from tracker.importers.mbox_scan import looks_like_mbox

TAKEOUT = "mail/takeout.mbox"


def _records(items: list[MailRecord | Skipped]) -> list[MailRecord]:
    return [i for i in items if isinstance(i, MailRecord)]


def _separator_lines(path: Path) -> list[int]:
    lines = path.read_bytes().split(b"\n")
    return [n for n, line in enumerate(lines, start=1) if line.startswith(b"From 17920")]


def test_takeout_mbox_flags_bulk_and_skips_what_is_not_mail(fixtures: Path) -> None:
    items = list(read_mail(fixtures / TAKEOUT))
    summary = [
        (i.from_addr, i.bulk_reason, i.first_line) if isinstance(i, MailRecord) else i.reason
        for i in items
    ]
    assert summary == [
        ("jose@example.com", None, "Thursday works — see you at the café."),
        ("sam@example.com", None, "Hi both,"),
        ("news@lists.example.com", "mailing-list message", ""),
        ("winner@example.com", "message in spam", ""),
        "Google Chat item (not email)",
        "message with no readable Date",
        ("dana@example.com", None, "Looks good, let's sign next week."),
        ("lee@example.com", None, "Agenda attached."),
        ("casey@example.com", "automatic message", ""),
        ("lee@example.com", "message in trash", ""),
        "draft (never sent)",
    ]
    assert [i.line for i in items] == _separator_lines(fixtures / TAKEOUT)


def test_headers_are_decoded_and_addresses_parsed(fixtures: Path) -> None:
    first, quote, *_ = _records(list(read_mail(fixtures / TAKEOUT)))
    assert first.from_name == "José García"
    assert first.subject == "Re: Café on Thursday?"
    assert first.at == datetime(2024, 3, 12, 14, 2, 3, tzinfo=UTC)
    assert first.message_id == "CAF1dana0001@mail.example.com"
    assert first.key == "mail:CAF1dana0001@mail.example.com"
    assert first.labels == ("Inbox", "Important", "Opened", "Category Personal")
    # A folded To with a quoted comma in a name; addresses in lower case.
    assert quote.to == (
        Address("Garcia, Jose", "jose@example.com"),
        Address("Dana Fictional", "dana@example.com"),
    )
    assert quote.cc == (Address("", "lee@example.com"),)
    assert quote.recipient_count == 3


def test_recipient_count_covers_to_and_cc(fixtures: Path) -> None:
    (everyone,) = [
        r for r in _records(list(read_mail(fixtures / TAKEOUT))) if r.subject == "All hands"
    ]
    assert everyone.recipient_count == 12
    assert len(everyone.to) == 8 and len(everyone.cc) == 4


def test_same_messages_as_pythons_mailbox(fixtures: Path) -> None:
    ours = [i.line for i in read_mail(fixtures / TAKEOUT)]
    theirs = [m["Message-ID"] for m in mailbox.mbox(fixtures / TAKEOUT, create=False)]
    assert len(ours) == len(theirs) == 11
    ids = {r.message_id for r in _records(list(read_mail(fixtures / TAKEOUT)))}
    assert ids <= {(m or "").strip("<>") for m in theirs}


def test_attachments_are_never_decoded(fixtures: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    decoded: list[bytes] = []
    real = mail_body._decode_part

    def spy(data: bytes, encoding: str, charset: str) -> str:
        decoded.append(data)
        return real(data, encoding, charset)

    monkeypatch.setattr(mail_body, "_decode_part", spy)
    quote = _records(list(read_mail(fixtures / TAKEOUT)))[1]
    assert quote.first_line == "Hi both,"
    pdf = b"JVBERi0xLjQK"  # "%PDF-1.4" in base64
    assert decoded and not any(data.lstrip().startswith(pdf) for data in decoded)
    # Bulk mail is not searched for a first line at all.
    assert not any(b"Top stories" in data or b"Claim now" in data for data in decoded)


def test_thunderbird_mbox_lf_unescaped_from_and_a_legacy_charset(fixtures: Path) -> None:
    signed, intro = read_mail(fixtures / "mail/thunderbird/Inbox")
    assert isinstance(signed, MailRecord) and isinstance(intro, MailRecord)
    # format=flowed joined, Windows-1252 decoded, and "From now on" in the body is no
    # separator (Python's mailbox would start a message there).
    assert signed.first_line == "Signed copy attached, Renée will countersign tomorrow."
    assert intro.first_line == "From the team: welcome aboard."  # ">From" unescaped
    assert intro.line == 18
    assert len(mailbox.mbox(fixtures / "mail/thunderbird/Inbox", create=False)) == 3


def test_apple_mail_export_folder_and_eml_folder(fixtures: Path) -> None:
    (lunch,) = read_mail(fixtures / "mail/Apple Export.mbox")
    assert isinstance(lunch, MailRecord) and lunch.first_line == "Lunch at noon?"
    progress: list[tuple[int, int]] = []
    found = _records(list(read_mail(fixtures / "mail/eml", lambda d, t: progress.append((d, t)))))
    # One level only: older/skipped.eml is not read; notes.txt is not a message.
    assert [r.subject for r in found] == ["Re: Lunch", "Re: Présentation"]
    assert found[0].first_line == "Noon is perfect."
    assert found[1].first_line == ""  # HTML only: no cheap first line
    assert progress[-1] == (2, 2)


def test_one_eml_file_and_a_stream(fixtures: Path) -> None:
    path = fixtures / "mail/eml/2024-03-22 Re Lunch.eml"
    record = read_eml(path)
    assert isinstance(record, MailRecord) and record.to == (
        Address("Dana Fictional", "dana@example.com"),
    )
    stream = io.BytesIO(path.read_bytes())
    (again,) = read_mail(stream, name="lunch.eml")
    assert again == record


def test_mbox_progress_reaches_its_size(fixtures: Path) -> None:
    calls: list[tuple[int, int]] = []
    list(read_mbox(fixtures / TAKEOUT, lambda done, total: calls.append((done, total))))
    size = (fixtures / TAKEOUT).stat().st_size
    assert calls[-1] == (size, size)


def test_not_mail_is_refused(tmp_path: Path) -> None:
    csv = tmp_path / "contacts.csv"
    csv.write_text("Name,Email\nDana,dana@example.com\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"contacts\.csv:1: not an mbox or an email message"):
        list(read_mail(csv))
    with pytest.raises(UsageError, match=r"contacts\.csv:1: not an mbox"):
        list(read_mbox(csv))
    with pytest.raises(UsageError, match=r"contacts\.csv:1: not an email message"):
        read_eml(csv)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(UsageError, match=r"no \.eml files"):
        list(read_mail(empty))


def test_dates_without_a_zone_are_utc_and_undated_or_unsigned_mail_skipped() -> None:
    box = (
        b"From x Mon Mar 11 10:00:00 2024\n"
        b"From: a@example.com\nDate: Mon, 11 Mar 2024 10:00:00 -0000\n\nhi\n"
        b"From x Mon Mar 11 10:00:00 2024\n"
        b"From: a@example.com\nDate: the day after tomorrow\n\nhi\n"
        b"From x Mon Mar 11 10:00:00 2024\n"
        b"From: a@example.com\nDate: Mon, 11 Mar 3024 10:00:00 +0000\n\nhi\n"
        b"From x Mon Mar 11 10:00:00 2024\n"
        b"From: undisclosed\nDate: Mon, 11 Mar 2024 10:00:00 +0000\n\nhi\n"
    )
    first, second, third, fourth = read_mbox(io.BytesIO(box), name="box")
    assert isinstance(first, MailRecord) and first.at == datetime(2024, 3, 11, 10, tzinfo=UTC)
    assert second == Skipped(6, "message with no readable Date")
    assert third == Skipped(11, "message with no readable Date")
    assert fourth == Skipped(16, "message with no From address")


def test_precedence_and_list_unsubscribe_are_bulk_and_auto_submitted_no_is_not() -> None:
    def one(extra: bytes) -> MailRecord:
        box = b"From x Mon Mar 11 10:00:00 2024\nFrom: a@example.com\n" + extra
        (record,) = read_mbox(io.BytesIO(box + b"Date: Mon, 11 Mar 2024 10:00:00 +0000\n\nx\n"))
        assert isinstance(record, MailRecord)
        return record

    assert one(b"Precedence: Bulk\n").bulk_reason == "bulk mail"
    assert one(b"Precedence: junk\n").bulk_reason == "bulk mail"
    assert one(b"List-Unsubscribe: <https://example.com/u>\n").bulk_reason == "bulk mail"
    assert one(b"Auto-Submitted: no\n").bulk_reason is None
    assert one(b"Auto-Submitted: auto-generated\n").bulk_reason == "automatic message"


def test_a_long_message_is_skipped_over_not_held(tmp_path: Path) -> None:
    from tracker.importers.mbox_scan import BODY_HEAD, scan_mbox

    big = b"A" * 76 + b"\n"
    box = (
        b"From x Mon Mar 11 10:00:00 2024\nSubject: big\n\n"
        + big * 20_000
        + b"From y Mon Mar 11 11:00:00 2024\nSubject: small\n\nhello\n"
    )
    with io.BytesIO(box) as handle:
        first, second = scan_mbox(handle, "box", chunk=4096)
    assert len(first.body_head) == BODY_HEAD
    assert second.header == b"Subject: small\n" and second.body_head == b"hello\n"
    assert second.line == 20_004


@pytest.mark.parametrize("chunk", [7, 64, 1000, 1 << 22])
def test_chunk_boundaries_change_nothing(fixtures: Path, chunk: int) -> None:
    from tracker.importers.mbox_scan import scan_mbox

    data = (fixtures / TAKEOUT).read_bytes()
    with io.BytesIO(data) as handle:
        expected = list(scan_mbox(handle, "box"))
    with io.BytesIO(data) as handle:
        assert list(scan_mbox(handle, "box", chunk=chunk)) == expected


def test_detection_helpers(fixtures: Path) -> None:
    assert looks_like_mbox((fixtures / TAKEOUT).read_bytes()[:1024])
    assert looks_like_mbox((fixtures / "mail/thunderbird/Inbox").read_bytes()[:1024])
    eml = (fixtures / "mail/eml/outlook-html-only.EML").read_bytes()
    assert looks_like_eml(eml) and not looks_like_mbox(eml)
    assert not looks_like_eml(b"Name,Email\r\nDana,dana@example.com\r\n")
    assert not looks_like_mbox(b"From the desk of Dana\n")


def test_first_line_rules() -> None:
    text = mail_body.first_line
    assert text("", "", b"\n\n> quoted\nOn Mon, Dana wrote:\n  Real   text here  \n") == (
        "Real text here"
    )
    assert text("text/plain", "", b"-- \nSam\n") == ""  # only a signature
    assert len(text("text/plain", "", b"x" * 500)) == mail_body.MAX_FIRST_LINE
    assert text("text/plain; charset=bogus-8", "", "Jos\u00e9".encode()) == "José"
    assert text("text/html", "", b"<p>hi</p>") == ""
    assert text("image/png", "base64", b"iVBORw0KGgo=") == ""
    nested = (
        b"--a\nContent-Type: multipart/alternative; boundary=b\n\n"
        b"--b\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: "
        b"quoted-printable\n\nCaf=C3=A9 at 3?\n--b--\n--a--\n"
    )
    assert text('multipart/mixed; boundary="a"', "", nested) == "Café at 3?"
    attached = (
        b"--a\nContent-Type: text/plain\nContent-Disposition: attachment; filename=x.txt\n\n"
        b"attached text\n--a\nContent-Type: text/plain\n\nthe message\n--a--\n"
    )
    assert text("multipart/mixed; boundary=a", "", attached) == "the message"
