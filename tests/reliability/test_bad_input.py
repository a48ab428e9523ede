"""Bad input: every file of the broken corpus (``tests/fixtures/broken/cases.toml``) ends in
one clear line and exit 2 with the database byte-for-byte unchanged, or, for a file that is
odd but valid (a date in 2099 or 1969, a huge field), in a clean import the rest of the CLI
can then read.

Dates (FORMATS.md: an unparseable date in a required column is fatal): a date that parses
is kept as written from 1900 to 2199, in the past or the future; outside those years it is
damage and refused like an unparseable one. The same bounds apply to dates typed on the
command line.
"""

from __future__ import annotations

import shutil
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.reliability import dbcheck
from tests.reliability.clirun import UNSAFE_FOR_TERMINAL, clean_error, run, success
from tests.reliability.figures import Figures

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
BROKEN = FIXTURES / "broken"
CASES: list[dict[str, Any]] = tomllib.loads((BROKEN / "cases.toml").read_text("utf-8"))["case"]


def import_and_judge(db: Path, case: dict[str, Any], path: Path) -> str:
    """Import ``path`` as ``case`` says and check the outcome; the error message, or ``""``."""
    before = dbcheck.file_bytes(db)
    result = run(db, "import", case["kind"], str(path), *case.get("args", []))
    if case["expect"] == "error":
        message = clean_error(result, 2)
        assert message.startswith(str(path)), message
        assert case["message"] in message, message
        assert dbcheck.file_bytes(db) == before, "a refused import changed the database"
        return message
    success(result)
    assert dbcheck.integrity(db) == "ok"
    return ""


@pytest.mark.parametrize("case", CASES, ids=[c["path"] for c in CASES])
def test_broken_file(case: dict[str, Any], seeded_db: Path, figures: Figures) -> None:
    area = figures.area("bad input")
    rows = dbcheck.counts(seeded_db)
    import_and_judge(seeded_db, case, BROKEN / case["path"])
    area.add(cases=1, faults=1, rows_lost=dbcheck.lost_rows(rows, dbcheck.counts(seeded_db)))
    area.count("corpus files")
    if case["expect"] == "ok":
        # What an odd-but-valid file left must not break any reader of the data.
        for args in (
            ["review"],
            ["review", "--format", "json"],
            ["list"],
            ["stats"],
            ["export", "touches"],
            ["export", "contacts"],
        ):
            success(run(seeded_db, *args))
        with dbcheck.connect(seeded_db) as conn:
            ids = [r[0] for r in conn.execute("SELECT id FROM contacts")]
        for contact_id in ids:
            success(run(seeded_db, "show", str(contact_id)))


def test_corpus_covers_every_importer_and_fault() -> None:
    paths = " ".join(c["path"] for c in CASES)
    for importer in ("linkedin/", "sms/", "imessage/", "contacts/"):
        assert importer in paths
    for fault in (
        "truncated",
        "wrong-encoding",
        "binary",
        "huge",
        "nul",
        "missing",
        "future",
        "before-1970",
        "bomb",
    ):
        assert fault in paths, fault
    assert {c["expect"] for c in CASES} == {"error", "ok"}


@pytest.mark.parametrize(("size", "expect"), [(8 << 20, "ok"), (17 << 20, "error")])
def test_huge_single_field(
    size: int, expect: str, seeded_db: Path, tmp_path: Path, figures: Figures
) -> None:
    """A cell of 8 MiB is stored whole; one past the CSV reader's 16 MiB limit is refused."""
    path = tmp_path / "huge.csv"
    path.write_text("Name,Notes\r\nDana Huge," + "h" * size + "\r\n", encoding="utf-8")
    case = {"kind": "contacts", "expect": expect, "message": "field larger than field limit"}
    import_and_judge(seeded_db, case, path)
    figures.area("bad input").add(cases=1, faults=1)
    if expect == "ok":
        with dbcheck.connect(seeded_db) as conn:
            notes = conn.execute("SELECT notes FROM contacts WHERE name = 'Dana Huge'").fetchone()
        assert len(notes[0]) == size


