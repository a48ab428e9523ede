"""Storage faults: a full disk during an import and during a single log (a small tmpfs, and a
file-size limit where mounting is not allowed), an upgrade with no room for its backup, a
read-only database (read-only remount, immutable file, a user who may not write, plain
permissions), damaged pages, a file that is not a database, and a database from a newer
version. Each ends in one clear line and a non-zero exit, and what was saved before is
still there, unchanged."""

from __future__ import annotations

import os
import random
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.reliability import dbcheck, faults
from tests.reliability.clirun import Run, clean_error, run, success
from tests.reliability.crash import FORKS, IMPORT_TIMEOUT, ForkServer
from tests.reliability.figures import Area, Figures
from tests.reliability.generate import seed_database, write_linkedin_export

SCHEMAS = Path(__file__).resolve().parent.parent / "fixtures" / "schemas"
READS = (["list"], ["show", "1"], ["review"], ["stats"], ["export", "touches"], ["info"])
WRITES = (["log", "email", "2", "--text", "after the fault"], ["add", "Newly Added"])


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A LinkedIn export that needs more room than the small disks below have."""
    folder = tmp_path_factory.mktemp("export") / "linkedin"
    write_linkedin_export(folder, 2500)
    return folder


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with 120 contacts and their touches (some 40 pages)."""
    path = tmp_path_factory.mktemp("history") / "history.db"
    seed_database(path)
    return path


@pytest.fixture
def server() -> Iterator[ForkServer]:
    if not FORKS:
        pytest.skip("needs os.fork and os.waitid (Linux)")
    started = ForkServer()
    yield started
    started.close()


def unchanged(area: Area, before: dict[str, int], db: Path) -> None:
    """Record the case; every row saved before the fault is still there."""
    assert dbcheck.integrity(db) == "ok"
    lost = dbcheck.lost_rows(before, dbcheck.counts(db))
    area.add(cases=1, faults=1, rows_lost=lost)
    assert lost == 0


def forked(server: ForkServer, db: Path, args: list[str], output: Path, **request: object) -> Run:
    """``outreach --db DB ARGS`` in a forked child (with ``limits`` or ``env``)."""
    server.start(db, args, output, **request)  # type: ignore[arg-type]
    code = server.wait(IMPORT_TIMEOUT)
    assert code is not None
    text = output.read_text("utf-8", errors="replace")  # stdout and stderr, in order
    return Run(code, "" if code else text, text if code else "", None)


# -- a full disk -----------------------------------------------------------------------------
def test_full_tmpfs_during_an_import(
    tmp_path: Path, history: Path, export: Path, figures: Figures
) -> None:
    try:
        with faults.tmpfs(tmp_path / "disk", 640) as disk:
            db = faults.copy_private(history, disk / "outreach.db")
            before, rows = dbcheck.file_bytes(db), dbcheck.counts(db)
            message = clean_error(run(db, "import", "linkedin", str(export)), 2)
            assert "disk is full" in message
            assert dbcheck.file_bytes(db) == before
            unchanged(figures.area("storage faults"), rows, db)
            assert sorted(p.name for p in disk.iterdir()) == ["outreach.db"]
    except faults.Unavailable as exc:
        pytest.skip(str(exc))


def test_full_tmpfs_during_a_single_log(tmp_path: Path, history: Path, figures: Figures) -> None:
    try:
        with faults.tmpfs(tmp_path / "disk", 640) as disk:
            db = faults.copy_private(history, disk / "outreach.db")
            before, rows = dbcheck.file_bytes(db), dbcheck.counts(db)
            filler = faults.fill(disk)
            for args in WRITES:
                assert "full" in clean_error(run(db, *args), 2)
            filler.unlink()
            assert dbcheck.file_bytes(db) == before
            unchanged(figures.area("storage faults"), rows, db)
            success(run(db, *WRITES[0]))  # with room again, the same log works
    except faults.Unavailable as exc:
        pytest.skip(str(exc))


