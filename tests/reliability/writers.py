"""Two writers and the app: three processes writing to one database at the same instant.

The app process holds one Store open the whole time, as the app does, reading (the review,
a page of contacts, a timeline) between the touches it logs. Two CLI processes each run
``outreach log`` in-process, over and over, a fresh Store each time, as a shell loop of
real commands would. Every touch carries a unique text, so afterwards the database must
hold each one exactly once, and no process may have met "database is locked".
"""

from __future__ import annotations

import json
import select
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.reliability import dbcheck
from tests.reliability.figures import Area
from tracker.service import Tracker
from tracker.store.migrations import KNOWN

WORKER = Path(__file__).resolve().with_name("worker.py")


@dataclass
class WritersResult:
    expected: int
    landed: int
    missing: int
    duplicated: int
    failures: list[str] = field(default_factory=list)
    locked: int = 0
    reads: int = 0
    seconds: float = 0.0
    integrity: str = ""


def seed(db: Path, contacts: int) -> None:
    from tests.reliability.generate import settings

    tracker = Tracker.open(db, settings())
    try:
        for i in range(contacts):
            tracker.add_contact({"name": f"Writer Target{i}"})
    finally:
        tracker.close()


def _start(args: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_ready(proc: subprocess.Popen[str], timeout: float) -> None:
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    if not ready or proc.stdout.readline().strip() != "ready":
        proc.kill()
        _, err = proc.communicate()
        raise RuntimeError(f"writer did not start: {err.strip()[-500:]}")


def run_writers(
    workdir: Path, per_process: int, contacts: int = 60, timeout: float = 240.0
) -> WritersResult:
    """The app and two CLI processes, ``per_process`` touches each, started together."""
    db = workdir / "writers.db"
    dbcheck.remove_sidecars(db)
    db.unlink(missing_ok=True)
    seed(db, contacts)
    roles = {
        "app": ["app", str(db), str(per_process), "1", str(contacts)],
        "cli1": ["log-many", str(db), str(per_process), "1", str(contacts), "cli1"],
        "cli2": ["log-many", str(db), str(per_process), "1", str(contacts), "cli2"],
    }
    procs = {name: _start(args) for name, args in roles.items()}
    try:
        for proc in procs.values():
            _wait_ready(proc, 60.0)
        started = time.perf_counter()
        for proc in procs.values():
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        outputs = {}
        deadline = time.monotonic() + timeout
        for name, proc in procs.items():
            out, err = proc.communicate(timeout=max(deadline - time.monotonic(), 1.0))
            if proc.returncode != 0:
                raise RuntimeError(f"{name} exited {proc.returncode}: {err.strip()[-800:]}")
            outputs[name] = (json.loads(out.strip().splitlines()[-1]), err)
        seconds = time.perf_counter() - started
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    expected = {f"{tag}-{n:05d}" for tag in ("app", "cli1", "cli2") for n in range(per_process)}
    with dbcheck.connect(db) as conn:
        texts = [r[0] for r in conn.execute("SELECT text FROM touches WHERE text IS NOT NULL")]
    failures = [f for summary, _ in outputs.values() for f in summary["failures"]]
    stderr_text = "".join(err for _, err in outputs.values())
    return WritersResult(
        expected=len(expected),
        landed=len(expected & set(texts)),
        missing=len(expected - set(texts)),
        duplicated=len(texts) - len(set(texts)),
        failures=failures,
        locked=sum("locked" in f or "busy" in f for f in failures) + stderr_text.count("locked"),
        reads=outputs["app"][0]["reads"],
        seconds=seconds,
        integrity=dbcheck.integrity(db),
    )


def record(result: WritersResult, area: Area) -> None:
    area.add(cases=result.expected, faults=0, rows_lost=result.missing)
    area.count("touches landed", result.landed)
    area.count("app reads", result.reads)
    area.count("locked errors", result.locked)
    area.details["seconds for the last 3,000"] = round(result.seconds, 1)


@dataclass
class RaceResult:
    rounds: int
    racers: int
    failures: list[str]
    contacts_missing: int
    bad_files: list[str]


def open_race(workdir: Path, rounds: int, racers: int = 3, timeout: float = 120.0) -> RaceResult:
    """``racers`` processes start on one brand-new database at the same instant, each
    adding a contact, ``rounds`` times: every one must succeed, the file created and
    migrated exactly once."""
    folder = workdir / "race"
    folder.mkdir()
    proc = subprocess.run(
        [sys.executable, str(WORKER), "open-race", str(folder), str(rounds), str(racers)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"open-race exited {proc.returncode}: {proc.stderr.strip()[-800:]}")
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    missing, bad = 0, []
    for round_number in range(rounds):
        db = folder / f"race{round_number}.db"
        with dbcheck.connect(db) as conn:
            contacts = conn.execute("SELECT count(*) FROM contacts").fetchone()[0]
            steps = conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
        missing += racers - contacts
        if dbcheck.integrity(db) != "ok" or steps != len(KNOWN):
            bad.append(db.name)
    return RaceResult(rounds, racers, summary["failures"], missing, bad)
