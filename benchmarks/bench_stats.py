"""Benchmark the insights: ``outreach stats`` and the Insights screen, each beside its
reference.

    python3 -m venv /tmp/outreach-venv && /tmp/outreach-venv/bin/pip install -q .
    /tmp/outreach-venv/bin/python benchmarks/bench_stats.py   # 30,000 contacts / 300,000 touches
    /tmp/outreach-venv/bin/python benchmarks/bench_stats.py --runs 9 --app-runs 5

Uses the database of ``bench_core`` (built once by ``gen_data``, then cached), copied to a
scratch folder, and times:

1. ``outreach --db FILE stats --as-of DAY`` (all time, the table) and the same with
   ``--format json``, each as a fresh process started from the scratch folder (outside
   the checkout) beside ``python -c "import tracker.cli"``, in turns so the machine's load
   hits them alike; every process runs the installed, compiled package, as a user's
   machine does (run this with the python of an environment where this checkout is
   installed: see ``installed.py``). Target: 300 ms each, shown with the ratio to the
   import.
2. The Insights screen, headless at 120x40 in a process of its own: the app opens on
   Today (its queue loaded), ``3`` is pressed and the time runs to the first screen
   update showing the Insights figures (all time): its first figures (every panel but
   the replies, which the screen shows as soon as they are known, or every panel at once
   when the replies, counted meanwhile, are in by then) and all of them (the replies
   too); then ``p`` steps through the periods (30, 90 and 365 days, all time)
   and each time runs to the first update showing the new period's figures, first and
   all. Target: 300 ms each (the median of the runs).

Prints a markdown table and writes it, with the command, as the "Insights" section of
``benchmarks/RESULTS.md`` (replacing an earlier one).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from installed import installed_command, user_env  # noqa: E402
from report import Row, output_options, publish, table, verdict  # noqa: E402

SIZE = (120, 40)
SECTION = "Insights"
TARGET = 0.3
PERIODS = ("30 days", "90 days", "365 days", "all time")


# -- the child process: the app, timed from the key to the figures on screen -------------
def make_app(db: Path, demo: Path, marks: dict[str, float]) -> Any:
    """An ``OutreachApp`` that records, per period, when the Insights screen first shows
    that period's first figures and all its figures (``want``: the mark's name and the
    figures' ``since``; the marks are ``name`` and ``name all``)."""
    import gen_data

    from tracker.config import Settings
    from tracker.timeutil import local_tz, parse_as_of
    from tracker.ui.app import OutreachApp

    moment = parse_as_of(gen_data.AS_OF, local_tz(gen_data.TIMEZONE))

    class Timed(OutreachApp):
        CSS_PATH = str(
            Path(sys.modules[OutreachApp.__module__].__file__ or "").parent / "tracker.tcss"
        )
        want: tuple[str, str | None] | None = None

        def _display(self, screen: Any, renderable: Any) -> None:
            super()._display(screen, renderable)
            if renderable is None or self._batch_count:
                return
            stamp = time.perf_counter()
            kind = type(screen).__name__
            if kind == "TodayScreen" and self.queue is not None and "today" not in marks:
                marks["today"] = stamp
            if kind == "InsightsScreen" and self.want is not None:
                name, since = self.want
                shown, figures = screen.shown, screen.figures
                if name not in marks and shown is not None and shown["since"] == since:
                    marks[name] = stamp
                if figures is not None and figures["since"] == since:
                    marks.setdefault(name, stamp)
                    marks[f"{name} all"] = stamp
                    self.want = None

    settings = Settings(timezone=gen_data.TIMEZONE)
    return Timed(db, settings, now=lambda: moment, demo_path=demo)


