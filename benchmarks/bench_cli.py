"""Benchmark the review and the export at real sizes, each beside its reference in the
same run, the figures of issue 20 in one command:

    /tmp/outreach-venv/bin/python benchmarks/bench_cli.py          # every row
    /tmp/outreach-venv/bin/python benchmarks/bench_cli.py --texts 100000 --skip-core

(run with the python of an environment where this checkout is installed: see
``installed.py``). Every timed process runs from a scratch folder as a user's machine
runs it, with no configuration file (the system's time zone). The machine is shared, so
each command runs in turns with its reference for several rounds, and the table gives
the best of each (the median beside it); the load average before and after is printed.

- **The review of a LinkedIn history.** A LinkedIn export of N connections (default
  30,000; ``import_data.write_linkedin``: N/10 invitations, half accepted, half pending
  since long ago) whose messages file holds N/3 conversations of the last five weeks, 19
  in 20 a message of the rep's with no reply, is imported; that is about 10,000 items due
  (the pending invitations and the unanswered messages), about 1,300 of them lapsed.
  ``outreach review --format json`` and ``outreach review --format json --all`` are timed
  against ``python -c "import tracker.cli"``; target within 2x each. Two floors are timed
  beside them: a process that imports the CLI, opens the database and reads the
  candidates' rows (the SQL alone), then builds their contacts and summaries
  (``Tracker.review_entries``), with no rule, message or JSON. A profile follows the
  table: each stage of the command past its imports, timed on its own in one process.
- **The review in the store** (``Tracker.full_review``, what ``Store.review`` became) on
  the generated database of 100,000 contacts / 1,000,000 touches (``gen_data``, as
  ``bench_core`` builds it), about 2,000 items; target 50 ms. Floors: reading the
  candidates' rows alone, and with their objects.
- **The export of the touches**, ``outreach export touches --out``, of that generated
  database and of a database imported (``--create-contacts``) from an SMS backup of M
  texts (``import_data.write_sms``; cached in ``--cache`` once built), each against
  ``sqlite3 -csv -header`` running the export's own query (every touch with its
  contact's name); target within 1.5x. Floor: the ``sqlite3`` shell running the SQL that
  builds our lines, summing their lengths (no Python at all).

The histories are dated from today, so the review runs as of now, as typed. Prints a
markdown table and writes it, with the command, as the "CLI" section of
``benchmarks/RESULTS.md`` (replacing an earlier one).
"""

from __future__ import annotations

import argparse
import contextlib
import json
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
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import gen_data  # noqa: E402
import import_data  # noqa: E402
from bench_core import cached_db  # noqa: E402
from installed import installed_command, user_env  # noqa: E402
from report import Row, output_options, publish, table, verdict  # noqa: E402

from tracker.config import Settings  # noqa: E402
from tracker.service import Tracker, open_store  # noqa: E402
from tracker.store.export import EXPORT_QUERIES, lines_script  # noqa: E402
from tracker.timeutil import Clock, local_tz, parse_as_of  # noqa: E402

