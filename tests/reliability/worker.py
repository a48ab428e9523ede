"""Subprocess roles for the reliability checks, run as ``python worker.py ROLE ...``.

Each role imports what it needs, prints ``ready`` and waits for a line on stdin before it
starts, so the parent can start several at the same instant, or time a kill from the start
of the work rather than from interpreter start-up.

Roles:
  ``forkserver``: loads the CLI and importers once, then reads JSON requests on stdin.
  ``{"run": {args, output, env?, limits?}}`` forks a child running ``outreach ARGS`` (its
  output to the file ``output``) and prints ``pid N``, then ``exited N`` when it ends;
  ``{"kill": true|false}`` kills it first if asked, reaps it and prints
  ``exit N CODE`` (``-9`` when the kill landed). A fresh ``outreach import`` without the
  interpreter start-up: what the crash checks kill. With ``"trace": true`` in ``run`` the
  child also reports its write transactions on the server's stdout (``mark begin``, then
  ``mark commit N`` just before its N-th statement, the COMMIT, runs; or ``mark rollback``);
  with ``"stop_at": K`` as well it stops itself (SIGSTOP) just before the K-th statement of
  its first write transaction runs (or before its COMMIT, if that comes first), saying
  ``mark stopped K``: a kill then provably lands inside the transaction.
  ``open-race FOLDER ROUNDS RACERS``: RACERS forked ``outreach add`` on one new database at
  the same instant, ROUNDS times; prints a JSON summary.
  ``log-many DB COUNT FIRST LAST TAG``: ``outreach log`` COUNT times in-process, spread over
  contacts FIRST..LAST, each text ``TAG-n``; prints a JSON summary.
  ``app DB COUNT FIRST LAST``: what the app does: one Store held open, reads (the review,
  a page of contacts, a timeline) between COUNT logged touches; prints a JSON summary.
"""

from __future__ import annotations

import io
import json
import os
import resource
import select
import signal
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import redirect_stderr
from typing import Any


def _wait_for_go() -> None:
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        sys.exit(3)