def test_zip_bombs_are_refused_before_they_are_inflated(
    seeded_db: Path, monkeypatch: pytest.MonkeyPatch, figures: Figures
) -> None:
    inflated: list[int] = []
    real_read = zipfile.ZipExtFile.read

    def counting_read(self: zipfile.ZipExtFile, n: int = -1) -> bytes:
        data = real_read(self, n)
        inflated.append(len(data))
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting_read)
    for name in ("zip-bomb-declared.zip", "zip-bomb-ratio.zip"):
        path = BROKEN / "linkedin" / name
        with zipfile.ZipFile(path) as archive:
            declared = sum(i.file_size for i in archive.infolist())
        assert declared >= 16 << 20 and declared > 250 * path.stat().st_size
        case = {"kind": "linkedin", "expect": "error", "message": ""}
        import_and_judge(seeded_db, case, path)
        figures.area("bad input").add(cases=1, faults=1)
    assert sum(inflated) == 0, f"inflated {sum(inflated)} bytes of a zip bomb"


@pytest.mark.parametrize("layout", ["linkedin", "imessage"])
def test_a_folder_imports_as_one_unit(
    layout: str, seeded_db: Path, tmp_path: Path, figures: Figures
) -> None:
    """One broken file among good ones: the folder is refused whole, nothing written."""
    folder = tmp_path / layout
    if layout == "linkedin":
        shutil.copytree(FIXTURES / "linkedin/export", folder)
        broken = BROKEN / "linkedin/unparseable-date/Connections.csv"
        (folder / "Connections.csv").write_bytes(broken.read_bytes())
        kind = "linkedin"
    else:
        shutil.copytree(FIXTURES / "imessage", folder)
        broken = BROKEN / "imessage/impossible-date/+13125550142.txt"
        (folder / "zz +13125550199.txt").write_bytes(broken.read_bytes())
        kind = "sms"
    before = dbcheck.file_bytes(seeded_db)
    message = clean_error(run(seeded_db, "import", kind, str(folder), "--create-contacts"))
    assert "unreadable" in message
    assert dbcheck.file_bytes(seeded_db) == before
    figures.area("bad input").add(cases=1, faults=1)


@pytest.mark.parametrize(
    "args",
    [
        ["log", "email", "1", "--at", "0999-01-01"],
        ["log", "email", "1", "--at", "9999-12-31T23:59"],
        ["log", "email", "1", "--at", "2026-02-30"],
        ["review", "--as-of", "9999-12-31"],
        ["follow-up", "1", "--on", "+99999999999d"],
        ["follow-up", "1", "--in", "99999999999"],
        ["snooze", "1", "keep_in_touch", "--until", "0001-01-01"],
        ["edit", "1", "--keep-in-touch", "1" + "0" * 30],
        ["show", "9" * 30],
        ["delete-touch", "9" * 30],
        ["list", "--limit", "9" * 30],
        ["close-review", "--done", "9" * 30],
        ["log", "carrier-pigeon", "1"],
        ["show", ""],
    ],
    ids=lambda a: " ".join(a)[:40],
)
def test_bad_values_on_the_command_line(args: list[str], seeded_db: Path, figures: Figures) -> None:
    before = dbcheck.file_bytes(seeded_db)
    clean_error(run(seeded_db, *args), 2)
    assert dbcheck.file_bytes(seeded_db) == before
    figures.area("bad input").add(cases=1, faults=1)


def test_dates_at_the_edges_of_the_accepted_years(seeded_db: Path, figures: Figures) -> None:
    for moment in ("1900-01-01", "1969-07-20T20:17", "2199-12-31T23:59"):
        # Only a meeting may be dated in the future (DOMAIN.md, "Scheduled meetings").
        success(run(seeded_db, "log", "meeting", "1", "--at", moment))
    for args in (
        ["show", "1"],
        ["review", "--as-of", "2199-12-31"],
        ["stats"],
        ["export", "touches"],
        ["review", "--as-of", "1900-01-01"],
    ):
        result = success(run(seeded_db, *args))
        assert not UNSAFE_FOR_TERMINAL.search(result.out)
    figures.area("bad input").add(cases=8)
