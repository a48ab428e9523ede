"""Benchmark the core: the review queue, the review command end to end, CSV export.

    /tmp/outreach-venv/bin/python benchmarks/bench_core.py    # 30,000 contacts / 300,000 touches
    /tmp/outreach-venv/bin/python benchmarks/bench_core.py --contacts 100000 --touches 1000000

(run with the python of an environment where this checkout is installed, see
``installed.py``: the commands are timed as a user's machine runs them, the installed
package from a scratch folder). Builds (once, then cached in the temp folder) a database
of N contacts and M touches through the store's bulk API (``gen_data``), then times, each
beside its reference:

- the review via ``Tracker.full_review`` (what ``Tracker.queue`` runs; warm, median of
  several runs), target 50 ms;
- ``outreach --db FILE review --format json`` as a subprocess against
  ``python -c "import tracker.cli"``, target within 2x;
- ``outreach export touches --out`` against ``sqlite3 -csv -header`` on the same query
  (target within 1.5x) and ``sqlite-utils rows --csv`` (target: faster);

and prints the review's query plans. Prints a markdown table and writes it, with the
command, to ``benchmarks/RESULTS.md`` (one section per database size).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import gen_data  # noqa: E402
from installed import installed_command, user_env  # noqa: E402
from report import Row, output_options, publish, table, verdict  # noqa: E402

from tracker.config import Settings  # noqa: E402
from tracker.review import build_review  # noqa: E402
from tracker.service import Tracker, open_store  # noqa: E402
from tracker.store import Store  # noqa: E402
from tracker.store.export import EXPORT_QUERIES  # noqa: E402
from tracker.timeutil import Clock, local_tz, parse_as_of  # noqa: E402


def cached_db(cache: Path, contacts: int, touches: int, seed: int, rebuild: bool) -> Path:
    """The generated database, built now unless a finished one is cached."""
    cache.mkdir(parents=True, exist_ok=True)
    name = f"core-{contacts}-{touches}-seed{seed}-gen{gen_data.GENERATOR_VERSION}.db"
    path = cache / name
    if path.exists() and not rebuild:
        store = open_store(path)  # applies newer schema steps, if any, once
        for backup in store.backups:
            backup.unlink(missing_ok=True)
        store.close()
        return path
    partial = cache / f"{name}.building"
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    print(f"building {contacts:,} contacts / {touches:,} touches ...", flush=True)
    started = time.perf_counter()
    store = open_store(partial)
    made = gen_data.build(store, contacts, touches, seed)
    store.close()
    partial.rename(path)
    print(f"built {made} in {time.perf_counter() - started:.1f} s", flush=True)
    return path


def median_time(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(command: Sequence[str], env: dict[str, str], stdout: Path | None = None) -> None:
    """Run ``command`` from the scratch folder ``OUTREACH_HOME`` names, as a user would."""
    with open(stdout, "wb") if stdout else open(os.devnull, "wb") as sink:
        subprocess.run(
            command,
            env=env,
            cwd=env["OUTREACH_HOME"],
            stdout=sink,
            stderr=subprocess.DEVNULL,
            check=True,
        )


def interleaved(commands: dict[str, Callable[[], None]], runs: int) -> dict[str, float]:
    """Median wall time of each command, run in turns so load hits them alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, action in commands.items():
            started = time.perf_counter()
            action()
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}


def tool(name: str) -> str | None:
    beside = Path(sys.executable).with_name(name)
    return str(beside) if beside.exists() else shutil.which(name)


