"""Reading untrusted files: encodings, CSV preambles and quoting, surrogate recovery."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.errors import UsageError
from tracker.importers.reading import decode, header_key, read_csv
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


def test_decode_refuses_utf16() -> None:
    with pytest.raises(UsageError, match="UTF-16"):
        decode("name\n".encode("utf-16"), "f.csv")


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
