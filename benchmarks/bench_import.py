"""Benchmark imports: a LinkedIn export and an SMS backup, each beside a reference.

    python benchmarks/bench_import.py                  # 30,000 connections, 1,000,000 texts
    python benchmarks/bench_import.py --texts 200000   # a smaller backup, quicker

Generates its data in a temporary folder: a LinkedIn export of N connections with N/10
invitations (half of them accepted) and N/3 messages, and an SMS backup of M messages
between 2,000 numbers (spelled two ways, a tenth with an emoji written as the app's
surrogate references, two texts out for one in), plus one of a tenth of that size.
Every import runs in a child process of its own, so its peak memory (``ru_maxrss``) is
its own, and each is timed beside its reference in the same run:

- LinkedIn: ``outreach``'s import into an empty database (target 3 s), then the same
  export again (nothing new), against Python's ``csv`` module reading the same three
  files and ``sqlite-utils`` ``insert_all`` of their rows into fresh tables;
- SMS: messages per second (target 50,000/s) and peak memory (target under 150 MB at
  any size) against ``xml.etree.ElementTree.iterparse`` of the same file (its surrogate
  references fixed line by line, which ElementTree needs too) inserting
  ``(address, date, type, body)`` rows with ``insert_all``; the same again on a plainer
  file (every number in E.164, no emoji); and the floors beside them: SQLite alone
  writing the same touch rows the way the import does, and expat alone parsing the file.

Wall time and CPU time are both given: on a machine other work loads, the wall time of
a two-threaded import moves with the load far more than its CPU time.

Prints a markdown table and writes it, with the command, as the "Imports" section of
``benchmarks/RESULTS.md`` (replacing an earlier one).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from import_data import NUMBERS, floor_expat, floor_sms, write_linkedin, write_sms  # noqa: E402
from report import Row, output_options, publish, table, verdict  # noqa: E402

SECTION = "Imports"


# -- data ---------------------------------------------------------------------------------
# -- children: one import each, timed, with their peak memory -----------------------------
def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ours(path: Path, db: Path, again: bool, create: bool) -> dict[str, Any]:
    from tracker.config import Settings
    from tracker.importers import ImportOptions, run_import
    from tracker.service import Tracker

    tracker = Tracker.open(db, Settings(timezone="America/Chicago"))
    options = ImportOptions(create_contacts=create)
    times = []
    cpu = []
    touches = 0
    try:
        for _ in range(2 if again else 1):
            started, cpu_started = time.perf_counter(), time.process_time()
            summary = run_import(tracker, path, options=options)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            touches += summary.touches_added
    finally:
        tracker.close()
    return {"times": times, "cpu": cpu, "touches": touches, "peak_mb": peak_mb()}


def reference_linkedin(folder: Path, db: Path) -> dict[str, Any]:
    import csv

    import sqlite_utils

    database = sqlite_utils.Database(db)
    started = time.perf_counter()
    rows = 0
    with database.conn:
        for name in ("Connections.csv", "Invitations.csv", "messages.csv"):
            with (folder / name).open(encoding="utf-8", newline="") as handle:
                if name == "Connections.csv":
                    for _ in range(3):  # the preamble
                        handle.readline()
                records = list(csv.DictReader(handle))
            database[name.removesuffix(".csv").lower()].insert_all(records)
            rows += len(records)
    return {"times": [time.perf_counter() - started], "rows": rows, "peak_mb": peak_mb()}


class _Recovered:
    """The backup's lines with surrogate pairs decoded, for ElementTree."""

    PAIR = re.compile(rb"&#(5[5-6]\d{3});&#(5[6-7]\d{3});")

    def __init__(self, path: Path):
        self.handle = path.open("rb")

    @classmethod
    def _pair(cls, match: re.Match[bytes]) -> bytes:
        high, low = int(match.group(1)), int(match.group(2))
        return b"&#%d;" % (0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))

    def read(self, size: int = -1) -> bytes:
        block = self.handle.read(size) + self.handle.readline()
        return self.PAIR.sub(self._pair, block)


