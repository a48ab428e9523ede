"""Running ``outreach`` in-process and judging how it ended: success, or one clear line on
stderr with a non-zero exit and no traceback.

The runner keeps colour (``color=True``) so click does not strip escape sequences on the
way out: what a terminal would receive is what the tests see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from tracker.cli import cli

UNSAFE_FOR_TERMINAL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u061c]")
"""What must never reach a terminal raw: C0 and C1 controls (ESC and CSI start escape
sequences) except tab and newline, and the bidi overrides and isolates."""


@dataclass
class Run:
    code: int
    out: str
    err: str
    crash: BaseException | None
    """An exception other than the exit the CLI chose: a traceback in a real terminal."""

    def describe(self) -> str:
        return f"exit {self.code}\nstdout: {self.out[-800:]!r}\nstderr: {self.err[-800:]!r}" + (
            f"\ncrash: {self.crash!r}" if self.crash else ""
        )


def run(db: Path | None, *args: str, input: str | None = None) -> Run:
    """``outreach [--db DB] ARGS`` in-process."""
    prefix = ["--db", str(db)] if db is not None else []
    result = CliRunner().invoke(cli, [*prefix, *args], input=input, color=True)
    crash = result.exception
    if isinstance(crash, SystemExit):
        crash = None
    return Run(result.exit_code, result.stdout, result.stderr, crash)


def clean_error(result: Run, code: int | None = 2) -> str:
    """Assert ``result`` is one line on stderr, ``outreach: error: ...``, a non-zero exit
    (``code`` when given) and no traceback; return the message."""
    assert result.crash is None, result.describe()
    assert "Traceback" not in result.err + result.out, result.describe()
    if code is None:
        assert result.code != 0, result.describe()
    else:
        assert result.code == code, result.describe()
    assert result.err.endswith("\n") and result.err.count("\n") == 1, result.describe()
    assert result.err.startswith("outreach: error: "), result.describe()
    assert not UNSAFE_FOR_TERMINAL.search(result.err), result.describe()
    return result.err[len("outreach: error: ") :].strip()


def success(result: Run) -> Run:
    """Assert ``result`` exited 0 without an exception."""
    assert result.crash is None and result.code == 0, result.describe()
    assert "Traceback" not in result.err, result.describe()
    return result