SECTION = "CLI"
ME = import_data.ME
REPLIED_ONE_IN = 20
"""One conversation in this many is the contact's message (no item due)."""
SPREAD_DAYS = 36
"""The rep's messages are 3 to 3 + SPREAD_DAYS - 1 days old: due 0-35 days, so those due
more than the 30-day horizon are lapsed."""
FLOOR_SCRIPT = """
import sys, time
import tracker.cli
from tracker.config import Settings
from tracker.service import Tracker, open_store
from tracker.timeutil import system_tz
store = open_store(sys.argv[1])
tracker = Tracker(store, Settings(), system_tz())
clock = tracker.clock(None)
if sys.argv[2] == "rows":
    store.execute(*store.entries_sql(clock, tracker.settings)).fetchall()
else:
    tracker.review_entries(clock)
"""
"""What the review floors run: the CLI imported, the database opened, and the candidates'
rows read (``rows``), or read and turned into contacts and summaries (``entries``)."""
PROFILE_SCRIPT = """
import json, sys, time
now = time.perf_counter
from tracker.cli.render import dumps_records
from tracker.config import Settings
from tracker.export import review_records_json
from tracker.service import Tracker, open_store
from tracker.timeutil import system_tz
store = open_store(sys.argv[1])
tz = system_tz()
tracker = Tracker(store, Settings(), tz)
clock = tracker.clock(None)
marks = [now()]
store.execute(*store.entries_sql(clock, tracker.settings)).fetchall()
marks.append(now())
tracker.review_entries(clock)
marks.append(now())
items = tracker.full_review(clock).queue
marks.append(now())
messages = tracker.item_messages(items)
marks.append(now())
records = review_records_json(items, tz, messages)
marks.append(now())
dumps_records(records)
marks.append(now())
spans = [b - a for a, b in zip(marks, marks[1:])]
print(json.dumps({"items": len(items), "spans": spans}))
"""
"""What the review's profile runs, in one process as ``outreach review --format json`` does
(the CLI's imports already paid: they are the reference): each stage timed on its own,
the rows read, the rows with their objects, the whole review, then each item's message,
its JSON record and the list."""
PROFILE_STAGES = (
    "SQL: the candidates' rows read",
    "their contacts and summaries built",
    "the rules (with snoozes, key dates, sequences)",
    "each item's own message (one statement per channel)",
    "each item's JSON record",
    "the records joined into the list",
)


# -- data ---------------------------------------------------------------------------------
def write_linkedin_review(folder: Path, connections: int, today: date) -> None:
    """``import_data``'s LinkedIn export, its messages replaced by recent conversations."""
    import_data.write_linkedin(folder, connections)
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
    with open(stdout, "wb") if stdout else open(os.devnull, "wb") as sink:
        subprocess.run(
            command, env=env, cwd=cwd, stdout=sink, stderr=subprocess.DEVNULL, check=True
        )


class Timed:
    """Wall times of one command over the rounds."""

    def __init__(self, times: list[float]) -> None:
        self.best, self.median = min(times), statistics.median(times)

    def __str__(self) -> str:
        return f"{fmt_s(self.best)} (median {fmt_s(self.median)})"


def interleaved(commands: dict[str, Callable[[], object]], rounds: int) -> dict[str, Timed]:
    """Each command's wall times, run in turns so the machine's load hits them alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, action in commands.items():
            started = time.perf_counter()
            action()
            times[name].append(time.perf_counter() - started)
    return {name: Timed(values) for name, values in times.items()}


def fmt_s(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


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


def ratio_row(what: str, ours: Timed, reference: str, ref: Timed, limit: float) -> Row:
    ratio = ours.best / ref.best
    target = f"≤ {limit:g}x"
    return (what, str(ours), f"{reference} {ref}", f"{ratio:.2f}x", target, verdict(ratio <= limit))


def floor_row(what: str, floor: Timed, ref: Timed) -> Row:
    return (
        f"floor: {what}",
        str(floor),
        "the reference above",
        f"{floor.best / ref.best:.2f}x",
        "-",
        "-",
    )


# -- the review -----------------------------------------------------------------------------
def bench_review(
    outreach: list[str], work: Path, env: dict[str, str], connections: int, rounds: int
) -> list[Row]:
    export, db = work / "linkedin", work / "linkedin.db"
    write_linkedin_review(export, connections, date.today())
    imported(outreach, "linkedin", export, db, env)
    review = [*outreach, "--db", str(db), "review", "--format", "json"]
    floor = [sys.executable, "-c", FLOOR_SCRIPT, str(db)]
    commands = {
        "review": review,
        "review --all": [*review, "--all"],
        "import": [sys.executable, "-c", "import tracker.cli"],
        "rows": [*floor, "rows"],
        "entries": [*floor, "entries"],
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
    times = interleaved(actions, rounds)
    reference = '`python -c "import tracker.cli"`'
    history = f"LinkedIn history of {connections:,} connections"
    rows: list[Row] = []
    for name in ("review", "review --all"):
        what = f"`outreach {name} --format json`, {history}, {counts[name]:,} items"
        rows.append(ratio_row(what, times[name], reference, times["import"], 2))
    rows.append(
        floor_row("import, open, read the candidates' rows", times["rows"], times["import"])
    )
    rows.append(
        floor_row("… and build their contacts and summaries", times["entries"], times["import"])
    )
    return rows


def review_profile(db: Path, env: dict[str, str], work: Path, rounds: int) -> str:
    """Where the time of ``outreach review --format json`` goes beyond its imports: each
    stage's best over ``rounds`` processes (warm), and per item; a markdown table."""
    spans: list[list[float]] = []
    items = 0
    for _ in range(rounds):
        done = subprocess.run(
            [sys.executable, "-c", PROFILE_SCRIPT, str(db)],
            env=env,
            cwd=work,
            capture_output=True,
            text=True,
            check=True,
        )
        found = json.loads(done.stdout.strip().splitlines()[-1])
        items = found["items"]
        spans.append(found["spans"])
    rows = ["| stage | best | per item |", "|---|---|---|"]
    # Each measured span holds the one before it where they nest (rows, then rows and
    # objects, then the whole review): the stage is the difference.
    best = [min(run[i] for run in spans) for i in range(len(PROFILE_STAGES))]
    stages = [best[0], best[1] - best[0], best[2] - best[1], *best[3:]]
    for name, took in zip(PROFILE_STAGES, stages, strict=True):
        rows.append(f"| {name} | {took * 1000:.0f} ms | {took * 1e6 / max(items, 1):.1f} µs |")
    total = sum(stages)
    rows.append(f"| all of them | {total * 1000:.0f} ms | {total * 1e6 / max(items, 1):.1f} µs |")
    return (
        f"Where `outreach review --format json` spends its time beyond the imports"
        f" ({items:,} items; each stage in one process as the command runs it, best of"
        f" {rounds}):\n\n" + "\n".join(rows)
    )


