"""Reading untrusted text files: encodings (UTF-8 with or without a BOM, UTF-16 with a
BOM, Windows-1252, a UTF-8 file with a few Windows-1252 lines repaired), CSV with an
optional preamble before its header and a comma, semicolon or tab between fields, and line
numbers for every record so an error can point at it (FORMATS.md, "Reading any of them")."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tracker.importers.common import fail, line_of

MAX_PREAMBLE_RECORDS = 12
MAX_MEMBER_BYTES = 1 << 30
"""No file of a real LinkedIn export comes near this once unzipped."""
MAX_RATIO = 100
"""Text deflates 3 to 10 to 1; a zip bomb, hundreds or a thousand to 1."""
MIN_RATIO_CHECK = 1 << 20
"""Members smaller than this unzipped are not judged by their ratio."""
csv.field_size_limit(16 * 1024 * 1024)


@dataclass(frozen=True)
class Decoded:
    """A file's text and how it was read."""

    text: str
    encoding: str
    """``utf-8``, ``utf-16`` or ``windows-1252``."""
    repaired_lines: tuple[int, ...] = ()
    """Lines of a UTF-8 file that were not UTF-8 and were read as Windows-1252 (1-based),
    for the summary to name."""


def decode_text(data: bytes, name: str) -> Decoded:
    """Text from ``data`` (FORMATS.md, "Reading any of them"): UTF-8 (BOM optional);
    UTF-16 with a BOM; Windows-1252 when the bytes are not UTF-8; and a UTF-8 file with a
    few lines that are not (a cp1252 ``é`` pasted into it) is read as UTF-8 with those
    lines decoded as Windows-1252 and named. NUL bytes outside UTF-16, or a byte that
    Windows-1252 does not define, mean a wrong encoding: refused, naming the line."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(_utf16(data, name), "utf-16")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    nul = data.find(b"\x00")
    if nul >= 0:
        fail(name, line_of(data, nul), "binary data (a NUL byte): not a text file")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    return _mixed(data, name)


def decode(data: bytes, name: str) -> str:
    """The text of ``data``, read as ``decode_text`` says."""
    return decode_text(data, name).text


def _utf16(data: bytes, name: str) -> str:
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError as exc:
        fail(name, None, f"broken UTF-16 text (at byte {exc.start:,}): a wrong encoding")
    nul = text.find("\x00")
    if nul >= 0:
        fail(name, text.count("\n", 0, nul) + 1, "binary data (a NUL character): not a text file")
    return text


def _mixed(data: bytes, name: str) -> Decoded:
    """Line by line: UTF-8 where a line is UTF-8, else Windows-1252. A line that is valid
    UTF-8 beyond ASCII is the mark of a UTF-8 file (Windows-1252 text almost never
    spells a valid multi-byte sequence: an accented letter is followed by a letter, not
    by one of the symbols 0x80-0xBF), so one such line makes the file UTF-8 with the
    other lines repaired and named. With none, it is a Windows-1252 file."""
    lines = data.split(b"\n")
    texts: list[str] = []
    repaired: list[int] = []
    utf8_lines = 0
    for number, raw in enumerate(lines, start=1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            texts.append(_cp1252(raw, name, number))
            repaired.append(number)
            continue
        if not raw.isascii():
            utf8_lines += 1
        texts.append(text)
    if utf8_lines:
        return Decoded("\n".join(texts), "utf-8", tuple(repaired))
    return Decoded(_cp1252(data, name, None), "windows-1252")


def _cp1252(raw: bytes, name: str, line: int | None) -> str:
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        where = line if line is not None else line_of(raw, exc.start)
        fail(
            name,
            where,
            f"byte 0x{raw[exc.start]:02X} is neither UTF-8 nor Windows-1252: a wrong encoding",
        )


DELIMITERS = (",", ";", "\t")
"""Comma, or semicolon (Outlook and Excel in European locales), or tab; the first wins a tie."""
SNIFF_LINES = 40


def sniff_delimiter(text: str) -> str:
    """The field separator of the CSV ``text``: of ``DELIMITERS``, the one found most often
    outside quotes on the first line that has any (the header, after a preamble whose
    sentences are quoted); a comma when no line has one (a single column)."""
    in_quotes = False
    for line in itertools.islice(io.StringIO(text, newline=""), SNIFF_LINES):
        counts = dict.fromkeys(DELIMITERS, 0)
        if not in_quotes and '"' not in line:
            for delimiter in DELIMITERS:
                counts[delimiter] = line.count(delimiter)
        else:
            for char in line:
                if char == '"':
                    in_quotes = not in_quotes
                elif not in_quotes and char in counts:
                    counts[char] += 1
        best = max(DELIMITERS, key=lambda d: counts[d])
        if counts[best]:
            return best
    return ","


def header_key(column: str) -> str:
    """Columns are matched by name, whatever their case or surrounding spaces."""
    return " ".join(column.replace("\ufeff", "").split()).casefold()


@dataclass(frozen=True)
class CsvRecord:
    line: int
    """Where the record starts in the file (1-based)."""
    values: dict[str, str]
    """Cells by ``header_key`` of their column."""

    def get(self, *columns: str) -> str:
        """The first non-empty cell among ``columns`` (stripped, line breaks as ``\n``:
        a CRLF file keeps CR inside quoted multi-line cells), else ``""``."""
        values = self.values
        for column in columns:
            value = values.get(column)
            if value:
                value = value.strip()
                if value:
                    return (
                        value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value
                    )
        return ""


@dataclass
class CsvTable:
    name: str
    header: list[str]
    """Keys of the columns, in file order."""
    header_line: int
    records: list[CsvRecord]
    labels: list[str] = field(default_factory=list)
    """The columns as the file spells them."""
    delimiter: str = ","

    def has(self, *columns: str) -> bool:
        return all(c in self.header for c in columns)


def read_csv(
    text: str,
    name: str,
    is_header: Callable[[Sequence[str]], bool],
    expected: str,
    allow_preamble: bool = True,
    delimiter: str | None = None,
) -> CsvTable:
    """Parse ``text`` as CSV, skipping a preamble until ``is_header`` accepts a row of
    header keys; fields are separated by ``delimiter``, else the one ``sniff_delimiter``
    finds. Broken quoting, a missing header or a row wider than the header is fatal
    (``expected`` says what header was looked for)."""
    delimiter = delimiter or sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    labels: list[str] = []
    header_line = width = 0
    records: list[CsvRecord] = []
    seen = 0
    previous_end = 0
    rows: Iterator[list[str]] = iter(reader)
    while True:
        start = previous_end + 1
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            fail(name, start, f"broken CSV ({exc}); check the quoting")
        previous_end = reader.line_num
        if not row or (not row[0].strip() and all(not cell.strip() for cell in row)):
            continue
        if header is None:
            keys = [header_key(cell) for cell in row]
            if is_header(keys):
                header, header_line, width = keys, start, len(keys)
                labels = [cell.replace("\ufeff", "").strip() for cell in row]
                continue
            seen += 1
            if not allow_preamble or seen >= MAX_PREAMBLE_RECORDS:
                break
            continue
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
            fail(
                name,
                start,
                f"{len(row)} fields but the header has {len(header)}: broken quoting?",
            )
        if len(row) < width:
            row += [""] * (width - len(row))
        records.append(CsvRecord(start, dict(zip(header, row, strict=False))))
    if header is None:
        fail(name, 1, f"no header found: expected {expected}")
    return CsvTable(name, header, header_line, records, labels, delimiter)


def is_zip(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == b"PK\x03\x04"


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    """One member's bytes, refused before inflating when it is encrypted, larger than any
    real export file, or compressed far better than text ever is (a zip bomb)."""
    if info.flag_bits & 0x1:
        fail(name, None, "encrypted: export it again without a password")
    if info.file_size > MAX_MEMBER_BYTES:
        fail(name, None, f"too large ({info.file_size:,} bytes; the limit is 1 GiB)")
    if info.file_size > MAX_RATIO * max(info.compress_size, MIN_RATIO_CHECK // MAX_RATIO):
        ratio = info.file_size // max(info.compress_size, 1)
        fail(name, None, f"compressed {ratio:,} to 1, far beyond any real export: refused")
    with archive.open(info) as handle:
        data = handle.read(info.file_size + 1)
    if len(data) != info.file_size:
        fail(name, None, "damaged: its size does not match the zip's directory")
    return data


def gather(path: Path, wanted: Sequence[str], what: str) -> dict[str, tuple[str, bytes]]:
    """The files named ``wanted`` (any case) in a zip (any folder of it) or in a folder
    at ``path`` (itself only, never its sub-folders: ``~/Downloads`` may hold someone
    else's export): ``{wanted name: (display name, bytes)}``. None of them is fatal."""
    wanted_keys = {w.casefold(): w for w in wanted}
    found: dict[str, tuple[str, bytes]] = {}
    if path.is_dir():
        for child in sorted(path.iterdir()):
            key = child.name.casefold()
            if child.is_file() and key in wanted_keys and wanted_keys[key] not in found:
                found[wanted_keys[key]] = (str(child), child.read_bytes())
    else:
        try:
            with zipfile.ZipFile(path) as archive:
                for info in sorted(archive.infolist(), key=lambda i: i.filename):
                    key = info.filename.rsplit("/", 1)[-1].casefold()
                    if info.is_dir() or key not in wanted_keys:
                        continue
                    if wanted_keys[key] not in found:
                        name = f"{path}/{info.filename}"
                        found[wanted_keys[key]] = (name, _read_member(archive, info, name))
        except NotImplementedError:
            fail(str(path), None, "not a readable zip file (an unsupported compression method)")
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, zlib.error) as exc:
            fail(str(path), None, f"not a readable zip file ({exc})")
    if not found:
        fail(str(path), None, f"none of the expected files ({', '.join(wanted)}): not {what}")
    return found