async def wait_for(condition: Callable[[], bool], timeout: float = 120.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not get there in time")
        await asyncio.sleep(0.001)


async def child_run(db: Path, demo: Path) -> dict[str, float]:
    """Seconds from each key to the figures it asked for: ``open`` (``3``), then one per
    period (``p``)."""
    import gen_data

    marks: dict[str, float] = {}
    took: dict[str, float] = {}
    app = make_app(db, demo, marks)
    today = date.fromisoformat(gen_data.AS_OF)
    sinces = [(today - timedelta(days=d - 1)).isoformat() for d in (30, 90, 365)]
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(lambda: "today" in marks)
        await app.workers.wait_for_complete()
        await pilot.pause()
        steps = [("open", "3", None), *zip(PERIODS, "pppp", [*sinces, None], strict=True)]
        for name, key, since in steps:
            app.want = (name, since)
            started = time.perf_counter()
            await pilot.press(key)
            await wait_for(lambda name=name: f"{name} all" in marks)  # type: ignore[misc]
            took[name] = marks[name] - started
            took[f"{name} all"] = marks[f"{name} all"] - started
            await app.workers.wait_for_complete()
            await pilot.pause()
    return took


def child_main(db: str, demo: str) -> None:
    took = asyncio.run(child_run(Path(db), Path(demo)))
    print(json.dumps(took), flush=True)
    os._exit(0)  # teardown is not part of the measure


# -- the parent ---------------------------------------------------------------------------
def run(command: Sequence[str], env: dict[str, str], cwd: Path) -> None:
    done = subprocess.run(
        command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")


def timed_turns(
    commands: dict[str, Callable[[], None]], runs: int
) -> dict[str, tuple[float, float]]:
    """(best, median) wall time of each command, run in turns."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, action in commands.items():
            started = time.perf_counter()
            action()
            times[name].append(time.perf_counter() - started)
    return {name: (min(v), statistics.median(v)) for name, v in times.items()}


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def bench_cli(db: Path, work: Path, runs: int) -> list[Row]:
    """The CLI rows, run as a user's machine runs them: the installed package, compiled,
    from the scratch folder (``installed.py``)."""
    import gen_data

    env = user_env(work)
    outreach = [*installed_command(work, env), "--db", str(db)]
    stats = [*outreach, "stats", "--as-of", gen_data.AS_OF]
    commands: dict[str, Callable[[], None]] = {
        "import": lambda: run([sys.executable, "-c", "import tracker.cli"], env, work),
        "stats": lambda: run(stats, env, work),
        "json": lambda: run([*stats, "--format", "json"], env, work),
    }
    for action in commands.values():  # warm-up: page cache, compiled bytecode
        action()
    times = timed_turns(commands, runs)
    base_best, base_median = times["import"]
    rows: list[Row] = []
    for name, label in (("stats", "`outreach stats`"), ("json", "`outreach stats --format json`")):
        best, median = times[name]
        what = f"{label}, all time, process start to exit, best / median of {runs}"
        reference = f'`python -c "import tracker.cli"` {fmt_ms(base_best)} / {fmt_ms(base_median)}'
        ratio = f"{best / base_best:.2f}x / {median / base_median:.2f}x"
        rows.append(
            (what, f"{fmt_ms(best)} / {fmt_ms(median)}", reference, ratio, "≤ 300 ms",
             verdict(best <= TARGET))
        )  # fmt: skip
    return rows


def bench_app(db: Path, env: dict[str, str], work: Path, runs: int) -> list[Row]:
    command = [sys.executable, __file__, "--child", "--db", str(db), "--demo", str(work / "d.db")]
    results: list[dict[str, float]] = []
    for attempt in range(runs + 1):  # the first one warms up
        done = subprocess.run(
            command, env=env, cwd=work, capture_output=True, text=True, check=True
        )
        if attempt:
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    rows: list[Row] = []
    labels = {"open": "Insights opened (`3` from Today), all time"}
    labels.update({p: f"period changed (`p`) to {p}" for p in PERIODS})
    for name, label in labels.items():
        for mark, what in ((name, "first figures"), (f"{name} all", "all figures")):
            values = [r[mark] for r in results]
            median = statistics.median(values)
            title = f"{label}: to its {what}, median of {runs} (best {fmt_ms(min(values))})"
            rows.append((title, fmt_ms(median), "-", "-", "≤ 300 ms", verdict(median <= TARGET)))
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--contacts", type=int, default=30_000)
    parser.add_argument("--touches", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=9, help="runs of each command")
    parser.add_argument("--app-runs", type=int, default=5, help="app processes")
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "outreach-bench"
    )
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    output_options(parser)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--db", default="", help=argparse.SUPPRESS)
    parser.add_argument("--demo", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_main(args.db, args.demo)

    import gen_data
    from bench_core import cached_db

    cached = cached_db(args.cache, args.contacts, args.touches, args.seed, args.rebuild)
    with tempfile.TemporaryDirectory(prefix="outreach-bench-stats-") as scratch:
        work = Path(scratch)
        db = work / "large.db"
        shutil.copyfile(cached, db)
        (work / "config.toml").write_text(
            f'[review]\ntimezone = "{gen_data.TIMEZONE}"\n', encoding="utf-8"
        )
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["OUTREACH_HOME"] = str(work)
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(HERE)])
        print(f"outreach stats, {args.runs} runs of each ...", flush=True)
        rows = bench_cli(db, work, args.runs)
        print(f"the Insights screen, {args.app_runs} app runs ...", flush=True)
        rows += bench_app(db, env, work, args.app_runs)

    size = f"{args.contacts:,} contacts / {args.touches:,} touches"
    command = "python benchmarks/bench_stats.py"
    if (args.contacts, args.touches) != (30_000, 300_000):
        command += f" --contacts {args.contacts} --touches {args.touches}"
    machine = (
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load {os.getloadavg()[0]:.1f}, {date.today().isoformat()}; the CLI rows run the "
        "installed package from a scratch folder"
    )
    body = (
        f"## {SECTION}\n\n`{command}` ({size}, as of {gen_data.AS_OF}, {gen_data.TIMEZONE}; "
        f"{machine})\n\n{table(rows)}\n"
    )
    publish(args.results, SECTION, body, not args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
