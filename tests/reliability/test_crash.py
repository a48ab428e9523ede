"""Crash safety: ``kill -9`` imports at random moments, at least 50 times a run, and inside
the import's write transaction for certain a few more times. After every kill the database
passes ``PRAGMA integrity_check`` and holds all of that file or none of it (compared with a
clean import of the same file, row by row); none of it whenever the kill came before the
import began its COMMIT."""

from __future__ import annotations

import random
from pathlib import Path

from tests.reliability.conftest import needs_fork
from tests.reliability.crash import (
    ForkServer,
    crash_run,
    kill_then_rerun,
    prepare_jobs,
    stop_kills,
)
from tests.reliability.figures import Figures

KILLS = 50
MIN_KILLS = 20
"""Kills that must land before ``BUDGET`` runs out (50 are aimed at)."""
BUDGET = 180.0
"""Seconds the random kills may take: on a loaded machine every import (and every check
of the file after a kill) is slower, and the kills stop there rather than run on."""
STOPS = 6
"""Kills per job at a chosen statement of its write transaction."""


@needs_fork
def test_kill_nine_during_imports(tmp_path: Path, figures: Figures, seed: int) -> None:
    jobs = prepare_jobs(tmp_path)
    # Each import writes in one transaction of many statements (its clean run reported
    # them): there is a middle of the write for kills to land in.
    assert all(job.statements > 100 for job in jobs), [job.statements for job in jobs]
    area = figures.area("crash safety")
    outcomes = crash_run(tmp_path, jobs, KILLS, seed, BUDGET, area)
    killed = [o for o in outcomes if o.killed]
    assert len(killed) >= MIN_KILLS, f"only {len(killed)} kills landed"
    assert [o.integrity for o in outcomes if o.integrity != "ok"] == []
    assert [o for o in outcomes if o.held == "partial"] == []
    assert sum(o.lost for o in outcomes) == 0
    assert any(o.held == "none" for o in killed)
    # The random kills landed mid-write (the imports' own marks say where each one was),
    # and a kill before the COMMIT began left none of the file.
    assert any(o.stage == "writing" for o in killed), [o.stage for o in killed]
    assert [o for o in killed if o.stage != "committing" and o.held != "none"] == []


@needs_fork
def test_kills_at_chosen_statements_and_reruns(tmp_path: Path, figures: Figures, seed: int):
    jobs = prepare_jobs(tmp_path)
    area = figures.area("crash safety")
    # Kills certainly mid-write: each import stopped itself just before a statement of its
    # transaction (the first, the COMMIT, others at random) and was killed there.
    stops = stop_kills(tmp_path, jobs, STOPS, random.Random(seed), area)
    assert len(stops) == STOPS * len(jobs)
    assert [o for o in stops if not (o.killed and o.stopped and o.stage == "writing")] == []
    assert [o for o in stops if o.integrity != "ok" or o.held != "none" or o.lost] == []

    # After a kill half-way through the transaction, the same import runs to the end and
    # leaves exactly the clean result.
    server = ForkServer()
    try:
        for job in jobs:
            assert kill_then_rerun(server, tmp_path, job) == job.clean_digest
    finally:
        server.close()