@pytest.mark.parametrize("what", ["import", "log"])
def test_file_size_limit_as_a_full_disk(
    what: str, tmp_path: Path, history: Path, export: Path, server: ForkServer, figures: Figures
) -> None:
    """Where mounting is not allowed: writes past RLIMIT_FSIZE fail as on a full disk."""
    db = faults.copy_private(history, tmp_path / "outreach.db")
    before, rows = dbcheck.file_bytes(db), dbcheck.counts(db)
    # The log's text alone outgrows the limit: a short one might fit in the frames left
    # past the shared-memory index (32 KiB), depending on how the pages happen to be filled.
    long_log = ["log", "email", "2", "--text", "after the fault " * 4000]
    args = ["import", "linkedin", str(export)] if what == "import" else long_log
    limit = db.stat().st_size + 64 * 1024 if what == "import" else 36 * 1024
    result = forked(server, db, args, tmp_path / "out", limits={"fsize": limit})
    message = clean_error(result, 2)
    assert "full or failing" in message
    assert dbcheck.file_bytes(db) == before
    unchanged(figures.area("storage faults"), rows, db)


def test_upgrade_with_no_room_for_its_backup(tmp_path: Path, figures: Figures) -> None:
    try:
        with faults.tmpfs(tmp_path / "disk", 256) as disk:
            db = faults.copy_private(SCHEMAS / "schema-m003.db", disk / "outreach.db")
            rows, content = dbcheck.counts(db), dbcheck.content_digest(db)
            filler = faults.fill(disk)
            # Room for the shared-memory index (32 KiB), none for a copy of the file.
            os.truncate(filler, max(filler.stat().st_size - 40 * 1024, 0))
            message = clean_error(run(db, "info"), 2)
            assert "cannot make a copy before upgrading" in message, message
            filler.unlink()
            assert dbcheck.content_digest(db) == content
            assert not [p.name for p in disk.iterdir() if p.suffix in (".bak", ".partial")]
            unchanged(figures.area("storage faults"), rows, db)
    except faults.Unavailable as exc:
        pytest.skip(str(exc))


# -- a read-only database --------------------------------------------------------------------
def check_read_only(db: Path, attempt: Callable[[list[str]], Run]) -> None:
    """While the file is read-only: every write is refused with the read-only message,
    reads work or say why not, and not a byte of the file changes."""
    before = dbcheck.file_bytes(db)
    for args in WRITES:
        message = clean_error(attempt(list(args)), 2)
        assert "read-only" in message, message
    for args in READS[:2]:
        result = attempt(list(args))
        if result.code:
            assert "read-only" in clean_error(result, 2)
    assert dbcheck.file_bytes(db) == before


def test_read_only_remount(tmp_path: Path, history: Path, figures: Figures) -> None:
    area = figures.area("storage faults")
    try:
        with faults.tmpfs(tmp_path / "disk", 1024) as disk:
            db = faults.copy_private(history, disk / "outreach.db")
            rows = dbcheck.counts(db)
            faults.remount(disk, "ro")
            try:
                check_read_only(db, lambda args: run(db, *args))
            finally:
                faults.remount(disk, "rw")
            unchanged(area, rows, db)
            area.count("read-only ways")
    except faults.Unavailable as exc:
        pytest.skip(str(exc))


def test_immutable_file(tmp_path: Path, history: Path, figures: Figures) -> None:
    area = figures.area("storage faults")
    db = faults.copy_private(history, tmp_path / "outreach.db")
    rows = dbcheck.counts(db)
    try:
        with faults.immutable(db):
            check_read_only(db, lambda args: run(db, *args))
    except faults.Unavailable as exc:
        pytest.skip(str(exc))
    unchanged(area, rows, db)
    area.count("read-only ways")


def test_a_user_who_may_not_write(history: Path, server: ForkServer, figures: Figures) -> None:
    try:
        uid, gid = faults.nobody()
    except faults.Unavailable as exc:
        pytest.skip(str(exc))
    area = figures.area("storage faults")
    # Somewhere that user can reach (the test's own temporary folders are root's only).
    folder = Path(tempfile.mkdtemp(prefix="outreach-ro-"))
    try:
        folder.chmod(0o755)
        db = folder / "outreach.db"
        shutil.copyfile(history, db)
        db.chmod(0o644)
        rows = dbcheck.counts(db)
        out = folder / "out"
        env = {"OUTREACH_HOME": str(folder)}

        def attempt(args: list[str]) -> Run:
            return forked(server, db, args, out, limits={"uid": uid, "gid": gid}, env=env)

        check_read_only(db, attempt)
        unchanged(area, rows, db)
        area.count("read-only ways")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_plain_permissions(tmp_path: Path, history: Path, figures: Figures) -> None:
    if os.geteuid() == 0:
        pytest.skip("as root, file permissions do not stop writes (see the tests above)")
    area = figures.area("storage faults")
    folder = tmp_path / "data"
    folder.mkdir()
    db = faults.copy_private(history, folder / "outreach.db")
    rows = dbcheck.counts(db)
    db.chmod(0o400)
    folder.chmod(0o500)
    try:
        check_read_only(db, lambda args: run(db, *args))
    finally:
        folder.chmod(0o700)
        db.chmod(0o600)
    unchanged(area, rows, db)
    area.count("read-only ways")


