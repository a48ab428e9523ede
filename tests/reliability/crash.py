"""Crash safety: ``kill -9`` an ``outreach import`` at random moments and look at what is left.

A job is one import (a LinkedIn export folder, an SMS backup) into a copy of a seeded
database. It is run once to the end to learn its duration and what "all of it" looks like;
then, again and again, a fresh copy is imported into and the process is killed after a
random delay between 0 and a little more than that duration. After every kill the file
must pass ``PRAGMA integrity_check`` and hold exactly the seeded rows (none of the file) or
exactly what the clean import left (all of it).

Each import runs in a process forked from a server that has already loaded the CLI, so
the kills land in the import rather than in interpreter start-up; two lanes run side by
side, each with its own server and database.
"""

from __future__ import annotations

import json
import os
import random
import select
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.reliability import dbcheck
from tests.reliability.figures import Area
from tests.reliability.generate import seed_database, write_linkedin_export, write_sms_backup

WORKER = Path(__file__).resolve().with_name("worker.py")
FORKS = hasattr(os, "fork") and hasattr(os, "waitid")
"""The fork server needs ``fork`` and ``waitid`` (Linux): elsewhere its checks are skipped."""
START_TIMEOUT = 60.0
IMPORT_TIMEOUT = 300.0


@dataclass
class Job:
    """One import to interrupt, and what the database holds before it and after it."""

    label: str
    args: list[str]
    """The ``outreach`` arguments after ``--db DB``."""
    base: Path
    """The seeded database every attempt starts from."""
    base_digest: str = ""
    base_counts: dict[str, int] = field(default_factory=dict)
    clean_digest: str = ""
    clean_counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    """How long the import takes from the fork to its exit, alone on the machine."""


@dataclass
class Outcome:
    killed: bool
    held: str
    """``none``, ``all`` or ``partial``."""
    integrity: str
    lost: int


class ForkServer:
    """A ``worker.py forkserver`` process: each ``run`` is one forked ``outreach`` call."""

    def __init__(self) -> None:
        self.pid = 0
        self.running = False
        self._received = b""
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKER), "forkserver"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        if self._line(START_TIMEOUT) != "ready":
            self.close()
            raise RuntimeError("the fork server did not start")

    def _line(self, timeout: float) -> str | None:
        """The server's next line, or ``None`` if none comes within ``timeout``.

        Read with ``os.read`` into a buffer of our own: a buffered ``readline`` could take
        two lines off the pipe at once and leave ``select`` waiting for the second."""
        assert self.proc.stdout is not None
        pipe = self.proc.stdout.fileno()
        deadline = time.monotonic() + max(timeout, 0.0)
        while b"\n" not in self._received:
            ready, _, _ = select.select([pipe], [], [], max(deadline - time.monotonic(), 0.0))
            if not ready:
                return None
            chunk = os.read(pipe, 65536)
            if not chunk:
                return ""  # the server is gone
            self._received += chunk
        line, self._received = self._received.split(b"\n", 1)
        return line.decode("utf-8", "replace").strip()

    def start(
        self,
        db: Path,
        args: list[str],
        output: Path,
        limits: dict[str, int] | None = None,
        env: dict[str, str] | None = None,
    ) -> int:
        """Fork ``outreach --db DB ARGS`` (its output to ``output``, under ``limits``, with
        ``env`` added to its environment); returns its pid."""
        run = {
            "args": ["--db", str(db), *args],
            "output": str(output),
            "limits": limits or {},
            "env": env or {},
        }
        self._send({"run": run})
        line = self._line(START_TIMEOUT) or ""
        if not line.startswith("pid "):
            raise RuntimeError(f"the fork server answered {line!r}")
        self.pid = int(line.split()[1])
        self.running = True
        return self.pid

    def _send(self, request: dict[str, object]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(request).encode() + b"\n")
        self.proc.stdin.flush()

    def _finish(self, kill: bool) -> int:
        """Kill the child if asked (the server does it: the pid is still its own), reap it
        and return its exit code (``-9`` when the kill landed)."""
        self._send({"kill": kill})
        while True:
            line = self._line(IMPORT_TIMEOUT) or ""
            if line.startswith("exit "):
                self.running = False
                return int(line.split()[2])
            if not line.startswith("exited "):
                raise RuntimeError(f"the fork server answered {line!r}")

    def wait(self, timeout: float) -> int | None:
        """The child's exit code, or ``None`` if it is still running after ``timeout``."""
        line = self._line(timeout)
        if line is None:
            return None
        if not line.startswith("exited "):
            raise RuntimeError(f"the fork server answered {line!r}")
        return self._finish(kill=False)

    def kill(self) -> int:
        """``kill -9`` the child; its exit code (``-9``, unless it had just finished)."""
        return self._finish(kill=True)

    def close(self) -> None:
        """Stop the server, killing and reaping its child first if one is still running."""
        if self.running and self.proc.poll() is None:
            self._finish(kill=True)
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.communicate()


def run_once(server: ForkServer, db: Path, job: Job, output: Path) -> float:
    """Run ``job`` into ``db`` to the end; its duration. A failed import is an error."""
    started = time.perf_counter()
    server.start(db, job.args, output)
    code = server.wait(IMPORT_TIMEOUT)
    if code != 0:
        raise RuntimeError(f"{job.label} import failed ({code}): {output.read_text()[-500:]}")
    return time.perf_counter() - started


