"""Benchmark the whole imports of email, WhatsApp chats and call logs (read, matched to
contacts, written in one transaction, summaries refreshed), each beside a reference.

    python benchmarks/bench_sources.py                     # 100,000 of each
    python benchmarks/bench_sources.py --messages 20000 --lines 100000 --calls 100000

The files are ``bench_readers.py``'s (a Gmail Takeout-like mbox with one message in ten
carrying a ~90 KB attachment, so 100,000 messages weigh about 1 GB; an Android WhatsApp
export; an Android call log), imported into a fresh database holding the 2,000 people
they speak of. Each import runs in a child process of its own, so its peak memory
(``ru_maxrss``) is its own:

- mbox: ``outreach import`` of the mbox against Python's ``mailbox.mbox`` only reading the
  same headers (target: twice its rate; peak RSS < 150 MB);
- WhatsApp: the import of a 100,000-line chat (target: under 3 s);
- call log: the import of 100,000 calls (target: under 3 s), beside
  ``xml.etree.ElementTree.iterparse`` only reading them.

Beside each wall time, the CPU time of the import (its two threads: the reader and the
SQLite writer): on a shared machine the wall time also holds the time others took.

Prints a markdown table and writes it, with the command, as the "Sources" section of
``benchmarks/RESULTS.md`` (replacing an earlier one) unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from bench_readers import (  # noqa: E402
    PEOPLE,
    peak_mb,
    reference_calls,
    reference_mail,
    write_calls,
    write_mbox,
    write_whatsapp,
)
from report import Row, output_options, publish, table, verdict  # noqa: E402

SECTION = "Sources"


def write_people(path: Path) -> None:
    """The people the files speak of, as a contacts CSV (emails and phones)."""
    with path.open("w", encoding="utf-8") as out:
        out.write("Name,Email,Phone\n")
        out.write("Dana Fictional,dana@example.com,+13125559999\n")
        for who in range(PEOPLE):
            out.write(f"Person {who},p{who}@ex.com,+1312555{who + 1000:04d}\n")


def full_import(path: Path, me: str) -> dict[str, Any]:
    """Import ``path`` into a fresh database holding the people (set up untimed)."""
    from tracker.config import Settings
    from tracker.importers import ImportOptions, run_import
    from tracker.service import Tracker

    work = path.parent / f"db-{path.stem[:12]}"
    work.mkdir(exist_ok=True)
    tracker = Tracker.open(work / "outreach.db", Settings(timezone="America/Chicago"))
    try:
        people = work / "people.csv"
        write_people(people)
        run_import(tracker, people)
        options = ImportOptions(me_values=(me,) if me else ())
        started, cpu = time.perf_counter(), time.process_time()
        summary = run_import(tracker, path, options=options)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        tracker.close()
    return {
        "seconds": seconds,
        "cpu": cpu,
        "records": summary.records,
        "touches": summary.touches_added,
        "peak_mb": peak_mb(),
    }


def ours_mail(path: Path) -> dict[str, Any]:
    return full_import(path, "sam@example.com")


def ours_whatsapp(path: Path) -> dict[str, Any]:
    return full_import(path, "Sam Seller")


def ours_calls(path: Path) -> dict[str, Any]:
    return full_import(path, "")


CHILDREN = {
    "ours-mail": ours_mail,
    "ref-mail": reference_mail,
    "ours-whatsapp": ours_whatsapp,
    "ours-calls": ours_calls,
    "ref-calls": reference_calls,
}


def child_main(args: argparse.Namespace) -> NoReturn:
    print(json.dumps(CHILDREN[args.child](Path(args.path))))
    sys.exit(0)


def run_child(kind: str, path: Path) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", kind, "--path", str(path)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"  {kind} {path.name}: {result}", flush=True)
    return result


def mail_rows(count: int, size_mb: float, mine: dict[str, Any], ref: dict[str, Any]) -> list[Row]:
    rate, ref_rate = count / mine["seconds"], count / ref["seconds"]
    label = f"mbox import, {count:,} messages ({size_mb:,.0f} MB, {mine['touches']:,} touches)"
    return [
        (
            f"{label}: messages per second",
            f"{rate:,.0f}/s ({mine['seconds']:.1f} s; CPU {mine['cpu']:.1f} s)",
            f"{ref_rate:,.0f}/s ({ref['seconds']:.1f} s)",
            f"{rate / ref_rate:.2f}x the rate",
            "≥ 2x the reference's rate",
            verdict(rate >= 2 * ref_rate),
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


def timed_row(what: str, mine: dict[str, Any], ref: dict[str, Any] | None) -> Row:
    seconds = mine["seconds"]
    reference = f"{ref['seconds']:.2f} s (read only)" if ref else "-"
    ratio = f"{seconds / ref['seconds']:.2f}x" if ref else "-"
    return (
        f"{what} ({mine['records']:,} records, {mine['touches']:,} touches, "
        f"{mine['peak_mb']:.0f} MB peak)",
        f"{seconds:.2f} s (CPU {mine['cpu']:.2f} s, both threads)",
        reference,
        ratio,
        "< 3 s",
        verdict(seconds < 3),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join((__doc__ or "").splitlines()[1:]),
    )
    parser.add_argument("--messages", type=int, default=100_000, help="messages in the mbox")
    parser.add_argument("--lines", type=int, default=100_000, help="lines of the WhatsApp chat")
    parser.add_argument("--calls", type=int, default=100_000, help="calls in the call log")
    output_options(parser)
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    parser.add_argument("--path", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_main(args)

    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="outreach-bench-sources-") as scratch:
        work = Path(scratch)
        mbox = work / "All mail Including Spam and Trash.mbox"
        print(f"mbox of {args.messages:,} messages ...", flush=True)
        write_mbox(mbox, args.messages)
        size_mb = mbox.stat().st_size / 1e6
        mine, ref = run_child("ours-mail", mbox), run_child("ref-mail", mbox)
        rows.extend(mail_rows(args.messages, size_mb, mine, ref))
        mbox.unlink()

        chat = work / "WhatsApp Chat with Dana Fictional.txt"
        print(f"WhatsApp export of {args.lines:,} lines ...", flush=True)
        write_whatsapp(chat, args.lines)
        mine = run_child("ours-whatsapp", chat)
        rows.append(timed_row(f"WhatsApp import, {args.lines:,} lines", mine, None))

        log = work / "calls-20240312.xml"
        print(f"call log of {args.calls:,} calls ...", flush=True)
        write_calls(log, args.calls)
        mine, ref = run_child("ours-calls", log), run_child("ref-calls", log)
        rows.append(timed_row(f"call log import, {args.calls:,} calls", mine, ref))

    command = "python benchmarks/bench_sources.py"
    for flag, value, default in (
        ("--messages", args.messages, 100_000),
        ("--lines", args.lines, 100_000),
        ("--calls", args.calls, 100_000),
    ):
        if value != default:
            command += f" {flag} {value}"
    load = os.getloadavg()[0]
    context = (
        f"2 cores, load average {load:.1f} at the end, Python {platform.python_version()}, "
        f"{date.today().isoformat()}"
    )
    body = f"## {SECTION}\n\n`{command}` ({context})\n\n{table(rows)}\n"
    print()
    publish(args.results, SECTION, body, not args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