def reference_sms(path: Path, db: Path) -> dict[str, Any]:
    from xml.etree.ElementTree import iterparse

    import sqlite_utils

    database = sqlite_utils.Database(db)
    started, cpu_started = time.perf_counter(), time.process_time()

    def rows() -> Iterator[dict[str, str]]:
        for _, element in iterparse(_Recovered(path), events=("end",)):
            if element.tag == "sms":
                get = element.attrib.get
                yield {
                    "address": get("address", ""),
                    "date": get("date", ""),
                    "type": get("type", ""),
                    "body": get("body", ""),
                }
                element.clear()

    with database.conn:
        database["sms"].insert_all(rows(), batch_size=5000)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    count = database["sms"].count
    return {"times": [elapsed], "cpu": [cpu], "touches": count, "peak_mb": peak_mb()}


def child_main(args: argparse.Namespace) -> NoReturn:
    path, db = Path(args.path), Path(args.db)
    if args.child == "ours-linkedin":
        result = ours(path, db, again=True, create=False)
    elif args.child == "ours-sms":
        result = ours(path, db, again=False, create=True)
    elif args.child == "ref-linkedin":
        result = reference_linkedin(path, db)
    elif args.child == "floor-sms":
        result = floor_sms(int(args.path), db)
    elif args.child == "floor-expat":
        result = floor_expat(path)
    else:
        result = reference_sms(path, db)
    print(json.dumps(result))
    sys.exit(0)


def run_child(
    kind: str, path: Path | str, db: Path, fresh: bool = True, keep: bool = False
) -> dict[str, Any]:
    """Run one child into ``db`` (a new file unless not ``fresh``; deleted after unless
    ``keep``)."""
    if fresh:
        for leftover in db.parent.glob(f"{db.name}*"):
            leftover.unlink()
    command = [sys.executable, __file__, "--child", kind, "--path", str(path), "--db", str(db)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"  {kind} {Path(path).name}: {result}", flush=True)
    if not keep:
        for leftover in db.parent.glob(f"{db.name}*"):
            leftover.unlink()
    return result


# -- report -------------------------------------------------------------------------------


def sms_rows(label: str, texts: int, mine: dict[str, Any], ref: dict[str, Any]) -> list[Row]:
    """Rate and peak memory of an SMS import beside the reference's; ``label`` names it,
    ending with the database it goes into (the targets hold for an empty one)."""
    ours_s, ref_s = mine["times"][0], ref["times"][0]
    rate, ref_rate = texts / ours_s, texts / ref_s
    empty = label.endswith("an empty database")
    return [
        (
            f"{label}: messages per second",
            f"{rate:,.0f}/s ({ours_s:.1f} s, CPU {mine['cpu'][0]:.1f} s)",
            f"{ref_rate:,.0f}/s ({ref_s:.1f} s, CPU {ref['cpu'][0]:.1f} s)",
            f"{ours_s / ref_s:.2f}x",
            "≥ 50,000/s" if empty else "-",
            verdict(rate >= 50_000) if empty else "-",
        ),
        (
            f"{label}: peak memory (process RSS)",
            f"{mine['peak_mb']:.0f} MB",
            f"{ref['peak_mb']:.0f} MB",
            f"{mine['peak_mb'] / ref['peak_mb']:.2f}x",
            "< 150 MB",
            verdict(mine["peak_mb"] < 150),
        ),
    ]