def prepare_jobs(workdir: Path, connections: int = 2500, messages: int = 8000) -> list[Job]:
    """Seed a database, write the two import files, and run each import once to the end."""
    base = workdir / "base.db"
    seed_database(base)
    export = workdir / "linkedin-export"
    write_linkedin_export(export, connections)
    backup = workdir / "sms-backup.xml"
    write_sms_backup(backup, messages, numbers=max(messages // 12, 20))
    jobs = [
        Job("linkedin", ["import", "linkedin", str(export)], base),
        Job("sms", ["import", "sms", str(backup), "--create-contacts"], base),
    ]
    server = ForkServer()
    try:
        for job in jobs:
            job.base_digest = dbcheck.content_digest(base)
            job.base_counts = dbcheck.counts(base)
            clean = workdir / f"clean-{job.label}.db"
            dbcheck.restore(base, clean)
            job.seconds = run_once(server, clean, job, workdir / f"clean-{job.label}.out")
            job.clean_digest = dbcheck.content_digest(clean)
            job.clean_counts = dbcheck.counts(clean)
            if job.clean_digest == job.base_digest:
                raise RuntimeError(f"the {job.label} import changed nothing: a useless job")
    finally:
        server.close()
    return jobs


def judge(job: Job, db: Path, killed: bool) -> Outcome:
    """What a killed (or finished) import left in ``db``: none of the file, all, or part."""
    report = dbcheck.integrity(db)
    now = dbcheck.counts(db)
    held = "partial"
    # Counts first (cheap); the full digest only confirms the state the counts point at.
    if now == job.base_counts and dbcheck.content_digest(db) == job.base_digest:
        held = "none"
    elif now == job.clean_counts and dbcheck.content_digest(db) == job.clean_digest:
        held = "all"
    return Outcome(killed, held, report, dbcheck.lost_rows(job.base_counts, now))


def run_lane(
    lane: int,
    workdir: Path,
    jobs: list[Job],
    kills: int,
    rng: random.Random,
    deadline: float,
    record: list[Outcome],
) -> None:
    """Kill imports into this lane's database until ``kills`` kills landed or time is up."""
    db = workdir / f"lane{lane}.db"
    output = workdir / f"lane{lane}.out"
    landed = attempt = 0
    finished: dict[str, float] = {}
    """How long each job took the last time it ran to the end in this lane."""
    server = ForkServer()
    try:
        while landed < kills and time.monotonic() < deadline:
            job = jobs[attempt % len(jobs)]
            attempt += 1
            dbcheck.restore(job.base, db)
            # Anywhere from the start to past the end (the other lane slows this one
            # down); every third attempt aims at the last stretch, where the commit is.
            took = finished.get(job.label, job.seconds)
            if attempt % 3:
                delay = rng.uniform(0.0, took * 1.3)
            else:
                delay = rng.uniform(took * 0.75, took * 1.1)
            started = time.perf_counter()
            server.start(db, job.args, output)
            code = server.wait(delay)
            if code is None:
                code = server.kill()
            killed = code == -9
            if killed:
                landed += 1
            elif code != 0:
                raise AssertionError(
                    f"{job.label} import failed ({code}): {output.read_text()[-500:]}"
                )
            else:
                finished[job.label] = time.perf_counter() - started
            record.append(judge(job, db, killed))
    finally:
        server.close()


def crash_run(
    workdir: Path, jobs: list[Job], kills: int, seed: int, seconds: float, area: Area
) -> list[Outcome]:
    """Land ``kills`` kills (shared by two lanes) within ``seconds``; record the figures.

    Raises the first error a lane met (a server that would not start, a failed import)."""
    outcomes: list[list[Outcome]] = [[], []]
    errors: list[BaseException] = []
    deadline = time.monotonic() + seconds

    def lane(number: int, share: int) -> None:
        try:
            run_lane(
                number,
                workdir,
                jobs,
                share,
                random.Random(seed * 10 + number),
                deadline,
                outcomes[number],
            )
        except BaseException as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=lane, args=(number, share))
        for number, share in enumerate((kills - kills // 2, kills // 2))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    every = outcomes[0] + outcomes[1]
    area.add(
        cases=len(every), faults=sum(o.killed for o in every), rows_lost=sum(o.lost for o in every)
    )
    for outcome in every:
        if outcome.held == "partial" or outcome.integrity != "ok":
            area.count("partial or damaged")
        elif outcome.killed:
            area.count(f"kills leaving {outcome.held} of the file")
        else:
            area.count("imports that finished first")
    return every


def kill_then_rerun(server: ForkServer, workdir: Path, job: Job) -> str:
    """Kill ``job`` half-way into a fresh copy, run it again to the end on what the kill
    left, and return the content digest (the clean import's, when recovery is sound)."""
    db = workdir / f"rerun-{job.label}.db"
    output = workdir / "rerun.out"
    dbcheck.restore(job.base, db)
    server.start(db, job.args, output)
    if server.wait(job.seconds / 2) is None:
        server.kill()
    run_once(server, db, job, output)
    return dbcheck.content_digest(db)
