"""Crash safety: ``kill -9`` imports at random moments, at least 50 times a run. After every
kill the database passes ``PRAGMA integrity_check`` and holds all of that file or none of it
(compared with a clean import of the same file, row by row)."""

from __future__ import annotations

from pathlib import Path

from tests.reliability.conftest import needs_fork
from tests.reliability.crash import ForkServer, crash_run, kill_then_rerun, prepare_jobs
from tests.reliability.figures import Figures

KILLS = 50


@needs_fork
def test_kill_nine_during_imports(tmp_path: Path, figures: Figures, seed: int) -> None:
    jobs = prepare_jobs(tmp_path)
    assert all(job.seconds > 0.2 for job in jobs), [job.seconds for job in jobs]
    outcomes = crash_run(tmp_path, jobs, KILLS, seed, 50.0, figures.area("crash safety"))
    killed = [o for o in outcomes if o.killed]
    assert len(killed) >= KILLS, f"only {len(killed)} kills landed in time"
    assert [o.integrity for o in outcomes if o.integrity != "ok"] == []
    assert [o for o in outcomes if o.held == "partial"] == []
    assert sum(o.lost for o in outcomes) == 0
    assert any(o.held == "none" for o in killed)

    # After a kill, the same import runs to the end and leaves exactly the clean result.
    server = ForkServer()
    try:
        for job in jobs:
            assert kill_then_rerun(server, tmp_path, job) == job.clean_digest
    finally:
        server.close()
