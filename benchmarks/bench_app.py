"""Benchmark the app: opening it (first paint) and resolving a Today item.

    python benchmarks/bench_app.py                      # 30,000 contacts / 300,000 touches
    python benchmarks/bench_app.py --runs 9 --key-runs 9

Uses the databases of ``bench_core`` (built once by ``gen_data``, then cached), copied to a
scratch folder so the benchmark's own writes never touch the cache, and times:

1. **Opening**: a fresh Python process per run (``python bench_app.py --child ...``) runs the
   app headless (``App.run_test``) and reports ``time.perf_counter()`` (the system's
   monotonic clock, shared by every process) at the first screen update that shows the
   screen it opened on with its data: Today with its queue loaded (``outreach app``), or
   Contacts with its first page of rows (``outreach app --screen contacts``). The parent
   reads the clock just before starting the process, so each figure runs from process
   start (interpreter, imports, opening the database) to first paint. The run that opens
   on Today then presses ``2`` and reports the first update of Contacts with its rows
   (a secondary row: Contacts reached as from Today). The same is done with 100 contacts
   and with a bare Textual app that paints one static screen (its process imports nothing
   of ours); they run in turns so the machine's load hits them alike. Targets: within 1.2x
   of 100 contacts, within 1.5x of the bare app. A floor runs in turns with them: the bare
   app, in a process that first imports what Today's first paint imports (the CLI, the
   app, Today's screen), so the share that is only our code loading shows. Every process
   runs as an installed app does, with compiled bytecode (kept in the scratch folder,
   written by a warm-up run, even when ``PYTHONDONTWRITEBYTECODE`` is set), so no run pays
   for compiling our modules.
2. **Interaction**: at the large size, in one process, the cursor goes to the first Today
   item, ``s`` opens the snooze dialog and ``1`` (tomorrow) resolves it; the time runs from
   the ``1`` key to the first screen update of Today without that item. The same with
   ``w`` (withdraw) on a stale invitation, a single key. Target: under 100 ms (median).

Prints a markdown table and writes it, with the command, as the "App" section of
``benchmarks/RESULTS.md`` (replacing an earlier one).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
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
from datetime import date, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from report import Row, output_options, publish, table, verdict  # noqa: E402

SIZE = (120, 40)
SECTION = "App"
SMALL = (100, 1_000)


# -- the child process: one app run, reporting when it first paints ----------------------
# The child imports nothing of ours that the app would not import itself (no screens, no
# generator), and the bare app's child nothing of ours at all.
def now_fn() -> Callable[[], datetime]:
    """The app's clock: the end of the generated history's review day."""
    import gen_data

    from tracker.timeutil import local_tz, parse_as_of

    moment = parse_as_of(gen_data.AS_OF, local_tz(gen_data.TIMEZONE))
    fixed = moment if isinstance(moment, datetime) else datetime.fromisoformat(str(moment))
    return lambda: fixed


def first_page(screen: Any) -> bool:
    """The Contacts screen's table has its first page of rows."""
    return screen.query_one("#contacts")._pages.get(0) is not None


def make_outreach_app(db: Path, demo: Path, marks: dict[str, float], start: str = "today") -> Any:
    """An ``OutreachApp`` opening on ``start`` that records when Today and Contacts first
    paint loaded (screens are told apart by name: importing them here would hide what the
    app itself imports late)."""
    import gen_data

    import tracker.cli  # noqa: F401 (what the `outreach` command imports before the app)
    from tracker.config import Settings
    from tracker.ui.app import OutreachApp

    class Timed(OutreachApp):
        CSS_PATH = str(
            Path(sys.modules[OutreachApp.__module__].__file__ or "").parent / "tracker.tcss"
        )
        awaited: str | None = None
        """The key of an item whose disappearance from Today is awaited."""

        def _display(self, screen: Any, renderable: Any) -> None:
            super()._display(screen, renderable)
            if renderable is None or self._batch_count:
                return
            stamp = time.perf_counter()
            kind = type(screen).__name__
            if kind == "TodayScreen" and self.queue is not None:
                shown = screen.query_one("#queue").entries
                if "today" not in marks and len(shown) == len(self.queue.entries):
                    marks["today"] = stamp
                if self.awaited is not None and all(e.key != self.awaited for e in shown):
                    marks["gone"] = stamp
                    self.awaited = None
            elif kind == "ContactsScreen" and "contacts" not in marks and first_page(screen):
                marks["contacts"] = stamp

    settings = Settings(timezone=gen_data.TIMEZONE)
    return Timed(db, settings, now=now_fn(), demo_path=demo, start=start)


def make_bare_app(marks: dict[str, float]) -> Any:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("Hello, one static screen.")

        def _display(self, screen: Any, renderable: Any) -> None:
            super()._display(screen, renderable)
            if renderable is not None and not self._batch_count and "bare" not in marks:
                marks["bare"] = time.perf_counter()

    return Bare()


