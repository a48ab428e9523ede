"""Two writers: the app open and two CLI processes logging 1,000 touches each at the same
time, and several processes creating the same new database at once. Nothing may fail with
"database is locked", and every write must land exactly once."""

from __future__ import annotations

from pathlib import Path

from tests.reliability.conftest import needs_fork
from tests.reliability.figures import Figures
from tests.reliability.writers import open_race, record, run_writers


@needs_fork
def test_app_and_two_cli_writers_at_once(tmp_path: Path, figures: Figures) -> None:
    result = run_writers(tmp_path, per_process=1000)
    record(result, figures.area("two writers"))
    assert result.failures == []
    assert result.locked == 0
    assert (result.landed, result.missing, result.duplicated) == (3000, 0, 0)
    assert result.reads >= 5000
    assert result.integrity == "ok"


@needs_fork
def test_processes_creating_one_new_database_at_once(tmp_path: Path, figures: Figures) -> None:
    result = open_race(tmp_path, rounds=25, racers=3)
    area = figures.area("two writers")
    area.add(cases=result.rounds * result.racers, rows_lost=result.contacts_missing)
    area.count("first-open races", result.rounds)
    assert result.failures == []
    assert result.contacts_missing == 0
    assert result.bad_files == []
