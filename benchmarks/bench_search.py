"""Benchmark search: ``Tracker.search`` on a large history, query by query.

    python benchmarks/bench_search.py                      # 30,000 contacts / 300,000 touches
    python benchmarks/bench_search.py --contacts 100000 --touches 1000000

Uses the database ``bench_core`` caches, built when missing by running
``benchmarks/gen_data.py --contacts N --touches M --out FILE`` (so anyone can build the
same one), copied to a scratch folder; building the search index from its tables (what
schema step m009 does to an existing database) is timed too. Then each query below runs
warm, the way the app's palette asks (12 results, one per contact) and the way
``outreach search`` does (50 results, every match), median of ``--runs`` (with the
slowest, and the median CPU time, which load from other work on the machine does not
inflate); target 50 ms.
Beside each, the reference is what ranking without the index must read: a ``LIKE`` scan of
the same words over every contact and every touch text (SQLite's own, nothing ranked).

Prints a markdown table; writes it, with the command, as the "Search" section of
``benchmarks/RESULTS.md`` unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import os
import platform
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
from report import Row, output_options, publish, table, verdict  # noqa: E402

from tracker.config import Settings  # noqa: E402
from tracker.identity import format_phone  # noqa: E402
from tracker.service import Tracker, open_store  # noqa: E402

SECTION = "Search"
TARGET = 0.050


def cached_db(cache: Path, contacts: int, touches: int, seed: int) -> Path:
    """``bench_core``'s cached database, built by the ``gen_data.py`` script if missing."""
    cache.mkdir(parents=True, exist_ok=True)
    name = f"core-{contacts}-{touches}-seed{seed}-gen{gen_data.GENERATOR_VERSION}.db"
    path = cache / name
    if not path.exists():
        print(f"building {contacts:,} contacts / {touches:,} touches ...", flush=True)
        script = HERE / "gen_data.py"
        command = [sys.executable, str(script), "--contacts", str(contacts)]
        command += ["--touches", str(touches), "--seed", str(seed), "--out", str(path)]
        subprocess.run(command, check=True)
    return path


def fresh_copy(cached: Path, work: Path) -> tuple[Path, float | None, float]:
    """A scratch copy of the cached database, opened once; returns it, how long that
    first open took when it upgraded the copy (``None`` when the cache was current), and
    how long building the search index from the tables takes (what schema step m009 does
    to an existing database), timed apart on the opened copy."""
    copy = work / "search.db"
    shutil.copyfile(cached, copy)
    started = time.perf_counter()
    store = open_store(copy)
    upgrade = time.perf_counter() - started
    for backup in store.backups:
        backup.unlink(missing_ok=True)
    upgraded = bool(store.upgraded)
    started = time.perf_counter()
    with store.write():  # the index's data work, committed (the contacts' documents too)
        store.execute("INSERT INTO touch_search (touch_search) VALUES ('delete-all')")
        store.execute(
            "INSERT INTO touch_search (rowid, text) SELECT id, text FROM touches WHERE text <> ''"
        )
        store.execute("DELETE FROM contact_search")
        store.execute("INSERT INTO search_stale (contact_id) SELECT id FROM contacts")
    build = time.perf_counter() - started
    store.close()
    return copy, upgrade if upgraded else None, build


def sample_queries(tracker: Tracker) -> list[tuple[str, str]]:
    """(label, query) pairs: words of the generated data, and identifiers of one of its
    contacts (read from the database, so they exist)."""
    row = tracker.store.one(
        "SELECT c.id, c.name, c.company, p.value AS phone, e.value AS email"
        " FROM contacts c JOIN contact_identifiers p ON p.contact_id = c.id AND p.kind = 'phone'"
        " JOIN contact_identifiers e ON e.contact_id = c.id AND e.kind = 'email'"
        " WHERE c.id > (SELECT max(id) / 2 FROM contacts) ORDER BY c.id LIMIT 1"
    )
    assert row is not None, "the generated data has a contact with a phone and an email"
    first = row["name"].split()[0]
    national = format_phone(row["phone"]).split(" ", 1)[1]
    return [
        ("a full name", row["name"]),
        ("a first name as typed (3 letters)", first[:3].lower()),
        ("a company", "stark industries"),
        ("an email address", row["email"]),
        ("a phone number as written locally", national),
        ("a phone's last 7 digits", row["phone"][-7:]),
        ("a tag", "prospect"),
        ("a word in 1 of 8 messages", "pilot"),
        ("a word in 1 of 3 messages", "thanks"),
        ("two words of one message", "deck friday"),
        ("a name and a word of their messages", f"{first} pilot"),
        ("a rare phrase", "birthday card"),
        ("two letters (type-ahead)", "pi"),
        ("no match", "zebra"),
    ]