def sms_runs(work: Path, texts: int, db: Path) -> list[Row]:
    """An SMS backup of ``texts`` messages into an empty database (ours, then the
    reference); for the full size, also a later backup of a tenth of that on top of what
    each left (half of its people new), the same backup plainer, and the floors: SQLite
    alone on the first one's rows, expat alone on its file."""
    rows: list[Row] = []
    backup = work / f"sms-{texts}.xml"
    print(f"SMS backup of {texts:,} messages ...", flush=True)
    write_sms(backup, texts)
    size_mb = backup.stat().st_size / 1e6
    later = work / f"sms-later-{texts}.xml"
    more = max(texts // 10, 1)
    write_sms(later, more, first=texts, people=NUMBERS // 2)
    label = f"SMS backup, {texts:,} messages ({size_mb:.0f} MB), `--create-contacts`"
    mine = run_child("ours-sms", backup, db, keep=True)
    mine_later = run_child("ours-sms", later, db, fresh=False)
    ref = run_child("ref-sms", backup, db, keep=True)
    ref_later = run_child("ref-sms", later, db, fresh=False)
    rows.extend(sms_rows(f"{label}, into an empty database", texts, mine, ref))
    what = (
        f"a later backup, {more:,} messages (half from new people), into the database the"
        f" {texts:,} left"
    )
    rows.extend(sms_rows(what, more, mine_later, ref_later))
    plain = work / f"sms-plain-{texts}.xml"
    write_sms(plain, texts, plain=True)
    plain_mb = plain.stat().st_size / 1e6
    mine_plain = run_child("ours-sms", plain, db)
    ref_plain = run_child("ref-sms", plain, db)
    what = (
        f"the same backup plainer ({plain_mb:.0f} MB: every number in E.164, no emoji),"
        " into an empty database"
    )
    rows.extend(sms_rows(what, texts, mine_plain, ref_plain))
    floors = (
        (
            run_child("floor-sms", str(texts), db),
            f"SQLite alone: the {texts:,} touches as the import writes them (batches of"
            " 5,000, the search index caught up after each, the source and contact"
            " indexes built at the end, the commit)",
        ),
        (
            run_child("floor-expat", backup, db),
            f"expat alone: the {texts:,}-message backup parsed as the import reads it, to"
            " a handler that does nothing",
        ),
    )
    for floor, what in floors:
        seconds = floor["times"][0]
        rows.append(
            (
                what,
                f"{texts / seconds:,.0f}/s ({seconds:.1f} s)",
                "-",
                f"{seconds / mine['times'][0]:.2f}x of ours",
                "-",
                "-",
            )
        )
    backup.unlink()
    later.unlink()
    plain.unlink()
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--connections", type=int, default=30_000)
    parser.add_argument("--texts", type=int, default=1_000_000)
    output_options(parser)
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    parser.add_argument("--path", default="", help=argparse.SUPPRESS)
    parser.add_argument("--db", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_main(args)

    rows: list[Row] = []
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="outreach-bench-import-") as scratch:
        work = Path(scratch)
        export, db = work / "export", work / "bench.db"
        print(f"LinkedIn export of {args.connections:,} connections ...", flush=True)
        write_linkedin(export, args.connections)
        mine = run_child("ours-linkedin", export, db)
        ref = run_child("ref-linkedin", export, db)
        first, again = mine["times"]
        ref_s = ref["times"][0]
        what = (
            f"LinkedIn export, {args.connections:,} connections + {args.connections // 10:,}"
            f" invitations + {args.connections // 3:,} messages, into an empty database"
        )
        ratio = f"{first / ref_s:.2f}x"
        rows.append((what, f"{first:.2f} s", f"{ref_s:.2f} s", ratio, "≤ 3 s", verdict(first <= 3)))
        rows.append(
            (
                "the same export again (nothing new)",
                f"{again:.2f} s",
                f"{ref_s:.2f} s",
                f"{again / ref_s:.2f}x",
                "-",
                "-",
            )
        )
        rows.extend(sms_runs(work, args.texts, db))
        small = max(args.texts // 10, 1)
        backup = work / f"sms-{small}.xml"
        print(f"SMS backup of {small:,} messages ...", flush=True)
        write_sms(backup, small)
        size_mb = backup.stat().st_size / 1e6
        label = f"SMS backup, {small:,} messages ({size_mb:.0f} MB), `--create-contacts`"
        mine = run_child("ours-sms", backup, db)
        ref = run_child("ref-sms", backup, db)
        rows.extend(sms_rows(f"{label}, into an empty database", small, mine, ref))

    command = "python benchmarks/bench_import.py"
    if args.connections != 30_000:
        command += f" --connections {args.connections}"
    if args.texts != 1_000_000:
        command += f" --texts {args.texts}"
    context = (
        f"2 cores, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version},"
        f" {date.today().isoformat()}, load average {load_before:.1f} before and"
        f" {os.getloadavg()[0]:.1f} after"
    )
    body = f"## {SECTION}\n\n`{command}` ({context})\n\n{table(rows)}\n"
    print()
    publish(args.results, SECTION, body, not args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