def fmt_s(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def bench_review(store: Store, clock: Clock, settings: Settings, runs: int) -> list[Row]:
    tracker = Tracker(store, settings, clock.tz)
    found = tracker.full_review(clock)  # warm-up: page cache, imports
    took = median_time(lambda: tracker.full_review(clock), runs)
    entries = store.review_entries(clock, settings)
    snoozes = store.active_snoozes(clock.today)
    reading = median_time(lambda: store.review_entries(clock, settings), runs)
    rules = median_time(lambda: build_review(entries, clock, settings, snoozes), runs)
    items = f"{len(found.queue):,} items due + {len(found.lapsed):,} lapsed"
    what = f"review, `Tracker.full_review` (what `Tracker.queue` runs) warm, median of {runs}"
    return [
        (f"{what} ({items})", fmt_s(took), "-", "-", "≤ 50 ms", verdict(took <= 0.05)),
        (
            f"review part, timed alone: reading {len(entries):,} candidates (SQL, objects)",
            fmt_s(reading),
            "-",
            "-",
            "-",
            "-",
        ),
        (
            "review part, timed alone: the rules (`tracker.review.build_review`)",
            fmt_s(rules),
            "-",
            "-",
            "-",
            "-",
        ),
    ]


def plans_text(store: Store, clock: Clock, settings: Settings) -> tuple[str, bool]:
    plans = store.review_query_plans(clock, settings)
    lines, indexed = [], True
    for name, details in plans.items():
        lines.append(f"{name}:")
        for detail in details:
            lines.append(f"    {detail}")
            # A bare "SCAN table" reads every row; scanning an index or a subquery's
            # few rows is fine. No plan may scan touches at all.
            bare_scan = re.fullmatch(r"SCAN \w+( AS \w+)?", detail)
            if bare_scan or "SCAN touches" in detail or "SCAN t " in f"{detail} ":
                indexed = False
    return "\n".join(lines), indexed


def bench_cli(db: Path, env: dict[str, str], runs: int, outreach: list[str]) -> list[Row]:
    review_cmd = [*outreach, "--db", str(db), "review", "--format", "json"]
    review_cmd += ["--as-of", gen_data.AS_OF]
    import_cmd = [sys.executable, "-c", "import tracker.cli"]
    run(review_cmd, env)  # warm the OS cache
    times = interleaved(
        {"review": lambda: run(review_cmd, env), "import": lambda: run(import_cmd, env)}, runs
    )
    ratio = times["review"] / times["import"]
    return [
        (
            f"`outreach review --format json` end to end, median of {runs}",
            fmt_s(times["review"]),
            f'`python -c "import tracker.cli"` {fmt_s(times["import"])}',
            f"{ratio:.2f}x",
            "≤ 2x",
            verdict(ratio <= 2.0),
        )
    ]


def bench_export(
    db: Path, env: dict[str, str], work: Path, runs: int, touches: int, outreach: list[str]
) -> list[Row]:
    ours_out, sqlite_out, su_out = work / "ours.csv", work / "sqlite3.csv", work / "su.csv"
    ours_cmd = [*outreach, "--db", str(db), "export", "touches", "--out", str(ours_out), "--force"]
    commands: dict[str, Callable[[], None]] = {"ours": lambda: run(ours_cmd, env)}
    sqlite3_cli, sqlite_utils = shutil.which("sqlite3"), tool("sqlite-utils")
    query = " ".join(EXPORT_QUERIES["touches"][1].split())
    if sqlite3_cli:
        cmd = [sqlite3_cli, "-csv", "-header", str(db), query]
        commands["sqlite3"] = lambda: run(cmd, env, sqlite_out)
    if sqlite_utils:
        su_cmd = [sqlite_utils, "rows", str(db), "touches", "--csv"]
        commands["sqlite-utils"] = lambda: run(su_cmd, env, su_out)
    times = interleaved(commands, runs)
    with open(ours_out, "rb") as handle:
        lines = sum(chunk.count(b"\r\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    what = f"CSV export of {touches:,} touches, `outreach export touches --out`"
    rows: list[Row] = []
    refs = (
        ("sqlite3", "`sqlite3 -csv -header`, same query", 1.5, "≤ 1.5x"),
        ("sqlite-utils", "`sqlite-utils rows --csv`", 1.0, "< 1x (faster)"),
    )
    for key, label, limit, target in refs:
        if key not in times:
            rows.append((what, fmt_s(times["ours"]), f"{label}: not installed", "-", target, "-"))
            continue
        ratio = times["ours"] / times[key]
        ok = ratio <= limit if limit != 1.0 else ratio < 1.0
        reference = f"{label} {fmt_s(times[key])}"
        rows.append((what, fmt_s(times["ours"]), reference, f"{ratio:.2f}x", target, verdict(ok)))
    if lines < touches:  # header + one CRLF per touch at least
        raise SystemExit(f"export wrote {lines} line ends for {touches} touches")
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=30_000)
    parser.add_argument("--touches", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=9, help="runs of the review timings")
    parser.add_argument("--export-runs", type=int, default=3)
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "outreach-bench"
    )
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    output_options(parser)
    args = parser.parse_args(argv)

    db = cached_db(args.cache, args.contacts, args.touches, args.seed, args.rebuild)
    settings = Settings(timezone=gen_data.TIMEZONE)
    tz = local_tz(gen_data.TIMEZONE)
    clock = Clock(parse_as_of(gen_data.AS_OF, tz), tz)
    with tempfile.TemporaryDirectory(prefix="outreach-bench-") as scratch:
        work = Path(scratch)
        (work / "config.toml").write_text(
            f'[review]\ntimezone = "{gen_data.TIMEZONE}"\n', encoding="utf-8"
        )
        env = user_env(work)
        outreach = installed_command(work, env)
        store = open_store(db)
        try:
            counts = store.counts()
            rows = bench_review(store, clock, settings, args.runs)
            plans, indexed = plans_text(store, clock, settings)
        finally:
            store.close()
        rows.append(
            (
                "review query plans (below)",
                "indexes only" if indexed else "a full scan",
                "-",
                "-",
                "no full scan of touches",
                verdict(indexed),
            )
        )
        rows += bench_cli(db, env, args.runs, outreach)
        rows += bench_export(db, env, work, args.export_runs, counts["touches"], outreach)

    command = "python benchmarks/bench_core.py"
    if (args.contacts, args.touches) != (30_000, 300_000):
        command += f" --contacts {args.contacts} --touches {args.touches}"
    heading = f"## {counts['contacts']:,} contacts / {counts['touches']:,} touches"
    machine = (
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {date.today().isoformat()}"
    )
    body = (
        f"{heading}\n\n`{command}` (review as of {gen_data.AS_OF}, {gen_data.TIMEZONE}; "
        f"{machine})\n\n{table(rows)}\n\nReview query plans (`Store.review_query_plans`):\n\n"
        f"```\n{plans}\n```\n"
    )
    publish(args.results, heading.removeprefix("## "), body, not args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