def gather_members(path: Path, wanted: Callable[[str], bool], what: str) -> list[tuple[str, bytes]]:
    """The files of a folder (itself only, never its sub-folders) or of a zip (anywhere
    in it) whose names ``wanted`` accepts, in name order: ``(display name, bytes)``.
    None of them is fatal, naming ``what`` was expected."""
    found: list[tuple[str, bytes]] = []
    if path.is_dir():
        for child in sorted(path.iterdir()):
            if child.is_file() and not child.name.startswith(".") and wanted(child.name):
                found.append((str(child), child.read_bytes()))
    else:
        try:
            with zipfile.ZipFile(path) as archive:
                for info in sorted(archive.infolist(), key=lambda i: i.filename):
                    base = info.filename.rsplit("/", 1)[-1]
                    if info.is_dir() or base.startswith(("._", ".")) or not wanted(base):
                        continue
                    name = f"{path}/{info.filename}"
                    found.append((name, _read_member(archive, info, name)))
        except NotImplementedError:
            fail(str(path), None, "not a readable zip file (an unsupported compression method)")
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, zlib.error) as exc:
            fail(str(path), None, f"not a readable zip file ({exc})")
    if not found:
        fail(str(path), None, f"no {what} files here")
    return found


def sniff_layout(text: str, layouts: dict[str, Callable[[Sequence[str]], bool]]) -> str | None:
    """Which of ``layouts`` has its header among the first records of ``text``."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    try:
        for position, row in enumerate(reader):
            keys = [header_key(cell) for cell in row]
            for name, test in layouts.items():
                if keys and test(keys):
                    return name
            if position >= MAX_PREAMBLE_RECORDS:
                break
    except csv.Error:
        return None
    return None