async def wait_for(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not get there in time")
        await asyncio.sleep(0.001)


def import_floor() -> None:
    """Import what the app imports before the first paint of Today: the CLI (the
    ``outreach`` command's own module), the app and Today's screen, no database opened."""
    import tracker.cli  # noqa: F401
    from tracker.ui.app import OutreachApp  # noqa: F401
    from tracker.ui.screens import screen_class

    screen_class("today")


async def child_run(kind: str, db: Path | None, demo: Path, start: str) -> dict[str, float]:
    """Marks: ``bare``; ``floor`` (the bare app after our imports); or ``today`` then
    ``via_today`` (Contacts after ``2``); or ``contacts`` (opened on Contacts)."""
    marks: dict[str, float] = {}
    if kind in ("bare", "floor"):
        if kind == "floor":
            import_floor()
        async with make_bare_app(marks).run_test(size=SIZE):
            await wait_for(lambda: "bare" in marks)
        return {kind: marks["bare"]}
    app = make_outreach_app(db, demo, marks, start)  # type: ignore[arg-type]
    async with app.run_test(size=SIZE) as pilot:
        if start == "contacts":
            await wait_for(lambda: "contacts" in marks)
            return marks
        await wait_for(lambda: "today" in marks)
        await pilot.press("2")
        await wait_for(lambda: "contacts" in marks)
    marks["via_today"] = marks.pop("contacts")
    return marks


def child_main(kind: str, db: str, demo: str, start: str) -> None:
    marks = asyncio.run(child_run(kind, Path(db) if db else None, Path(demo), start))
    print(json.dumps(marks), flush=True)
    os._exit(0)  # teardown is not part of the measure


# -- the parent: opening ------------------------------------------------------------------
def open_once(
    kind: str, db: Path | None, demo: Path, start: str, env: dict[str, str]
) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", kind, "--db", str(db or "")]
    command += ["--demo", str(demo), "--start", start]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
    marks = json.loads(done.stdout.strip().splitlines()[-1])
    return {name: stamp - started for name, stamp in marks.items()}


def bench_open(
    large: Path, small: Path, demo: Path, runs: int, pycache: Path
) -> dict[str, dict[str, float]]:
    """Medians per size (``large``, ``small``, ``bare``) of each mark (``today``,
    ``via_today``, ``contacts``, ``bare``), the kinds of start taking turns."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    starts: list[tuple[str, Path | None, str]] = [
        ("large", large, "today"),
        ("small", small, "today"),
        ("bare", None, "today"),
        ("floor", None, "today"),
        ("large", large, "contacts"),
        ("small", small, "contacts"),
    ]
    for kind, db, start in starts:  # warm-up: page cache, .pyc files
        open_once(kind, db, demo, start, env)
    times: dict[str, dict[str, list[float]]] = {"large": {}, "small": {}, "bare": {}, "floor": {}}
    for _ in range(runs):
        for kind, db, start in starts:
            for name, took in open_once(kind, db, demo, start, env).items():
                times[kind].setdefault(name, []).append(took)
    return {k: {n: statistics.median(v) for n, v in t.items()} for k, t in times.items()}


# -- the parent: interaction --------------------------------------------------------------
async def bench_keys(db: Path, demo: Path, runs: int) -> dict[str, list[float]]:
    from tracker.ui.dialogs.choice import SnoozeDialog
    from tracker.ui.screens.today import TodayScreen
    from tracker.ui.widgets.queue_list import QueueList

    marks: dict[str, float] = {}
    app = make_outreach_app(db, demo, marks)
    times: dict[str, list[float]] = {"snooze": [], "withdraw": []}

    async def idle() -> None:
        from textual.worker import WorkerCancelled

        for _ in range(200):
            with contextlib.suppress(WorkerCancelled):  # a newer draft replaced it
                await app.workers.wait_for_complete()
            await pilot.pause()
            if not any(w.is_running for w in app.workers):
                return

    async def resolve(kind: str, keys: Sequence[str], last: str) -> bool:
        await wait_for(lambda: isinstance(app.screen, TodayScreen))
        queue = app.screen.query_one(QueueList)
        wanted = [i for i, e in enumerate(queue.entries) if kind == "" or e.item.kind.value == kind]
        if not wanted:
            return False
        queue.cursor = wanted[0]
        await pilot.pause()
        entry = queue.entries[wanted[0]]
        if keys:
            await pilot.press(*keys)
            await wait_for(lambda: isinstance(app.screen, SnoozeDialog))
        marks.pop("gone", None)
        app.awaited = entry.key
        started = time.perf_counter()
        await pilot.press(last)
        await wait_for(lambda: "gone" in marks)
        times["snooze" if keys else "withdraw"].append(marks["gone"] - started)
        await idle()  # the fresh queue from the write lands before the next try
        return True

    async with app.run_test(size=SIZE) as pilot:
        await wait_for(lambda: "today" in marks)
        await idle()
        for _ in range(runs):
            await resolve("", ["s"], "1")
            await resolve("stale_invite", [], "w")
    return times


# -- report -------------------------------------------------------------------------------
def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--contacts", type=int, default=30_000)
    parser.add_argument("--touches", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=7, help="app starts of each kind")
    parser.add_argument("--key-runs", type=int, default=9, help="items resolved per key")
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "outreach-bench"
    )
    parser.add_argument("--rebuild", action="store_true", help="build the databases again")
    output_options(parser)
    parser.add_argument(
        "--child", choices=["app", "large", "small", "bare", "floor"], help=argparse.SUPPRESS
    )
    parser.add_argument("--db", default="", help=argparse.SUPPRESS)
    parser.add_argument("--demo", default="", help=argparse.SUPPRESS)
    parser.add_argument("--start", default="today", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_main(args.child, args.db, args.demo, args.start)

    import gen_data
    from bench_core import cached_db

    cached_large = cached_db(args.cache, args.contacts, args.touches, args.seed, args.rebuild)
    cached_small = cached_db(args.cache, *SMALL, args.seed, args.rebuild)
    with tempfile.TemporaryDirectory(prefix="outreach-bench-app-") as scratch:
        work = Path(scratch)
        large, small, keys_db = work / "large.db", work / "small.db", work / "keys.db"
        shutil.copyfile(cached_large, large)
        shutil.copyfile(cached_small, small)
        shutil.copyfile(cached_large, keys_db)
        demo = work / "demo.db"
        print(f"opening the app, {args.runs} runs of each kind ...", flush=True)
        opened = bench_open(large, small, demo, args.runs, work / "pycache")
        print(f"resolving Today items, {args.key_runs} of each ...", flush=True)
        keys = asyncio.run(bench_keys(keys_db, demo, args.key_runs))

    big, little, bare = opened["large"], opened["small"], opened["bare"]
    floor = opened["floor"]["floor"]
    size = f"{args.contacts:,} contacts / {args.touches:,} touches"
    rows: list[Row] = []
    labels = {
        "today": "Today (`outreach app`)",
        "contacts": "Contacts (`outreach app --screen contacts`)",
        "via_today": "Contacts reached from Today (`2` pressed at Today's first paint)",
    }
    for mark, label in labels.items():
        what = f"process start to first paint of {label}, {size}, median of {args.runs}"
        ratio = big[mark] / little[mark]
        rows.append(
            (what, fmt_ms(big[mark]), f"{fmt_ms(little[mark])} ({SMALL[0]} contacts)",
             f"{ratio:.2f}x", "≤ 1.2x", verdict(ratio <= 1.2))
        )  # fmt: skip
        if mark == "via_today":
            continue  # two screens in a row: no bare app to set beside it
        ratio = big[mark] / bare["bare"]
        rows.append(
            (what, fmt_ms(big[mark]), f"{fmt_ms(bare['bare'])} (bare Textual app)",
             f"{ratio:.2f}x", "≤ 1.5x", verdict(ratio <= 1.5))
        )  # fmt: skip
        if mark == "today":
            what = (
                "floor: the bare app's screen after importing what Today's first paint"
                f" imports (the CLI, the app, Today's screen; no database), median of {args.runs}"
            )
            ratio = floor / bare["bare"]
            rows.append(
                (what, fmt_ms(floor), f"{fmt_ms(bare['bare'])} (bare Textual app)",
                 f"{ratio:.2f}x", "-", "-")
            )  # fmt: skip
    for name, label in (("snooze", "`s` then `1` (snooze to tomorrow), from the `1`"),
                        ("withdraw", "`w` on a stale invitation")):  # fmt: skip
        if keys[name]:
            took = statistics.median(keys[name])
            what = (
                f"Today item resolved by {label} to repaint without it, {size}, "
                f"median of {len(keys[name])}"
            )
            rows.append((what, fmt_ms(took), "-", "-", "< 100 ms", verdict(took < 0.1)))

    command = "python benchmarks/bench_app.py"
    if (args.contacts, args.touches) != (30_000, 300_000):
        command += f" --contacts {args.contacts} --touches {args.touches}"
    machine = (
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {date.today().isoformat()}"
    )
    body = (
        f"## {SECTION}\n\n`{command}` (headless `App.run_test` at {SIZE[0]}x{SIZE[1]}, "
        f"as of {gen_data.AS_OF}, {gen_data.TIMEZONE}; {machine})\n\n{table(rows)}\n"
    )
    publish(args.results, SECTION, body, not args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
