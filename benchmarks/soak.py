"""The reliability checks of ``tests/reliability``, run round after round for as long as asked,
with fresh random choices each round: imports killed with ``kill -9``, the app and two CLI
writers at once, processes racing to create one database, mutated import files, upgrades
killed part-way, pages of a database damaged. Prints the figures (cases tried, faults
injected, rows lost) after every round and at the end; exits 1 if any check failed.

    python benchmarks/soak.py --minutes 30 [--seed N] [--keep]

The CI suite runs each check a bounded number of times; this runs them until the time is
up. A failing case is described on stderr, and with ``--keep`` its files stay on disk.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the checks live in the test package

from tests.reliability import dbcheck, faults  # noqa: E402
from tests.reliability.clirun import clean_error, run, success  # noqa: E402
from tests.reliability.crash import Job, crash_run, prepare_jobs  # noqa: E402
from tests.reliability.figures import Figures  # noqa: E402
from tests.reliability.generate import TIMEZONE, seed_database  # noqa: E402
from tests.reliability.mutate import check_mutant, random_op, seeds  # noqa: E402
from tests.reliability.upgrading import big_old_database, upgrade_kills  # noqa: E402
from tests.reliability.writers import open_race, record, run_writers  # noqa: E402


class Soak:
    """One soak run: its folder, its random source, its figures and its failures."""

    def __init__(self, workdir: Path, seed: int, deadline: float) -> None:
        self.workdir = workdir
        self.rng = random.Random(seed)
        self.seed = seed
        self.deadline = deadline
        self.figures = Figures()
        self.failures: list[str] = []
        self.round = 0
        self.started = time.monotonic()

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def folder(self, name: str) -> Path:
        path = self.workdir / f"round{self.round}" / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def check(self, name: str, body: Callable[[], None]) -> None:
        """Run one check; a failure is recorded and the soak goes on."""
        if self.left() <= 0:
            return
        try:
            body()
        except Exception:
            self.failures.append(f"round {self.round}, {name}: {traceback.format_exc()}")
            print(f"FAILED {name} (round {self.round}):\n{traceback.format_exc()}", file=sys.stderr)

    # -- the checks ------------------------------------------------------------------------
    def crash(self, jobs: list[Job]) -> None:
        workdir = self.folder("crash")
        seconds = max(min(self.left(), 60.0), 5.0)
        outcomes = crash_run(
            workdir,
            jobs,
            20,
            self.rng.randrange(1 << 30),
            seconds,
            self.figures.area("crash safety"),
        )
        bad = [o for o in outcomes if o.integrity != "ok" or o.held == "partial" or o.lost]
        assert not bad, f"{len(bad)} kills left a damaged or partial database: {bad[:3]}"

    def writers(self) -> None:
        result = run_writers(self.folder("writers"), per_process=1000)
        record(result, self.figures.area("two writers"))
        assert not result.failures and result.locked == 0, result.failures[:5]
        assert (result.landed, result.missing, result.duplicated) == (3000, 0, 0), result
        race = open_race(self.folder("race"), rounds=20)
        area = self.figures.area("two writers")
        area.add(cases=race.rounds * race.racers, rows_lost=race.contacts_missing)
        area.count("first-open races", race.rounds)
        assert not race.failures and not race.contacts_missing and not race.bad_files, race

    def fuzz(self, template: Path, count: int = 300) -> None:
        area = self.figures.area("bad input")
        corpus = seeds()
        workdir = self.folder("fuzz")
        for _ in range(count):
            if self.left() <= 0:
                return
            seed = self.rng.choice(corpus)
            changes = [random_op(self.rng) for _ in range(self.rng.randint(1, 4))]
            data = seed.data
            for change in changes:
                data = change.apply(data)
            try:
                outcome = check_mutant(workdir, template, seed, data, self.rng.random() < 0.5)
            except AssertionError as exc:
                kept = self.workdir / f"failing-mutant-{len(self.failures)}-{seed.name}"
                kept.write_bytes(data)
                raise AssertionError(f"{seed.label} mutated by {changes} (kept as {kept})") from exc
            area.add(cases=1, faults=len(changes))
            area.count(f"mutants {'imported' if outcome == 'ok' else 'refused'}")

    def upgrades(self, old: Path) -> None:
        upgrade_kills(self.folder("upgrade"), old, 8, self.rng, self.figures.area("upgrades"))

    def damaged_pages(self, history: Path, count: int = 12) -> None:
        """Garbage over random pages: never a traceback, never written over."""
        area = self.figures.area("storage faults")
        db = self.folder("damage") / "outreach.db"
        commands = (
            ["review"],
            ["export", "touches"],
            ["show", "30"],
            ["list"],
            ["log", "sms", "3", "--in", "--text", "soak"],
        )
        for _ in range(count):
            faults.copy_private(history, db)
            dbcheck.remove_sidecars(db)
            first = self.rng.randrange(1, faults.pages(history))
            last = min(first + self.rng.randrange(3), faults.pages(history) - 1)
            garbage = faults.damage(db, first, last, self.rng, zeros=self.rng.random() < 0.3)
            for args in commands:
                result = run(db, *args)
                if result.code:
                    clean_error(result, 2)
                else:
                    success(result)
            assert faults.region(db, first, last) == garbage, f"pages {first}-{last} rewritten"
            area.add(cases=len(commands), faults=1)
            area.count("pages damaged", last - first + 1)


def prepare_home(workdir: Path) -> None:
    """A data and config folder of the soak's own, with a fixed time zone."""
    home = workdir / "home"
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(f'[review]\ntimezone = "{TIMEZONE}"\n', encoding="utf-8")
    os.environ["OUTREACH_HOME"] = str(home)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="How long to run.")
    parser.add_argument("--seed", type=int, default=None, help="Replay a run's choices.")
    parser.add_argument("--keep", action="store_true", help="Keep the working folder.")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 30)
    workdir = Path(tempfile.mkdtemp(prefix="outreach-soak-"))
    prepare_home(workdir)
    soak = Soak(workdir, seed, time.monotonic() + args.minutes * 60)
    print(f"soak: {args.minutes:g} minutes, seed {seed}, working in {workdir}", flush=True)
    try:
        setup = workdir / "setup"
        setup.mkdir()
        jobs = prepare_jobs(setup)
        template = setup / "template.db"
        seed_database(template, contacts=12, overlap=4)
        history = setup / "history.db"
        seed_database(history)
        old = setup / "old.db"
        big_old_database(old)
        while soak.left() > 0:
            soak.round += 1
            soak.check("crash safety", lambda: soak.crash(jobs))
            soak.check("two writers", soak.writers)
            soak.check("bad input", lambda: soak.fuzz(template))
            soak.check("upgrades", lambda: soak.upgrades(old))
            soak.check("storage faults", lambda: soak.damaged_pages(history))
            elapsed = (time.monotonic() - soak.started) / 60
            print(f"-- round {soak.round} done, {elapsed:.1f} min", flush=True)
            for line in soak.figures.lines():
                print("   " + line, flush=True)
    finally:
        if args.keep or soak.failures:
            print(f"files kept in {workdir}", flush=True)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    minutes = (time.monotonic() - soak.started) / 60
    print(f"\nreliability soak: {soak.round} rounds in {minutes:.1f} min, seed {seed}")
    for line in soak.figures.lines():
        print(line)
    print(f"failures: {len(soak.failures)}")
    return 1 if soak.failures else 0


if __name__ == "__main__":
    sys.exit(main())
