"""Reading untrusted files: encodings (UTF-16, repaired UTF-8 lines), CSV preambles, quoting
and delimiters, zip and folder members, surrogate recovery."""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.errors import UsageError
from tracker.importers.reading import (
    Decoded,
    decode,
    decode_text,
    gather_members,
    header_key,
    read_csv,
    sniff_delimiter,
    sniff_layout,
)
from tracker.importers.sms_android import recover_surrogates, recovered_chunks


def test_decode_strips_bom_and_keeps_utf8() -> None:
    assert decode("\ufeffJosé,Muñoz".encode(), "f.csv") == "José,Muñoz"


def test_decode_falls_back_to_windows_1252() -> None:
    assert decode("Renée “quoted” – dash".encode("cp1252"), "f.csv") == "Renée “quoted” – dash"


def test_decode_refuses_nul_bytes_naming_the_line() -> None:
    with pytest.raises(UsageError, match=r"^f\.csv:3: binary data"):
        decode(b"a,b\n1,2\n3,\x004\n", "f.csv")


def test_decode_refuses_bytes_windows_1252_does_not_define() -> None:
    # 0x81 is undefined in Windows-1252 and the bytes are not UTF-8 either.
    with pytest.raises(UsageError, match=r"^f\.csv:2: byte 0x81 .*wrong encoding"):
        decode(b"name\nJos\xe9 \x81\n", "f.csv")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_decode_reads_utf16_with_a_bom(codec: str) -> None:
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(codec, b"")
    data = bom + "Name,Note\r\nJosé,😀\r\n".encode(codec)
    decoded = decode_text(data, "f.csv")
    assert decoded.text == "Name,Note\r\nJosé,😀\r\n" and decoded.encoding == "utf-16"


def test_decode_refuses_broken_utf16_and_nul_characters() -> None:
    with pytest.raises(UsageError, match=r"^f\.csv: broken UTF-16"):
        decode(codecs.BOM_UTF16_LE + "ab".encode("utf-16-le") + b"\x00\xd8", "f.csv")
    with pytest.raises(UsageError, match=r"^f\.csv:2: binary data"):
        decode("a\nb\x00".encode("utf-16"), "f.csv")


def test_a_utf8_file_with_a_few_windows_1252_lines_is_repaired_line_by_line() -> None:
    data = "Name\nJosé García\nRenée\nZoë\n".encode() + "Müller\n".encode("cp1252")
    decoded = decode_text(data, "f.csv")
    assert decoded.text == "Name\nJosé García\nRenée\nZoë\nMüller\n"
    assert decoded.encoding == "utf-8" and decoded.repaired_lines == (5,)


def test_one_utf8_line_makes_a_utf8_file_whatever_the_count_of_damaged_lines() -> None:
    # Seen: a UTF-8 contacts file with one accented name and two pasted Windows-1252
    # lines was read whole as Windows-1252 ("JosÃ© GarcÃ­a").
    data = (
        b"Name,Note\n"
        + "Renée,caf\xe9\n".encode("cp1252")
        + "José García,ok\n".encode()
        + "Zoë,“quoted”\n".encode("cp1252")
    )
    decoded = decode_text(data, "f.csv")
    assert decoded.text == "Name,Note\nRenée,café\nJosé García,ok\nZoë,“quoted”\n"
    assert decoded.encoding == "utf-8" and decoded.repaired_lines == (2, 4)


def test_a_windows_1252_file_with_no_utf8_line_is_read_whole_as_windows_1252() -> None:
    data = "Name\nRenée\nMüller\n€ 5\n".encode("cp1252")
    decoded = decode_text(data, "f.csv")
    assert decoded.text == "Name\nRenée\nMüller\n€ 5\n"
    assert decoded.encoding == "windows-1252" and decoded.repaired_lines == ()


def test_double_encoded_text_in_a_windows_1252_file_is_read_back() -> None:
    # "Ã©" in Windows-1252 is the same bytes as UTF-8 "é": the line is valid UTF-8, so
    # it is read as such (José, the name it once was) and the others are repaired.
    data = "Name\nRenée\nMüller\nJosÃ©\n".encode("cp1252")
    decoded = decode_text(data, "f.csv")
    assert decoded.text == "Name\nRenée\nMüller\nJosé\n"
    assert decoded.encoding == "utf-8" and decoded.repaired_lines == (2, 3)


def test_a_plain_utf8_file_has_nothing_repaired() -> None:
    assert decode_text("Name\nJosé\n".encode(), "f.csv") == Decoded("Name\nJosé\n", "utf-8")


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("Name,Email\nDana,d@example.com\n", ","),
        ("First Name;Last Name;E-mail Address\nDana;Fictional;d@example.com\n", ";"),
        ('"First Name";"Last Name";"Company, Inc."\n"Dana";"F";"N, Inc."\n', ";"),
        ("Name\tPhone\nDana\t555\n", "\t"),
        ('Notes:\n"Some, quoted; sentence."\n\nFirst Name;Last Name\nDana;F\n', ";"),
        ("Name\nDana\n", ","),
        ("Name;Company, Inc.;Phone\nDana;N;555\n", ";"),
    ],
)
def test_the_delimiter_is_sniffed_from_the_header_line(text: str, delimiter: str) -> None:
    assert sniff_delimiter(text) == delimiter


