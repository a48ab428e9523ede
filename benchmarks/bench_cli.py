"""Benchmark the CLI on imported histories, each beside its reference in the same run.

    /tmp/outreach-venv/bin/python benchmarks/bench_cli.py         # 30,000 / 1,000,000
    /tmp/outreach-venv/bin/python benchmarks/bench_cli.py --texts 100000

(run with the python of an environment where this checkout is installed: see
``installed.py``). Every timed process runs from a scratch folder as a user's machine
runs it, with no configuration file (the system's time zone):

- **The review of a LinkedIn history.** A LinkedIn export of N connections (default
  30,000; ``bench_import.write_linkedin``: N/10 invitations, half accepted, half pending
  since long ago) whose messages file holds N/3 conversations of the last five weeks, 19
  in 20 a message of the rep's with no reply, is imported; that is about 10,000 items due
  (the pending invitations and the unanswered messages), about 1,300 of them lapsed.
  ``outreach review --format json`` and ``outreach review --format json --all`` are timed
  against ``python -c "import tracker.cli"``; target within 2x each.
- **The export of an SMS backup.** A database imported (``--create-contacts``) from an SMS
  backup of M texts (``bench_import.write_sms``; cached in ``--cache`` once built), then
  ``outreach export touches --out`` against ``sqlite3 -csv -header`` running the export's
  own query (every touch with its contact's name); target within 1.5x.

The histories are dated from today, so the review runs as of now, as typed. Prints a
markdown table and writes it, with the command, as the "CLI" section of
``benchmarks/RESULTS.md`` (replacing an earlier one).
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import bench_import  # noqa: E402
from installed import installed_command, user_env  # noqa: E402
from report import Row, table, verdict, write_section  # noqa: E402

from tracker.store.export import EXPORT_QUERIES  # noqa: E402

SECTION = "CLI"
ME = bench_import.ME
REPLIED_ONE_IN = 20
"""One conversation in this many is the contact's message (no item due)."""
SPREAD_DAYS = 36
"""The rep's messages are 3 to 3 + SPREAD_DAYS - 1 days old: due 0-35 days, so those due
more than the 30-day horizon are lapsed."""