def bench_store_review(db: Path, rounds: int) -> list[Row]:
    """``Tracker.full_review`` in this process on the generated database, warm."""
    settings = Settings(timezone=gen_data.TIMEZONE)
    tz = local_tz(gen_data.TIMEZONE)
    clock = Clock(parse_as_of(gen_data.AS_OF, tz), tz)
    store = open_store(db)
    try:
        tracker = Tracker(store, settings, tz)
        found = tracker.full_review(clock)  # warm-up: page cache, imports
        sql, params = store.entries_sql(clock, settings)
        counts = store.counts()
        times = interleaved(
            {
                "review": lambda: tracker.full_review(clock),
                "rows": lambda: store.execute(sql, params).fetchall(),
                "entries": lambda: tracker.review_entries(clock),
            },
            rounds,
        )
    finally:
        store.close()
    items = len(found.queue) + len(found.lapsed)
    size = f"{counts['contacts']:,} contacts / {counts['touches']:,} touches"
    what = f"`Tracker.full_review` (`Store.review`), {size}, {items:,} items, warm"
    ok = verdict(times["review"].best <= 0.05)
    return [
        (what, str(times["review"]), "-", "-", "≤ 50 ms", ok),
        ("floor: reading the candidates' rows (SQL)", str(times["rows"]), "-", "-", "-", "-"),
        ("floor: … and their contacts and summaries", str(times["entries"]), "-", "-", "-", "-"),
    ]


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
    import_data.write_sms(backup, texts)
    try:
        imported(outreach, "sms", backup, db, env)
    finally:
        backup.unlink()
    return db


