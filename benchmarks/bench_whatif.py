"""Benchmark the what-if: a year of the review replayed over the history, beside a plain
review of the same data.

    python benchmarks/bench_whatif.py                      # 30,000 contacts / 300,000 touches
    python benchmarks/bench_whatif.py --contacts 100000 --touches 1000000

Uses the core benchmark's database (``gen_data``, built once and cached), and times:

- ``outreach whatif --set review.stale_invite_days=21 --set review.step_back_run=1
  --as-of AS_OF --format json`` end to end, a subprocess: 365 days, each day's queue
  under today's settings and the changed ones, and both trade-offs (target: 10 s), wall
  time and CPU time (the machine is shared: CPU time is what load does not inflate),
  beside ``outreach review --as-of AS_OF --format json`` on the same data (the reference);
- the same replay in process (``Tracker.what_if``), and its parts timed alone: reading
  the history, the replay (summaries and items, both settings), the trade-offs;
- the naive replay it stands for: ``Tracker.queue`` as of the end of a sample of past
  days, times 365 days and two settings (an estimate).

Prints a markdown table and writes it, with the command, as the "What-if" section of
``benchmarks/RESULTS.md`` unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import gen_data  # noqa: E402
from bench_core import cached_db, fmt_s, run, tool  # noqa: E402
from report import Row, output_options, publish, table, verdict  # noqa: E402

from tracker import tradeoffs  # noqa: E402
from tracker.config import Settings  # noqa: E402
from tracker.service import Tracker, open_store  # noqa: E402
from tracker.timeutil import Clock, end_of_day, local_tz  # noqa: E402
from tracker.whatif import replay  # noqa: E402

SECTION = "What-if"
CHANGES = ("review.stale_invite_days=21", "review.step_back_run=1")
TARGET_S = 10.0


def _once(action: object) -> float:
    started = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - started


def _part(what: str, seconds: float) -> Row:
    return (what, fmt_s(seconds), "-", "-", "-", "-")


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = _once(lambda: run(command, env))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def bench_cli(db: Path, env: dict[str, str], runs: int) -> list[Row]:
    outreach = tool("outreach")
    base = ([outreach] if outreach else [sys.executable, "-m", "tracker"]) + ["--db", str(db)]
    sets = [arg for change in CHANGES for arg in ("--set", change)]
    whatif_cmd = [*base, "whatif", *sets, "--as-of", gen_data.AS_OF, "--format", "json"]
    review_cmd = [*base, "review", "--as-of", gen_data.AS_OF, "--format", "json"]
    run(review_cmd, env)  # warm the OS cache
    timed: dict[str, list[tuple[float, float]]] = {"whatif": [], "review": []}
    for _ in range(runs):  # in turns, so load hits both alike
        timed["whatif"].append(_timed(whatif_cmd, env))
        timed["review"].append(_timed(review_cmd, env))
    wall = {name: statistics.median(w for w, _ in runs_) for name, runs_ in timed.items()}
    cpu = {name: statistics.median(c for _, c in runs_) for name, runs_ in timed.items()}
    what = "`outreach whatif` end to end, 365 days, two settings and both trade-offs"
    reference = "`outreach review --format json`"
    return [
        (
            f"{what}, wall time, median of {runs}",
            fmt_s(wall["whatif"]),
            f"{reference} {fmt_s(wall['review'])}",
            f"{wall['whatif'] / wall['review']:.1f}x",
            f"≤ {TARGET_S:.0f} s",
            verdict(wall["whatif"] <= TARGET_S),
        ),
        (
            f"{what}, CPU time (user + system), median of {runs}",
            fmt_s(cpu["whatif"]),
            f"{reference} {fmt_s(cpu['review'])}",
            f"{cpu['whatif'] / cpu['review']:.1f}x",
            f"≤ {TARGET_S:.0f} s",
            verdict(cpu["whatif"] <= TARGET_S),
        ),
    ]


def bench_in_process(tracker: Tracker, runs: int) -> list[Row]:
    last = gen_data.as_of_date()
    first = last - timedelta(days=364)
    changed, _ = tracker.what_if_settings(CHANGES)
    current, tz = tracker.settings, tracker.tz
    took = statistics.median(
        _once(lambda: tracker.what_if(CHANGES, until=last)) for _ in range(runs)
    )
    histories = []

    def read() -> None:
        histories[:] = tracker.replay_histories(first)

    reading = _once(read)
    replaying = _once(lambda: replay(histories, [current, changed], first, last, tz))
    active = [h for h in histories if h.rows]
    weighing = _once(
        lambda: (
            tradeoffs.invitations(active, 14, 21, first, last, tz),
            tradeoffs.texts(active, 2, 1, first, last, tz),
        )
    )
    clock = Clock(end_of_day(last, tz), tz)
    tracker.queue(clock)  # warm
    review = statistics.median(_once(lambda: tracker.queue(clock)) for _ in range(5))
    part = "what-if part, timed alone:"
    return [
        (
            f"`Tracker.what_if` in process, median of {runs}",
            fmt_s(took),
            f"`Tracker.queue` warm, one day: {fmt_s(review)}",
            f"{took / review:.0f}x",
            "-",
            "-",
        ),
        _part(f"{part} reading the history ({len(active):,} contacts with touches)", reading),
        _part(f"{part} the replay, both settings (summaries, items)", replaying),
        _part(f"{part} the trade-offs (invitations, texts)", weighing),
    ]


def bench_naive(tracker: Tracker, changed: Settings, sample: int) -> Row:
    """The naive replay's cost, estimated: ``Tracker.queue`` as of the end of ``sample``
    days spread over the year, under each setting, times 365."""
    last = gen_data.as_of_date()
    days = [last - timedelta(days=364 * n // max(sample - 1, 1)) for n in range(sample)]
    other = Tracker(tracker.store, changed, tracker.tz)
    per_day = statistics.median(
        _once(lambda d=day, t=who: t.queue(Clock(end_of_day(d, t.tz), t.tz)))
        for day in days
        for who in (tracker, other)
    )
    estimate = per_day * 365 * 2
    return (
        f"naive replay it stands for: `Tracker.queue` as of a past day ({sample} days "
        "sampled) x 365 days x 2 settings",
        fmt_s(estimate),
        f"one past day: {fmt_s(per_day)}",
        "-",
        "-",
        "-",
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=30_000)
    parser.add_argument("--touches", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=3, help="runs of the end-to-end timing")
    parser.add_argument("--sample", type=int, default=7, help="past days the naive replay times")
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "outreach-bench"
    )
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    output_options(parser)
    args = parser.parse_args(argv)

    db = cached_db(args.cache, args.contacts, args.touches, args.seed, args.rebuild)
    load_before = os.getloadavg()[0]
    settings = Settings(timezone=gen_data.TIMEZONE)
    with tempfile.TemporaryDirectory(prefix="outreach-bench-") as scratch:
        work = Path(scratch)
        (work / "config.toml").write_text(
            f'[review]\ntimezone = "{gen_data.TIMEZONE}"\n', encoding="utf-8"
        )
        env = {**os.environ, "OUTREACH_HOME": str(work)}
        rows = bench_cli(db, env, args.runs)
        store = open_store(db)
        try:
            counts = store.counts()
            tracker = Tracker(store, settings, local_tz(gen_data.TIMEZONE))
            rows += bench_in_process(tracker, args.runs)
            rows.append(bench_naive(tracker, tracker.what_if_settings(CHANGES)[0], args.sample))
        finally:
            store.close()

    command = "python benchmarks/bench_whatif.py"
    if (args.contacts, args.touches) != (30_000, 300_000):
        command += f" --contacts {args.contacts} --touches {args.touches}"
    load = f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
    machine = (
        f"{os.cpu_count()} cores ({load}), Python {platform.python_version()}, "
        f"{date.today().isoformat()}"
    )
    body = (
        f"## {SECTION}\n\n`{command}` ({counts['contacts']:,} contacts / "
        f"{counts['touches']:,} touches; 365 days to {gen_data.AS_OF}, {gen_data.TIMEZONE}; "
        f"`--set {' --set '.join(CHANGES)}`; {machine})\n\n{table(rows)}\n"
    )
    publish(args.results, SECTION, body, not args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
