"""The WhatsApp chat export reader: Android and iOS layouts, clocks and date orders,
multi-line messages, system, media and deletion lines, groups, zips."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.importers.conftest import do_import
from tracker.errors import UsageError
from tracker.importers.common import Skipped
from tracker.importers.whatsapp import (
    ChatMessage,
    LineKind,
    chat_name_of,
    looks_like_whatsapp,
    read_whatsapp,
)
from tracker.service import Tracker

CHICAGO = ZoneInfo("America/Chicago")
ANDROID = "whatsapp/WhatsApp Chat with Dana Fictional.txt"
IOS_ZIP = "whatsapp/WhatsApp Chat - Deal Team.zip"


def _chat(text: str, name: str = "WhatsApp Chat with Dana Fictional.txt", **kwargs: object) -> list:
    stream = io.BytesIO(text.encode("utf-8"))
    return list(read_whatsapp(stream, CHICAGO, name=name, **kwargs))  # type: ignore[arg-type]


def _local(moment: datetime) -> str:
    return moment.astimezone(CHICAGO).strftime("%Y-%m-%d %H:%M:%S")


def test_android_12_hour_month_first(fixtures: Path) -> None:
    messages = list(read_whatsapp(fixtures / ANDROID, CHICAGO))
    got = [(m.line, _local(m.at), m.sender, m.text, m.kind) for m in messages]
    assert got == [
        (1, "2024-03-09 08:58:00", "", got[0][3], LineKind.SYSTEM),
        (2, "2024-03-09 09:05:00", "Sam Seller", got[1][3], LineKind.TEXT),
        (
            3,
            "2024-03-09 09:41:00",
            "Dana Fictional",
            "Yes! Thursday works.\nCan we make it 3pm?\nBring the pricing sheet.",
            LineKind.TEXT,
        ),
        (6, "2024-03-09 09:42:00", "Dana Fictional", "", LineKind.MEDIA),
        (7, "2024-03-09 09:43:00", "Dana Fictional", "This message was deleted", LineKind.DELETED),
        (8, "2024-03-13 12:15:00", "Sam Seller", "3pm it is", LineKind.TEXT),
        (9, "2024-03-13 12:20:00", "Sam Seller", "You deleted this message", LineKind.DELETED),
        (10, "2024-03-14 23:59:00", "Dana Fictional", "See you tomorrow: room 4B", LineKind.TEXT),
    ]
    assert got[0][3].startswith("Messages and calls are end-to-end encrypted")
    assert all(m.chat_name == "Dana Fictional" and not m.is_group for m in messages)
    assert [m.is_system for m in messages] == [True, False, False, False, True, False, True, False]
    assert messages[1].at == datetime(2024, 3, 9, 15, 5, tzinfo=UTC)


def test_ios_zip_24_hour_day_first_group(fixtures: Path) -> None:
    messages = list(read_whatsapp(fixtures / IOS_ZIP, CHICAGO))
    got = [(m.line, _local(m.at), m.sender, m.kind) for m in messages]
    assert got == [
        (1, "2024-03-30 21:05:07", "", LineKind.SYSTEM),
        (2, "2024-03-30 21:05:07", "", LineKind.SYSTEM),
        (3, "2024-03-30 21:05:08", "", LineKind.SYSTEM),
        (4, "2024-03-30 21:06:00", "Sam Seller", LineKind.TEXT),
        (7, "2024-03-31 08:15:42", "Dana Fictional", LineKind.TEXT),
        (8, "2024-03-31 08:16:03", "Dana Fictional", LineKind.MEDIA),
        (9, "2024-03-31 08:16:30", "+1 (312) 555-0142", LineKind.MEDIA),
        (10, "2024-03-31 08:17:01", "+1 (312) 555-0142", LineKind.TEXT),
        (11, "2024-03-31 09:00:00", "Dana Fictional", LineKind.CALL),
        (12, "2024-03-31 09:01:10", "Dana Fictional", LineKind.DELETED),
        (13, "2024-04-13 17:45:00", "Sam Seller", LineKind.TEXT),
    ]
    assert messages[2].text == "Sam Seller added Dana Fictional"
    assert messages[3].text == "Welcome both! Agenda for Monday:\n1. pricing\n2. rollout dates"
    assert messages[-1].text == "Signed! 🎉"
    assert all(m.chat_name == "Deal Team" and m.is_group for m in messages)
    assert "\u200e" not in "".join(m.text + m.sender for m in messages)


def test_an_android_zip_holding_the_named_txt(fixtures: Path, tmp_path: Path) -> None:
    archive = tmp_path / "WhatsApp Chat with Dana Fictional.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(fixtures / ANDROID, "WhatsApp Chat with Dana Fictional.txt")
        zipped.writestr("IMG-20240309-WA0001.jpg", b"\xff\xd8" + bytes(32))
    messages = list(read_whatsapp(archive, CHICAGO))
    assert len(messages) == 8 and messages[0].chat_name == "Dana Fictional"
    empty = tmp_path / "photos.zip"
    with zipfile.ZipFile(empty, "w") as zipped:
        zipped.writestr("IMG-1.jpg", b"\xff\xd8")
    with pytest.raises(UsageError, match=r"no chat \.txt files"):
        list(read_whatsapp(empty, CHICAGO))


def test_ambiguous_dates_follow_the_argument_then_the_chat_order() -> None:
    text = "1/2/24, 10:00 - Dana: a\n1/3/24, 10:00 - Sam: b\n"
    day_first = _chat(text, day_first=True)
    assert [_local(m.at)[:10] for m in day_first] == ["2024-02-01", "2024-03-01"]
    month_first = _chat(text, day_first=False)
    assert [_local(m.at)[:10] for m in month_first] == ["2024-01-02", "2024-01-03"]
    # No argument: dates that only run forward one way decide it.
    backwards_if_day_first = "5/2/24, 10:00 - Dana: a\n6/1/24, 10:00 - Sam: b\n"
    assert [_local(m.at)[:10] for m in _chat(backwards_if_day_first)] == [
        "2024-05-02",
        "2024-06-01",
    ]
    # Nothing to go on: a 24-hour clock is day-first, a 12-hour one month-first.
    assert _local(_chat("1/2/24, 10:00 - Dana: a\n")[0].at)[:10] == "2024-02-01"
    assert _local(_chat("1/2/24, 10:00 AM - Dana: a\n")[0].at)[:10] == "2024-01-02"
    # Evidence beats the argument.
    assert _local(_chat("13/2/24, 10:00 - Dana: a\n", day_first=False)[0].at)[:10] == "2024-02-13"


def test_clocks_and_locales() -> None:
    text = (
        "12/11/26, 10:04 - Dana Fictional: 24-hour\n"
        "[12/11/26, 10:04:33 PM] Dana Fictional: iOS, 12-hour\n"
        "12/11/26, 3:22_AM - Dana Fictional: corrupted\n"
        "12/11/26, 9:05 p. m. - Dana Fictional: spanish\n"
        "12.11.26, 21:05 - Dana Fictional: dots\n"
        "2026-11-12, 21:06 - Dana Fictional: year first\n"
    )
    times = [_local(m.at)[11:16] for m in _chat(text, day_first=False)]
    assert times == ["10:04", "22:04", "03:22", "21:05", "21:05", "21:06"]


def test_a_year_first_date_is_no_evidence_for_the_others() -> None:
    text = "2026-11-12, 21:06 - Dana: year first\n01-02-26, 10:00 - Dana: ambiguous\n"
    dates = [_local(m.at)[:10] for m in _chat(text, day_first=False)]
    assert dates == ["2026-11-12", "2026-01-02"]


def test_a_locale_change_mid_chat_keeps_each_layout_in_its_order() -> None:
    text = (
        "12/31/23, 9:05 PM - Dana: before\n"
        "01/02/2024, 21:05 - Dana: after\n"
        "31/01/2024, 08:00 - Sam: x\n"
    )
    dates = [_local(m.at)[:10] for m in _chat(text)]
    assert dates == ["2023-12-31", "2024-02-01", "2024-01-31"]


def test_groups_are_told_by_senders_or_system_lines() -> None:
    three = "1/2/24, 10:00 - Dana: a\n1/2/24, 10:01 - Sam: b\n1/2/24, 10:02 - Lee: c\n"
    assert all(m.is_group for m in _chat(three))
    one_to_one = (
        "1/2/24, 10:00 - Your security code with Dana changed. Tap to learn more.\n"
        "1/2/24, 10:01 - Dana: hi\n1/2/24, 10:02 - Sam: hello\n"
    )
    assert not any(m.is_group for m in _chat(one_to_one))
    left = "1/2/24, 10:00 - Dana: a\n1/2/24, 10:01 - Lee left\n"
    assert all(m.is_group for m in _chat(left))
    subject = '1/2/24, 10:00 - Sam changed the subject from "Deal" to "Deal: Q3"\n'
    (line,) = _chat(subject)
    assert line.kind is LineKind.SYSTEM and line.sender == "" and line.is_group


def test_media_with_a_caption_keeps_the_caption() -> None:
    text = "1/2/24, 10:00 - Dana: IMG-20240102-WA0001.jpg (file attached)\nLook at this\n"
    (message,) = _chat(text)
    assert message.kind is LineKind.MEDIA and message.text == "Look at this"


def test_unreadable_dates_are_skipped_and_strangers_refused(tmp_path: Path) -> None:
    items = _chat("31/02/24, 10:00 - Dana: no such day\n1/3/24, 10:00 - Dana: fine\n")
    assert items[0] == Skipped(1, "unreadable date")
    assert isinstance(items[1], ChatMessage)
    with pytest.raises(UsageError, match=r"chat\.txt:1: not a WhatsApp chat export"):
        _chat("Name,Phone\nDana,555\n", name="chat.txt")
    with pytest.raises(UsageError, match=r"chat\.txt: an empty chat"):
        _chat("\n\n", name="chat.txt")


def test_bom_and_leading_marks_are_ignored() -> None:
    (message,) = _chat("\ufeff\u200e1/2/24, 10:00\u202fAM - Dana: hi\n")
    assert message.text == "hi" and message.sender == "Dana"


def test_chat_names_from_file_names() -> None:
    assert chat_name_of("WhatsApp Chat with Dana Fictional.txt") == "Dana Fictional"
    assert chat_name_of("WhatsApp Chat with Dana Fictional (1).txt") == "Dana Fictional"
    assert chat_name_of("WhatsApp Chat - +1 312 555 0142.zip") == "+1 312 555 0142"
    assert chat_name_of("WhatsApp-Chat mit Renée.txt") == "Renée"
    assert chat_name_of("deal notes.txt") == "deal notes"
    assert _chat("1/2/24, 10:00 - Dana: hi\n", chat_name="Override")[0].chat_name == "Override"


def test_detection_helper(fixtures: Path) -> None:
    assert looks_like_whatsapp((fixtures / ANDROID).read_text(encoding="utf-8"))
    assert not looks_like_whatsapp("First Name,Last Name\n")
    assert not looks_like_whatsapp("May 17, 2022  5:29:42 PM\n+13125550142\nhi\n")


def test_progress_reaches_the_end(fixtures: Path) -> None:
    calls: list[tuple[int, int]] = []
    list(read_whatsapp(fixtures / ANDROID, CHICAGO, progress=lambda d, t: calls.append((d, t))))
    assert calls[-1] == (10, 10)


def test_a_utf8_chat_with_a_windows_1252_line_is_repaired_and_named(
    tracker: Tracker, tmp_path: Path
) -> None:
    tracker.add_contact({"name": "José García", "phone": "+13125550142"})
    chat = tmp_path / "WhatsApp Chat with José García.txt"
    chat.write_bytes(
        "3/9/24, 9:05 AM - José García: ¿Mañana?\n".encode()
        + "3/9/24, 9:06 AM - Sam Seller: S\xed, ma\xf1ana\n".encode("cp1252")
    )
    summary = do_import(tracker, chat, me_values=("Sam Seller",))
    assert summary.touches_added == 2
    assert "lines repaired from Windows-1252: 2" in summary.lines()
    texts = [t.text for t in tracker.touches(1)]
    assert sorted(texts) == ["S\xed, ma\xf1ana", "¿Mañana?"]