def _trace_writes(report: int, stop_at: int = 0) -> None:
    """In a forked child: report on the descriptor ``report`` each write transaction the
    command runs (see ``mark`` in the module's notes), and with ``stop_at`` stop the whole
    process just before the ``stop_at``-th statement of the first one (or its COMMIT).

    Every SQLite connection opened from now on in this process is of a class that sees each
    statement as Python hands it to SQLite, on whichever thread runs it: each ``execute``,
    and each row of an ``executemany`` (its rows are read one at a time as it runs them).
    Not SQLite's trace callback: that one also fires for every trigger a row sets off, and
    each time builds the whole statement text with its parameters bound, which for a batch
    of rows sent as one JSON parameter makes the traced import quadratic.

    A mark is one ``os.write`` of a short line to a pipe: written whole, and in the pipe
    before the statement runs, so after a kill the marks tell exactly how far it got."""
    import sqlite3

    connect = sqlite3.connect
    state = {"open": False, "count": 0, "stopped": False}

    def mark(text: str) -> None:
        os.write(report, f"mark {text}\n".encode())

    def on_statement(sql: str) -> None:
        head = sql.lstrip()[:8].upper()
        if head.startswith("BEGIN"):
            state.update(open=True, count=0)
            mark("begin")
            return
        if not state["open"]:
            return
        state["count"] += 1
        commit = head.startswith(("COMMIT", "END"))
        if stop_at and not state["stopped"] and (state["count"] >= stop_at or commit):
            state["stopped"] = True
            mark(f"stopped {state['count']}")
            os.kill(os.getpid(), signal.SIGSTOP)  # every thread stops here, mid-transaction
        if commit:
            state["open"] = False
            mark(f"commit {state['count']}")
        elif head.startswith("ROLLBACK"):
            state["open"] = False
            mark("rollback")

    def each_row(sql: str, rows: Iterable[object]) -> Iterator[object]:
        for row in rows:
            on_statement(sql)
            yield row

    class Traced(sqlite3.Connection):
        def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
            on_statement(sql)
            return super().execute(sql, *args)

        def executemany(self, sql: str, rows: Any, /) -> sqlite3.Cursor:
            return super().executemany(sql, each_row(sql, rows))

    def traced(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        kwargs.setdefault("factory", Traced)
        return connect(*args, **kwargs)

    sqlite3.connect = traced  # type: ignore[assignment]


def _run_cli_child(
    args: list[str],
    output: str,
    limits: dict[str, int] | None = None,
    trace: bool = False,
    stop_at: int = 0,
) -> None:
    """In a forked child: ``outreach ARGS`` with stdout and stderr to ``output``; exits.

    ``limits`` may hold ``fsize`` (the largest file it may write, as on a full disk) and
    ``uid``/``gid`` (the user it runs as, to meet files it may not write). ``trace`` and
    ``stop_at``: see ``_trace_writes`` (the marks go to the server's own stdout)."""
    from tracker.cli import cli

    code = 0
    limits = limits or {}
    try:
        if trace or stop_at:
            _trace_writes(os.dup(1), stop_at)  # fd 1 is still the server's stdout here
        fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        if "fsize" in limits:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG, like ENOSPC, not death
            resource.setrlimit(resource.RLIMIT_FSIZE, (limits["fsize"], limits["fsize"]))
        if "uid" in limits:
            os.setgroups([])
            os.setgid(limits["gid"])
            os.setuid(limits["uid"])
        cli.main(args=args, prog_name="outreach")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _preload() -> None:
    """Everything the commands run here need, loaded before any fork (a child that has
    dropped its privileges may no longer be able to read the interpreter's files)."""
    import dateutil.tz  # noqa: F401

    import tracker.cli
    import tracker.coach.checks
    import tracker.export
    import tracker.importers.linkedin
    import tracker.importers.sms_android
    import tracker.priority
    import tracker.service.imports
    import tracker.stats  # noqa: F401


def forkserver_role() -> None:
    _preload()
    print("ready", flush=True)
    stdin = sys.stdin.fileno()
    pending = b""
    child, announced = 0, False
    while True:
        # No threads here: a fork while another thread holds a lock (stdout's, say) would
        # leave the child waiting on that lock forever. So poll the running child instead.
        ready, _, _ = select.select([stdin], [], [], 0.005 if child and not announced else None)
        # Has the child ended? Asked without reaping it: the pid stays ours (a zombie)
        # until "kill" or "reap", so a kill can never reach a process that took it over.
        if (
            child
            and not announced
            and os.waitid(os.P_PID, child, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
        ):
            print(f"exited {child}", flush=True)
            announced = True
        if not ready:
            continue
        data = os.read(stdin, 65536)
        if not data:
            return
        pending += data
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            request = json.loads(line)
            if "run" in request:
                run = request["run"]
                child, announced = os.fork(), False
                if child == 0:
                    os.environ.update(run.get("env", {}))
                    _run_cli_child(
                        run["args"],
                        run["output"],
                        run.get("limits"),
                        run.get("trace", False),
                        run.get("stop_at", 0),
                    )
                print(f"pid {child}", flush=True)
            else:
                if request.get("kill"):
                    os.kill(child, signal.SIGKILL)  # no handler, no clean-up: a power cut
                _, status = os.waitpid(child, 0)
                print(f"exit {child} {os.waitstatus_to_exitcode(status)}", flush=True)
                child, announced = 0, False


def open_race_role(folder: str, rounds: int, racers: int) -> None:
    """Each round, ``racers`` children released at the same instant run ``outreach add``
    on one brand-new database (the first ever start of the app and a script at once)."""
    _preload()
    failures: list[str] = []
    for round_number in range(rounds):
        db = os.path.join(folder, f"race{round_number}.db")
        gate_read, gate_write = os.pipe()
        children = []
        for racer in range(racers):
            output = f"{db}.{racer}.out"
            pid = os.fork()
            if pid == 0:
                os.close(gate_write)
                os.read(gate_read, 1)  # returns when the parent closes the gate
                _run_cli_child(["--db", db, "add", f"Racer {racer}"], output)
            children.append((pid, output))
        os.close(gate_read)
        os.close(gate_write)  # every racer starts now
        for pid, output in children:
            _, status = os.waitpid(pid, 0)
            if os.waitstatus_to_exitcode(status) != 0:
                with open(output, encoding="utf-8", errors="replace") as handle:
                    failures.append(handle.read().strip()[-300:])
    print(json.dumps({"rounds": rounds, "failures": failures}), flush=True)


def log_many_role(db: str, count: int, first: int, last: int, tag: str) -> None:
    from tracker.cli import cli

    channels = (["log", "email"], ["log", "call"], ["log", "sms", "--in"])
    span = last - first + 1
    _wait_for_go()
    started = time.perf_counter()
    ok, failures = 0, []
    for n in range(count):
        command = channels[n % len(channels)]
        args = ["--db", db, *command, str(first + n % span), "--text", f"{tag}-{n:05d}"]
        captured = io.StringIO()
        try:
            with redirect_stderr(captured):
                cli.main(args=args, prog_name="outreach", standalone_mode=False)
            ok += 1
        except SystemExit as exc:
            if exc.code in (0, None):
                ok += 1
            else:
                failures.append(captured.getvalue().strip() or f"exit {exc.code}")
    seconds = time.perf_counter() - started
    print(json.dumps({"ok": ok, "failures": failures, "seconds": seconds}), flush=True)


def app_role(db: str, count: int, first: int, last: int) -> None:
    from tracker.config import Settings
    from tracker.models import Channel, Direction
    from tracker.service import Tracker

    tracker = Tracker.open(db, Settings(timezone="America/Chicago"))
    span = last - first + 1
    _wait_for_go()
    started = time.perf_counter()
    reads, ok, failures = 0, 0, []
    try:
        for n in range(count):
            contact_id = first + n % span
            try:
                tracker.review()
                tracker.store.count_contacts()
                tracker.store.list_contacts(limit=100, offset=(n * 7) % 50)
                contact = tracker.store.get_contact(contact_id)
                tracker.store.touches_for(contact_id, newest_first=True)
                reads += 5
                tracker.log(contact, Channel.MEETING, Direction.OUT, text=f"app-{n:05d}")
                ok += 1
            except Exception as exc:  # the figure to report, not a crash to hide
                failures.append(f"{type(exc).__name__}: {exc}")
    finally:
        tracker.close()
    seconds = time.perf_counter() - started
    print(
        json.dumps({"ok": ok, "failures": failures, "reads": reads, "seconds": seconds}), flush=True
    )


def main(argv: list[str]) -> None:
    role, rest = argv[0], argv[1:]
    if role == "forkserver":
        forkserver_role()
    elif role == "open-race":
        folder, rounds, racers = rest
        open_race_role(folder, int(rounds), int(racers))
    elif role == "log-many":
        db, count, first, last, tag = rest
        log_many_role(db, int(count), int(first), int(last), tag)
    elif role == "app":
        db, count, first, last = rest
        app_role(db, int(count), int(first), int(last))
    else:
        sys.exit(f"unknown role {role!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
