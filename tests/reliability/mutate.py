"""Mutation fuzzing of the importers: the fixture files, changed a few bytes at a time in the
ways files really break (a byte flipped, a span cut or doubled, a quote, a NUL, an escape
sequence or a surrogate reference dropped in, the end cut off), then imported.

Each mutant must end in a clean import (the file is still valid) or one clear line with
exit 2 and the database byte-for-byte unchanged. The pytest run draws the mutations with
hypothesis; ``benchmarks/soak.py`` draws them with ``random`` for as long as it is asked.
"""

from __future__ import annotations

import io
import random
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from tests.reliability import dbcheck
from tests.reliability.clirun import clean_error, run, success

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
KINDS = ("flip", "insert", "delete", "duplicate", "truncate", "replace")
TOKENS = (
    b'"',
    b",",
    b"\r\n",
    b"\n",
    b"\r",
    b"\x00",
    b"<",
    b">",
    b"&",
    b"&#55357;",
    b"&#",
    b";",
    b"\\",
    b"=",
    b"=00",
    b"\xff",
    b"\x81",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\x1b[31m",
    b"\xe2\x80\xae",
    b"BEGIN:VCARD\r\n",
    b"END:VCARD\r\n",
    b"PK\x03\x04",
    b"99999999999999999",
    b"-1",
    b"0999",
    b"2199",
    b"Feb 30",
    b"null",
    b"STOP",
    b"<sms ",
    b"/>",
    b"]]>",
    b"<!--",
    b"Connected On",
    b"OUTGOING",
    b"https://www.linkedin.com/in/",
    b"+1312555",
    b"encoding='UTF-88'",
    b"encoding='shift_jis'",
    b"CHARSET=rot13",
    b"[",
    b"]",
)


@dataclass(frozen=True)
class Op:
    """One change to a file: where (a fraction of its length), what and how much."""

    kind: str
    position: float
    length: int
    token: bytes
    byte: int

    def apply(self, data: bytes) -> bytes:
        at = min(int(self.position * len(data)), len(data))
        end = min(at + self.length, len(data))
        if self.kind == "flip" and at < len(data):
            return data[:at] + bytes([data[at] ^ self.byte]) + data[at + 1 :]
        if self.kind == "insert":
            return data[:at] + self.token + data[at:]
        if self.kind == "delete":
            return data[:at] + data[end:]
        if self.kind == "duplicate":
            return data[:end] + data[at:end] + data[end:]
        if self.kind == "truncate":
            return data[:at]
        if self.kind == "replace":
            return data[:at] + self.token + data[end:]
        return data


def random_op(rng: random.Random) -> Op:
    return Op(
        rng.choice(KINDS), rng.random(), rng.randint(1, 64), rng.choice(TOKENS), rng.randint(1, 255)
    )


@dataclass(frozen=True)
class Seed:
    """A fixture file to mutate: its bytes, the name it must keep (chat files are named
    after their handles) and the import command that reads it."""

    label: str
    name: str
    kind: str
    data: bytes


def _export_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted((FIXTURES / "linkedin/export").iterdir()):
            archive.write(path, f"Basic_LinkedInDataExport/{path.name}")
    return buffer.getvalue()


def seeds() -> list[Seed]:
    """Every import fixture, plus the LinkedIn export as a zip."""
    kinds = {"linkedin": "linkedin", "sms": "sms", "imessage": "sms", "contacts": "contacts"}
    found = [
        Seed(str(path.relative_to(FIXTURES)), path.name, kinds[folder], path.read_bytes())
        for folder in kinds
        for path in sorted((FIXTURES / folder).rglob("*"))
        if path.is_file()
    ]
    found.append(Seed("linkedin/export.zip", "export.zip", "linkedin", _export_zip()))
    return found


def check_mutant(workdir: Path, template: Path, seed: Seed, data: bytes, create: bool) -> str:
    """Import ``data`` (named like ``seed``) into a copy of ``template``; ``ok`` or
    ``error``. Any other ending raises ``AssertionError`` describing it."""
    db = workdir / "fuzz.db"
    if not db.exists():
        dbcheck.restore(template, db)
    target = workdir / "input" / seed.name
    if target.parent.exists():
        shutil.rmtree(target.parent)
    target.parent.mkdir(parents=True)
    target.write_bytes(data)
    before = dbcheck.file_bytes(db)
    rows = dbcheck.counts(db)
    args = ["import", seed.kind, str(target)]
    if create and seed.kind != "contacts":  # contacts are always created
        args.append("--create-contacts")
    result = run(db, *args)
    if result.code == 0:
        success(result)
        assert dbcheck.integrity(db) == "ok"
        assert dbcheck.lost_rows(rows, dbcheck.counts(db)) == 0
        db.unlink()  # the next mutant starts from the template again
        dbcheck.remove_sidecars(db)
        return "ok"
    clean_error(result, 2)
    assert dbcheck.file_bytes(db) == before, "a refused import changed the database"
    return "error"
