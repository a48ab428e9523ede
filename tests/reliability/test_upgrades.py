"""Upgrades: a database from every earlier schema step (``tests/fixtures/schemas``) opens,
is copied aside first (0600, holding the old rows), and migrates keeping every row; an
upgrade killed part-way leaves the old file or the new one, never a mixture."""

from __future__ import annotations

import random
import shutil
import stat
from pathlib import Path

import pytest

from tests.reliability import dbcheck
from tests.reliability.clirun import run, success
from tests.reliability.conftest import needs_fork
from tests.reliability.figures import Figures
from tests.reliability.upgrading import (
    EARLIER,
    MIN_KILLS,
    SCHEMAS,
    all_rows,
    big_old_database,
    kept,
    steps,
    upgrade_kills,
)
from tracker.store.migrations import KNOWN


def test_a_fixture_for_every_earlier_step() -> None:
    present = sorted(p.name for p in SCHEMAS.glob("schema-*.db"))
    assert present == sorted(EARLIER), "run tests/fixtures/schemas/make_schemas.py"


@pytest.mark.parametrize("fixture", EARLIER)
def test_upgrade_keeps_every_row_after_a_private_backup(
    fixture: str, tmp_path: Path, figures: Figures
) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    db = folder / "outreach.db"
    shutil.copyfile(SCHEMAS / fixture, db)
    old_steps = steps(db)
    old = all_rows(db)
    assert old_steps == KNOWN[: len(old_steps)] and len(old_steps) < len(KNOWN)
    assert sum(len(rows) for rows in old.values()) >= 20

    success(run(db, "info"))

    assert steps(db) == KNOWN
    lost = kept(old, db)
    figures.area("upgrades").add(cases=1, faults=0, rows_lost=lost)
    assert lost == 0
    with dbcheck.connect(db) as conn:
        contacts = conn.execute("SELECT count(*) FROM contacts").fetchone()[0]
        states = conn.execute("SELECT count(*) FROM contact_state WHERE stale = 0").fetchone()[0]
    assert states == contacts, "every contact's summary is filled in by the upgrade"
    backups = list(folder.glob(f"outreach.*.before-{KNOWN[len(old_steps)]}*.bak"))
    assert len(backups) == 1, sorted(p.name for p in folder.iterdir())
    backup = backups[0]
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert all_rows(backup) == old and steps(backup) == old_steps
    assert not list(folder.glob("*.partial"))
    for args in (["review", "--as-of", "2026-01-10"], ["show", "1"], ["list"], ["stats"]):
        success(run(db, *args))
    success(run(db, "info"))
    assert len(list(folder.glob("*.bak"))) == 1, "a current file is not copied again"


@needs_fork
def test_upgrade_killed_part_way(tmp_path: Path, figures: Figures, seed: int) -> None:
    base = tmp_path / "old.db"
    big_old_database(base)
    result = upgrade_kills(tmp_path, base, 6, random.Random(seed), figures.area("upgrades"))
    assert result.kills >= MIN_KILLS