def bench_export(
    outreach: list[str], db: Path, work: Path, env: dict[str, str], what: str, rounds: int
) -> list[Row]:
    sqlite3_cli = shutil.which("sqlite3")
    ours_out, ref_out = work / "ours.csv", work / "sqlite3.csv"
    ours = [*outreach, "--db", str(db), "export", "touches", "--out", str(ours_out), "--force"]
    run(ours, env, work, None)  # warm the OS cache, apply newer schema steps
    with contextlib.closing(sqlite3.connect(db)) as conn:
        touches = conn.execute("SELECT count(*) FROM touches").fetchone()[0]
    what = f"`outreach export touches --out` of {touches:,} touches, {what}"
    if not sqlite3_cli:
        return [(what, "-", "`sqlite3`: not installed", "-", "≤ 1.5x", "-")]
    query = " ".join(EXPORT_QUERIES["touches"][1].split())
    reference = [sqlite3_cli, "-csv", "-header", str(db), query]
    fill, _, lines = lines_script("touches").rpartition("\n")
    lines = lines.rstrip(";").replace(" FROM ", " AS line FROM ", 1)
    floor = [sqlite3_cli, str(db), f"{fill}\nSELECT count(*), sum(length(line)) FROM ({lines});"]
    times = interleaved(
        {
            "ours": lambda: run(ours, env, work, None),
            "sqlite3": lambda: run(reference, env, work, ref_out),
            "floor": lambda: run(floor, env, work, None),
        },
        rounds,
    )
    with open(ours_out, "rb") as handle:
        lines = sum(chunk.count(b"\r\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    if lines <= touches:  # the header and one CRLF per touch at least
        raise SystemExit(f"export wrote {lines} line ends for {touches} touches")
    ref = "`sqlite3 -csv -header`, same query"
    return [
        ratio_row(what, times["ours"], ref, times["sqlite3"], 1.5),
        floor_row(
            "our lines built by SQL alone, in the `sqlite3` shell", times["floor"], times["sqlite3"]
        ),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--connections", type=int, default=30_000)
    parser.add_argument("--texts", type=int, default=1_000_000)
    parser.add_argument("--contacts", type=int, default=100_000, help="of the generated database")
    parser.add_argument("--touches", type=int, default=1_000_000, help="of the generated database")
    parser.add_argument("--rounds", type=int, default=9, help="rounds of the review timings")
    parser.add_argument("--store-rounds", type=int, default=25)
    parser.add_argument("--export-rounds", type=int, default=3)
    parser.add_argument("--skip-core", action="store_true", help="no generated database")
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "outreach-bench-cli"
    )
    parser.add_argument(
        "--core-cache", type=Path, default=Path(tempfile.gettempdir()) / "outreach-bench"
    )
    parser.add_argument("--rebuild", action="store_true", help="import the SMS backup again")
    output_options(parser)
    args = parser.parse_args(argv)

    before = load()
    with tempfile.TemporaryDirectory(prefix="outreach-bench-cli-") as scratch:
        work = Path(scratch)
        env = user_env(work / "home")
        outreach = installed_command(work, env)
        core = None
        if not args.skip_core:
            core = cached_db(args.core_cache, args.contacts, args.touches, 7, False)
        sms = sms_db(outreach, args.cache, args.texts, env, args.rebuild)
        print(f"timing ({load()}) ...", flush=True)
        rows = bench_review(outreach, work, env, args.connections, args.rounds)
        profile = review_profile(work / "linkedin.db", env, work, args.rounds)
        if core is not None:
            rows += bench_store_review(core, args.store_rounds)
            rows += bench_export(
                outreach, core, work, env, "generated database", args.export_rounds
            )
        rows += bench_export(
            outreach,
            sms,
            work,
            env,
            f"from an SMS backup of {args.texts:,} texts",
            args.export_rounds,
        )
    after = load()

    command = "python benchmarks/bench_cli.py"
    for flag, value, default in (
        ("--connections", args.connections, 30_000),
        ("--texts", args.texts, 1_000_000),
        ("--contacts", args.contacts, 100_000),
        ("--touches", args.touches, 1_000_000),
    ):
        if value != default:
            command += f" {flag} {value}"
    if args.skip_core:
        command += " --skip-core"
    context = (
        f"installed package, run from a scratch folder; best of {args.rounds} rounds"
        f" ({args.store_rounds} in the store, {args.export_rounds} of the exports), each in"
        f" turn with its reference, median in brackets; {os.cpu_count()} cores shared,"
        f" {before} before and {after} after; Python {platform.python_version()},"
        f" SQLite {sqlite3.sqlite_version}, {date.today().isoformat()}"
    )
    body = f"## {SECTION}\n\n`{command}` ({context})\n\n{table(rows)}\n\n{profile}\n"
    publish(args.results, SECTION, body, not args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