def like_scan(db: Path, query: str) -> Callable[[], object]:
    """The reference: every word ``LIKE`` over all the contact fields and touch texts."""
    conn = sqlite3.connect(db)
    words = [f"%{w}%" for w in query.split()]
    contacts = " AND ".join(
        "(name LIKE ? OR company LIKE ? OR title LIKE ? OR notes LIKE ? OR email LIKE ?"
        " OR phone LIKE ?)"
        for _ in words
    )
    texts = " AND ".join("text LIKE ?" for _ in words)

    def scan() -> object:
        found = conn.execute(
            f"SELECT id FROM contacts WHERE {contacts}",
            [w for w in words for _ in range(6)],
        ).fetchall()
        return found + conn.execute(f"SELECT id FROM touches WHERE {texts}", words).fetchall()

    return scan


def timed(action: Callable[[], object], runs: int) -> tuple[float, float, float]:
    """(median, slowest, median CPU) seconds of ``runs`` calls after one warm-up. The CPU
    time is this process's own: on a machine shared with other work, wall time waits
    for a core, CPU time does not."""
    action()
    times, cpu = [], []
    for _ in range(runs):
        started, used = time.perf_counter(), time.process_time()
        action()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    return statistics.median(times), max(times), statistics.median(cpu)


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def bench(db: Path, runs: int) -> tuple[list[Row], int]:
    tracker = Tracker.open(db, Settings(timezone=gen_data.TIMEZONE))
    rows: list[Row] = []
    worst = 0.0
    try:
        for label, query in sample_queries(tracker):
            palette = tracker.search(query, 12, per_contact=True)
            listed = tracker.search(query, 50)
            best = listed.hits[0] if listed.hits else None
            found = f"{len(listed.hits)}{'+' if listed.more else ''} found"
            if best is not None:
                found += f", best: {best.tier.name.lower()} ({best.field})"
            app, app_max, app_cpu = timed(
                lambda q=query: tracker.search(q, 12, per_contact=True), runs
            )
            cli, cli_max, cli_cpu = timed(lambda q=query: tracker.search(q, 50), runs)
            scan, _, _ = timed(like_scan(db, query), max(3, runs // 3))
            worst = max(worst, app, cli)
            ok = app <= TARGET and cli <= TARGET
            rows.append(
                (
                    f"{label}: `{query}` ({found}; palette {len(palette.hits)})",
                    f"palette {fmt_ms(app)} (max {fmt_ms(app_max)}, CPU {fmt_ms(app_cpu)}); "
                    f"search {fmt_ms(cli)} (max {fmt_ms(cli_max)}, CPU {fmt_ms(cli_cpu)})",
                    f"`LIKE` over every row {fmt_ms(scan)}",
                    f"{max(app, cli) / scan:.2f}x" if scan else "-",
                    "≤ 50 ms",
                    verdict(ok),
                )
            )
        counts = tracker.store.counts()
    finally:
        tracker.close()
    return rows, counts["touches"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=30_000)
    parser.add_argument("--touches", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=15, help="runs of each query")
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "outreach-bench"
    )
    output_options(parser)
    args = parser.parse_args(argv)

    cached = cached_db(args.cache, args.contacts, args.touches, args.seed)
    with tempfile.TemporaryDirectory(prefix="outreach-bench-search-") as scratch:
        db, upgrade, build = fresh_copy(cached, Path(scratch))
        rows, touches = bench(db, args.runs)
        size = db.stat().st_size
    rows.append(
        (
            "building the index from the tables (what schema step m009 does to a database)",
            f"{build:.1f} s",
            "-",
            "-",
            "-",
            "-",
        )
    )
    if upgrade is not None:
        rows.append(
            (
                "first open of the generated database by this version (a copy aside, "
                "then every schema step it lacks)",
                f"{upgrade:.1f} s",
                "-",
                "-",
                "-",
                "-",
            )
        )
    command = "python benchmarks/bench_search.py"
    if (args.contacts, args.touches) != (30_000, 300_000):
        command += f" --contacts {args.contacts} --touches {args.touches}"
    machine = (
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {date.today().isoformat()}"
    )
    body = (
        f"## {SECTION}\n\n`{command}` ({args.contacts:,} contacts, {touches:,} touches, "
        f"database with the index {size / 2**20:,.0f} MB; warm, median of {args.runs}; "
        f"{machine})\n\n{table(rows)}\n"
    )
    publish(args.results, SECTION, body, not args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