# -- a damaged file --------------------------------------------------------------------------
def every_command(db: Path, export: Path) -> list[tuple[list[str], Run]]:
    commands = [*READS, *WRITES, ["import", "linkedin", str(export)], ["review", "--why"]]
    return [(list(args), run(db, *args)) for args in commands]


def test_garbage_over_the_middle_pages(
    tmp_path: Path, history: Path, export: Path, figures: Figures, seed: int
) -> None:
    db = faults.copy_private(history, tmp_path / "outreach.db")
    count = faults.pages(db)
    first, last = count // 3, 2 * count // 3
    garbage = faults.damage(db, first, last, random.Random(seed))
    before = dbcheck.file_bytes(db)
    refused = 0
    for args, result in every_command(db, export):
        if result.code:
            refused += 1
            message = clean_error(result, 2)
            assert "damaged" in message or "malformed" in message, message
        if args[0] not in ("log", "add", "import"):
            assert dbcheck.file_bytes(db) == before, f"{args} changed a damaged file"
    assert refused > 0
    assert faults.region(db, first, last) == garbage, "the damaged pages were written over"
    area = figures.area("storage faults")
    area.add(cases=len(READS) + len(WRITES) + 2, faults=1)
    area.count("damaged files")


def test_each_page_damaged_in_turn(
    tmp_path: Path, history: Path, export: Path, figures: Figures, seed: int
) -> None:
    """Garbage over one page at a time, wherever it falls: never a traceback, and the
    garbage is never written over (what is left stays there to be recovered)."""
    rng = random.Random(seed)
    db = tmp_path / "outreach.db"
    commands = (["review"], ["export", "touches"], ["show", "30"], ["log", "sms", "3", "--in"])
    area = figures.area("storage faults")
    for page in range(1, faults.pages(history)):
        faults.copy_private(history, db)
        dbcheck.remove_sidecars(db)
        garbage = faults.damage(db, page, page, rng, zeros=page % 2 == 0)
        for args in commands:
            result = run(db, *args)
            if result.code:
                clean_error(result, 2)
            else:
                success(result)
        assert faults.region(db, page, page) == garbage, f"page {page} was written over"
        area.add(cases=len(commands), faults=1)
    area.count("pages damaged one by one", faults.pages(history) - 1)


@pytest.mark.parametrize("damage", ["header", "truncated", "text"])
def test_a_file_that_is_not_a_sound_database(
    damage: str, tmp_path: Path, history: Path, export: Path, figures: Figures
) -> None:
    db = faults.copy_private(history, tmp_path / "outreach.db")
    if damage == "header":
        faults.damage(db, 0, 0, random.Random(1))
    elif damage == "truncated":
        os.truncate(db, db.stat().st_size // 2)
    else:
        db.write_text("Dana Fictional, +1 312 555 0142\n" * 200, encoding="utf-8")
    before = dbcheck.file_bytes(db)
    for _, result in every_command(db, export):
        message = clean_error(result, 2)
        assert "damaged" in message or "not an Outreach Tracker database" in message, message
    assert dbcheck.file_bytes(db) == before
    figures.area("storage faults").add(cases=len(READS) + len(WRITES) + 2, faults=1)


# -- a newer version's database --------------------------------------------------------------
def test_a_database_from_a_newer_version(tmp_path: Path, export: Path, figures: Figures) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    db = faults.copy_private(SCHEMAS / "newer.db", folder / "outreach.db")
    before, rows = dbcheck.file_bytes(db), dbcheck.counts(db)
    for args, result in every_command(db, export):
        message = clean_error(result, 2)
        assert "newer version" in message and "m999_from_the_future" in message, (args, message)
    assert dbcheck.file_bytes(db) == before
    assert sorted(p.name for p in folder.iterdir()) == ["outreach.db"]
    unchanged(figures.area("storage faults"), rows, db)