# -- data ---------------------------------------------------------------------------------
def write_linkedin_review(folder: Path, connections: int, today: date) -> None:
    """``bench_import``'s LinkedIn export, its messages replaced by recent conversations."""
    bench_import.write_linkedin(folder, connections)
    noon = datetime(today.year, today.month, today.day, 12, tzinfo=UTC)
    with (folder / "messages.csv").open("w", encoding="utf-8", newline="") as out:
        out.write(
            "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,"
            "RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER\n"
        )
        for n in range(connections // 3):
            other = f"https://www.linkedin.com/in/person-{n}"
            replied = n % REPLIED_ONE_IN == 0
            sender, recipient = (other, ME) if replied else (ME, other)
            sent = noon - timedelta(days=3 + n % SPREAD_DAYS, seconds=n % 3600)
            out.write(
                f"conv-{n},,X,{sender},Y,{recipient},"
                f'{sent:%Y-%m-%d %H:%M:%S} UTC,,"Hi {n}, good to meet you",INBOX\n'
            )


def run(command: Sequence[str], env: dict[str, str], cwd: Path, stdout: Path | None) -> None:
    with open(stdout, "wb") if stdout else open("/dev/null", "wb") as sink:
        subprocess.run(
            command, env=env, cwd=cwd, stdout=sink, stderr=subprocess.DEVNULL, check=True
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


def fmt_s(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def imported(outreach: list[str], kind: str, source: Path, db: Path, env: dict[str, str]) -> None:
    """``db`` built by ``outreach import KIND SOURCE`` (a partial file never kept)."""
    partial = db.with_name(db.name + ".building")
    for leftover in db.parent.glob(partial.name + "*"):
        leftover.unlink()
    extra = ["--create-contacts"] if kind == "sms" else []
    print(f"importing {source.name} ...", flush=True)
    started = time.perf_counter()
    subprocess.run(
        [*outreach, "--db", str(partial), "import", kind, *extra, str(source)],
        env=env,
        cwd=source.parent,
        stdout=subprocess.DEVNULL,
        check=True,
    )
    partial.rename(db)
    print(f"imported in {time.perf_counter() - started:.1f} s", flush=True)


# -- the review -----------------------------------------------------------------------------
def bench_review(
    outreach: list[str], work: Path, env: dict[str, str], connections: int, runs: int
) -> list[Row]:
    export, db = work / "linkedin", work / "linkedin.db"
    write_linkedin_review(export, connections, date.today())
    imported(outreach, "linkedin", export, db, env)
    review = [*outreach, "--db", str(db), "review", "--format", "json"]
    commands = {
        "review": review,
        "review --all": [*review, "--all"],
        "import": [sys.executable, "-c", "import tracker.cli"],
    }
    counts: dict[str, int] = {}
    for name in ("review", "review --all"):  # warm the OS cache; count the items
        out = work / "review.json"
        run(commands[name], env, work, out)
        counts[name] = len(json.loads(out.read_text(encoding="utf-8")))
    actions = {
        name: (lambda command=command: run(command, env, work, None))
        for name, command in commands.items()
    }
    times = interleaved(actions, runs)
    reference = f'`python -c "import tracker.cli"` {fmt_s(times["import"])}'
    history = f"LinkedIn history of {connections:,} connections"
    rows: list[Row] = []
    for name in ("review", "review --all"):
        ratio = times[name] / times["import"]
        what = (
            f"`outreach {name} --format json`, {history}, {counts[name]:,} items, median of {runs}"
        )
        ours = fmt_s(times[name])
        rows.append((what, ours, reference, f"{ratio:.2f}x", "≤ 2x", verdict(ratio <= 2)))
    return rows


# -- the export -----------------------------------------------------------------------------
def sms_db(
    outreach: list[str], cache: Path, texts: int, env: dict[str, str], rebuild: bool
) -> Path:
    """The database imported from an SMS backup of ``texts`` messages (cached); newer
    schema steps are applied by the first command that opens it."""
    cache.mkdir(parents=True, exist_ok=True)
    db = cache / f"sms-{texts}.db"
    if db.exists() and not rebuild:
        return db
    backup = cache / f"sms-{texts}.xml"
    print(f"SMS backup of {texts:,} messages ...", flush=True)
    bench_import.write_sms(backup, texts)
    try:
        imported(outreach, "sms", backup, db, env)
    finally:
        backup.unlink()
    return db


def bench_export(
    outreach: list[str], db: Path, work: Path, env: dict[str, str], texts: int, runs: int
) -> list[Row]:
    sqlite3_cli = shutil.which("sqlite3")
    ours_out, ref_out = work / "ours.csv", work / "sqlite3.csv"
    ours = [*outreach, "--db", str(db), "export", "touches", "--out", str(ours_out), "--force"]
    run(ours, env, work, None)  # warm the OS cache, apply newer schema steps
    what = f"`outreach export touches --out`, database from an SMS backup of {texts:,} texts"
    if not sqlite3_cli:
        return [(what, "-", "`sqlite3`: not installed", "-", "≤ 1.5x", "-")]
    query = " ".join(EXPORT_QUERIES["touches"][1].split())
    reference = [sqlite3_cli, "-csv", "-header", str(db), query]
    times = interleaved(
        {
            "ours": lambda: run(ours, env, work, None),
            "sqlite3": lambda: run(reference, env, work, ref_out),
        },
        runs,
    )
    with open(ours_out, "rb") as handle:
        lines = sum(chunk.count(b"\r\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    if lines <= texts:  # the header and one CRLF per touch at least
        raise SystemExit(f"export wrote {lines} line ends for {texts} texts")
    ratio = times["ours"] / times["sqlite3"]
    ref = f"`sqlite3 -csv -header`, same query {fmt_s(times['sqlite3'])}"
    what += f", median of {runs}"
    return [(what, fmt_s(times["ours"]), ref, f"{ratio:.2f}x", "≤ 1.5x", verdict(ratio <= 1.5))]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--connections", type=int, default=30_000)
    parser.add_argument("--texts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=9, help="runs of the review timings")
    parser.add_argument("--export-runs", type=int, default=3)
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "outreach-bench-cli"
    )
    parser.add_argument("--rebuild", action="store_true", help="import the SMS backup again")
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="outreach-bench-cli-") as scratch:
        work = Path(scratch)
        env = user_env(work / "home")
        outreach = installed_command(work, env)
        rows = bench_review(outreach, work, env, args.connections, args.runs)
        db = sms_db(outreach, args.cache, args.texts, env, args.rebuild)
        rows += bench_export(outreach, db, work, env, args.texts, args.export_runs)

    command = "python benchmarks/bench_cli.py"
    if args.connections != 30_000:
        command += f" --connections {args.connections}"
    if args.texts != 1_000_000:
        command += f" --texts {args.texts}"
    context = (
        f"installed package, run from a scratch folder; 2 cores, Python "
        f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}, {date.today().isoformat()}"
    )
    body = f"## {SECTION}\n\n`{command}` ({context})\n\n{table(rows)}\n"
    print(f"\n{body}")
    if not args.no_write:
        write_section(args.results, SECTION, body)
        print(f"wrote {args.results.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
