"""Crash safety: ``kill -9`` an ``outreach import`` at random moments and look at what is left.

A job is one import (a LinkedIn export folder, an SMS backup) into a copy of a seeded
database. It is run once to the end to learn its duration, how many statements its one
write transaction runs, and what "all of it" looks like; then, again and again, a fresh copy
is imported into and the process is killed after a random delay between 0 and a little more
than that duration. After every kill the file must pass ``PRAGMA integrity_check`` and hold
exactly the seeded rows (none of the file) or exactly what the clean import left (all of
it); none of it whenever the kill came before the import began its COMMIT.

Where a kill landed is not guessed from the clock: the import reports each step of its
write transaction as it runs it (``worker.py``'s marks: begun, the COMMIT starting), so
every outcome knows whether the kill came before the transaction, inside it, or at its
COMMIT. And ``stop_kills`` lands kills inside the transaction on purpose: the import stops
itself just before a chosen statement of it and is killed while stopped there.

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
    statements: int = 0
    """Statements its write transaction runs, the COMMIT the last (from the clean run)."""


STAGES = ("starting", "writing", "committing")
"""How far an import had got when it ended: no write transaction begun yet; inside it (the
COMMIT not started: nothing of it can be in the file); or its COMMIT started (it may or may
not have been written when the kill came)."""


def stage(marks: list[str]) -> str:
    """The stage (``STAGES``) the marks a traced import sent before it ended show."""
    if any(m.startswith("commit") for m in marks):
        return "committing"
    return "writing" if "begin" in marks else "starting"


@dataclass
class Outcome:
    killed: bool
    held: str
    """``none``, ``all`` or ``partial``."""
    integrity: str
    lost: int
    stage: str = ""
    """Where in the import it ended (``STAGES``), when it was traced."""
    stopped: int = 0
    """The statement of its write transaction it was stopped before and killed at
    (``stop_kills``); 0 when it was not."""


class ForkServer:
    """A ``worker.py forkserver`` process: each ``run`` is one forked ``outreach`` call."""

    def __init__(self) -> None:
        self.pid = 0
        self.running = False
        self.marks: list[str] = []
        """What the current child reported of its write transaction (``start(trace=True)``):
        ``begin``, ``commit N``, ``rollback``, ``stopped K``."""
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

    def _line(self, timeout: float, until_mark: str = "") -> str | None:
        """The server's next line, or ``None`` if none comes within ``timeout``.

        The child's marks (``mark ...``) go to ``marks`` and are passed over, unless one
        starts with ``until_mark``: that mark's line is returned.

        Read with ``os.read`` into a buffer of our own: a buffered ``readline`` could take
        two lines off the pipe at once and leave ``select`` waiting for the second."""
        assert self.proc.stdout is not None
        pipe = self.proc.stdout.fileno()
        deadline = time.monotonic() + max(timeout, 0.0)
        while True:
            while b"\n" not in self._received:
                left = max(deadline - time.monotonic(), 0.0)
                ready, _, _ = select.select([pipe], [], [], left)
                if not ready:
                    return None
                chunk = os.read(pipe, 65536)
                if not chunk:
                    return ""  # the server is gone
                self._received += chunk
            raw, self._received = self._received.split(b"\n", 1)
            line = raw.decode("utf-8", "replace").strip()
            if not line.startswith("mark "):
                return line
            mark = line.removeprefix("mark ")
            self.marks.append(mark)
            if until_mark and mark.startswith(until_mark):
                return line

    def start(
        self,
        db: Path,
        args: list[str],
        output: Path,
        limits: dict[str, int] | None = None,
        env: dict[str, str] | None = None,
        trace: bool = False,
        stop_at: int = 0,
    ) -> int:
        """Fork ``outreach --db DB ARGS`` (its output to ``output``, under ``limits``, with
        ``env`` added to its environment); returns its pid. With ``trace`` it reports its
        write transaction in ``marks``; with ``stop_at`` it stops itself just before that
        statement of it (see ``kill_when_stopped``)."""
        run: dict[str, object] = {
            "args": ["--db", str(db), *args],
            "output": str(output),
            "limits": limits or {},
            "env": env or {},
        }
        if trace or stop_at:
            run["trace"] = True
        if stop_at:
            run["stop_at"] = stop_at
        self.marks = []
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

    def kill_when_stopped(self, timeout: float) -> tuple[bool, int]:
        """For a child started with ``stop_at``: wait until it has stopped itself there
        (its ``stopped`` mark), then ``kill -9`` it. Returns whether it stopped, and its
        exit code (``-9``; or its own, if it ended without getting to that statement)."""
        line = self._line(timeout, until_mark="stopped")
        if line is None:
            raise RuntimeError(f"the child neither stopped nor ended in {timeout:g} s")
        if line.startswith("mark stopped"):
            return True, self._finish(kill=True)
        if not line.startswith("exited "):
            raise RuntimeError(f"the fork server answered {line!r}")
        return False, self._finish(kill=False)

    def close(self) -> None:
        """Stop the server, killing and reaping its child first if one is still running."""
        if self.running and self.proc.poll() is None:
            self._finish(kill=True)
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.communicate()


def run_once(server: ForkServer, db: Path, job: Job, output: Path) -> float:
    """Run ``job`` into ``db`` to the end (traced: its marks are in ``server.marks``); its
    duration. A failed import is an error."""
    started = time.perf_counter()
    server.start(db, job.args, output, trace=True)
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
            job.statements = transaction_length(job, server.marks)
            job.clean_digest = dbcheck.content_digest(clean)
            job.clean_counts = dbcheck.counts(clean)
            if job.clean_digest == job.base_digest:
                raise RuntimeError(f"the {job.label} import changed nothing: a useless job")
    finally:
        server.close()
    return jobs


def transaction_length(job: Job, marks: list[str]) -> int:
    """The statements of the one write transaction a clean run of ``job`` reported."""
    if len(marks) != 2 or marks[0] != "begin" or not marks[1].startswith("commit "):
        raise RuntimeError(f"the {job.label} import did not write in one transaction: {marks}")
    return int(marks[1].split()[1])


def judge(job: Job, db: Path, killed: bool, where: str = "", stopped: int = 0) -> Outcome:
    """What a killed (or finished) import left in ``db``: none of the file, all, or part
    (``where`` and ``stopped``: how far it had got, as ``Outcome`` says)."""
    report = dbcheck.integrity(db)
    now = dbcheck.counts(db)
    held = "partial"
    # Counts first (cheap); the full digest only confirms the state the counts point at.
    if now == job.base_counts and dbcheck.content_digest(db) == job.base_digest:
        held = "none"
    elif now == job.clean_counts and dbcheck.content_digest(db) == job.clean_digest:
        held = "all"
    return Outcome(killed, held, report, dbcheck.lost_rows(job.base_counts, now), where, stopped)


ATTEMPTS_PER_KILL = 20
"""A lane gives up after this many attempts per kill it was to land (far more than it takes
even when most imports finish first): a bound on a broken run, not a figure to reach."""


def run_lane(
    lane: int,
    workdir: Path,
    jobs: list[Job],
    kills: int,
    rng: random.Random,
    deadline: float | None,
    record: list[Outcome],
) -> None:
    """Kill imports into this lane's database until ``kills`` kills landed, or ``deadline``
    (if any) passed, or it made ``ATTEMPTS_PER_KILL`` attempts per kill."""
    db = workdir / f"lane{lane}.db"
    output = workdir / f"lane{lane}.out"
    landed = attempt = 0
    finished: dict[str, float] = {}
    """How long each job took the last time it ran to the end in this lane."""
    server = ForkServer()
    try:
        while (
            landed < kills
            and attempt < kills * ATTEMPTS_PER_KILL
            and (deadline is None or time.monotonic() < deadline)
        ):
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
            server.start(db, job.args, output, trace=True)
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
            record.append(judge(job, db, killed, stage(server.marks)))
    finally:
        server.close()


def crash_run(
    workdir: Path, jobs: list[Job], kills: int, seed: int, seconds: float | None, area: Area
) -> list[Outcome]:
    """Land ``kills`` kills (shared by two lanes), within ``seconds`` if given (a soak's
    budget; ``None``: however long it takes); record the figures.

    Raises the first error a lane met (a server that would not start, a failed import)."""
    outcomes: list[list[Outcome]] = [[], []]
    errors: list[BaseException] = []
    deadline = None if seconds is None else time.monotonic() + seconds

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
    area.count(
        "kills inside the transaction", sum(o.killed and o.stage == "writing" for o in every)
    )
    return every


def stop_kills(
    workdir: Path, jobs: list[Job], per_job: int, rng: random.Random, area: Area
) -> list[Outcome]:
    """Kill each job ``per_job`` times inside its write transaction, for certain: the import
    stops itself (SIGSTOP) just before a chosen statement of it (its first; its COMMIT;
    others at random) and is killed while stopped there. Records the figures."""
    db = workdir / "stop.db"
    output = workdir / "stop.out"
    every: list[Outcome] = []
    server = ForkServer()
    try:
        for job in jobs:
            points = [1, job.statements]
            points += [rng.randint(1, job.statements) for _ in range(per_job - len(points))]
            for point in points[:per_job]:
                dbcheck.restore(job.base, db)
                server.start(db, job.args, output, stop_at=point)
                stopped, code = server.kill_when_stopped(IMPORT_TIMEOUT)
                if code not in (0, -9):
                    raise AssertionError(
                        f"{job.label} import failed ({code}): {output.read_text()[-500:]}"
                    )
                where = stage(server.marks)
                every.append(judge(job, db, code == -9, where, point if stopped else 0))
    finally:
        server.close()
    area.add(
        cases=len(every), faults=sum(o.killed for o in every), rows_lost=sum(o.lost for o in every)
    )
    area.count("kills stopped mid-transaction", sum(bool(o.stopped) for o in every))
    return every


def kill_then_rerun(server: ForkServer, workdir: Path, job: Job) -> str:
    """Kill ``job`` half-way through its write transaction (stopped there, so the kill
    certainly lands in it) into a fresh copy, run it again to the end on what the kill
    left, and return the content digest (the clean import's, when recovery is sound)."""
    db = workdir / f"rerun-{job.label}.db"
    output = workdir / "rerun.out"
    dbcheck.restore(job.base, db)
    server.start(db, job.args, output, stop_at=max(job.statements // 2, 1))
    stopped, code = server.kill_when_stopped(IMPORT_TIMEOUT)
    if not (stopped and code == -9):
        raise AssertionError(f"the {job.label} import was not killed half-way ({code})")
    run_once(server, db, job, output)
    return dbcheck.content_digest(db)