def test_read_csv_reads_a_semicolon_file_and_says_so() -> None:
    text = '"First Name";"Last Name";"E-mail Address"\r\n"José";"García";"jose@example.com"\r\n'
    table = read_csv(text, "f.csv", lambda keys: "first name" in keys, "First Name")
    assert table.delimiter == ";"
    assert table.records[0].get("last name") == "García"
    assert sniff_layout(text, {"outlook": lambda keys: "e-mail address" in keys}) == "outlook"


def test_gather_members_reads_a_folder_one_level_deep_and_a_zip_anywhere(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    (folder / "deeper").mkdir(parents=True)
    (folder / "a.ics").write_bytes(b"A")
    (folder / ".hidden.ics").write_bytes(b"H")
    (folder / "deeper" / "b.ics").write_bytes(b"B")
    wanted = lambda name: name.endswith(".ics")  # noqa: E731
    assert gather_members(folder, wanted, ".ics") == [(str(folder / "a.ics"), b"A")]
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("Takeout/Calendar/b.ics", b"B")
        zipped.writestr("__MACOSX/Takeout/Calendar/._b.ics", b"junk")
    assert gather_members(archive, wanted, ".ics") == [(f"{archive}/Takeout/Calendar/b.ics", b"B")]
    with pytest.raises(UsageError, match=r"no \.txt files here"):
        gather_members(archive, lambda name: name.endswith(".txt"), ".txt")


def _is_header(keys: object) -> bool:
    return "name" in keys  # type: ignore[operator]


def test_read_csv_skips_a_preamble_and_numbers_lines() -> None:
    text = 'Notes:\n"A sentence, quoted."\n\nName,Note\r\nDana,"two\r\nlines"\r\nLee,x\r\n'
    table = read_csv(text, "f.csv", _is_header, "Name")
    assert table.header == ["name", "note"]
    assert table.header_line == 4
    assert [(r.line, r.get("name"), r.get("note")) for r in table.records] == [
        (5, "Dana", "two\nlines"),
        (7, "Lee", "x"),
    ]


def test_read_csv_without_the_header_is_fatal() -> None:
    with pytest.raises(UsageError, match=r"^f\.csv:1: no header found: expected Name"):
        read_csv("a,b\n1,2\n", "f.csv", _is_header, "Name", allow_preamble=False)


def test_read_csv_broken_quoting_names_the_record_line() -> None:
    text = 'Name,Note\nDana,ok\nLee,"bro"ken\nSky,ok\n'
    with pytest.raises(UsageError, match=r"^f\.csv:3: broken CSV"):
        read_csv(text, "f.csv", _is_header, "Name")


def test_read_csv_unterminated_quote_is_fatal() -> None:
    with pytest.raises(UsageError, match=r"^f\.csv:3: broken CSV"):
        read_csv('Name,Note\nDana,ok\nLee,"never closed\nSky,ok\n', "f.csv", _is_header, "Name")


def test_read_csv_row_wider_than_header_is_fatal_but_trailing_empties_are_not() -> None:
    table = read_csv("Name,Note\nDana,x,,\n", "f.csv", _is_header, "Name")
    assert table.records[0].get("name") == "Dana"
    with pytest.raises(UsageError, match=r"^f\.csv:2: 3 fields"):
        read_csv("Name,Note\nDana,x,y\n", "f.csv", _is_header, "Name")


def test_header_key_ignores_case_spaces_and_bom() -> None:
    assert header_key("\ufeff  CONVERSATION  ID ") == "conversation id"


def test_surrogate_pairs_become_the_real_character() -> None:
    assert recover_surrogates(b"hi &#55357;&#56832;!") == b"hi &#128512;!"
    assert recover_surrogates(b"&#xD83D;&#xDE00;") == b"&#128512;"
    # A lone surrogate cannot be recovered: it becomes U+FFFD instead of a fatal error.
    assert recover_surrogates(b"a&#55357;b") == b"a&#65533;b"
    assert recover_surrogates(b"&#56832;&#55357;") == b"&#65533;&#65533;"
    assert recover_surrogates(b"plain &#233; &amp;") == b"plain &#233; &amp;"


@given(
    pieces=st.lists(
        st.sampled_from([b"x", b"&amp;", b"&#55357;&#56832;", b"&#10;", b"&#xD83C;&#xDF55;"]),
        max_size=60,
    ),
    size=st.integers(min_value=1, max_value=40),
)
def test_chunk_boundaries_never_split_a_pair(pieces: list[bytes], size: int) -> None:
    data = b"".join(pieces)
    chunks = [chunk for chunk, _ in recovered_chunks(io.BytesIO(data), size)]
    assert b"".join(chunks) == recover_surrogates(data)
    assert b"&#65533;" not in b"".join(chunks)
