"""Running ``outreach`` the way a user's machine runs it, for the benchmarks that time the
CLI beside ``python -c "import tracker.cli"``.

From a checkout, ``python -c`` puts the working folder first on the path, so both the
command and the reference load (and may recompile) the checkout's sources, which makes
the reference slower and flatters every ratio. A user's machine runs an installed,
compiled package. So every timed process runs from a scratch folder, without
``PYTHONPATH``, with the interpreter of an environment where this checkout is installed:

    python3 -m venv /tmp/outreach-venv && /tmp/outreach-venv/bin/pip install -q .
    /tmp/outreach-venv/bin/python benchmarks/bench_cli.py

``installed_command`` refuses (with that advice) when the package the interpreter would
load is not this checkout's code, so a benchmark never times another version.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent
INSTALL_ADVICE = (
    "install this checkout into a throwaway environment and run the benchmark with its "
    "python:\n  python3 -m venv /tmp/outreach-venv && /tmp/outreach-venv/bin/pip install -q "
    f"{CHECKOUT}\n  /tmp/outreach-venv/bin/python {Path(sys.argv[0]).name} ..."
)


def user_env(home: Path) -> dict[str, str]:
    """The environment of a timed process: ours, less ``PYTHONPATH`` and anything that
    stops Python from using compiled bytecode, with ``OUTREACH_HOME`` at ``home``."""
    drop = {"PYTHONPATH", "PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["OUTREACH_HOME"] = str(home)
    return env


def _digest(package: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def installed_command(scratch: Path, env: dict[str, str]) -> list[str]:
    """The ``outreach`` command beside this interpreter, checked to load this checkout's
    code from outside the checkout; exits with advice otherwise."""
    where = subprocess.run(
        [sys.executable, "-c", "import tracker, os; print(os.path.dirname(tracker.__file__))"],
        cwd=scratch,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    package = Path(where.stdout.strip()) if where.returncode == 0 else None
    if package is None or _digest(package) != _digest(CHECKOUT / "tracker"):
        found = f"it loads {package}" if package else "it cannot import tracker"
        raise SystemExit(
            f"{sys.executable} does not run this checkout's code ({found}): {INSTALL_ADVICE}"
        )
    beside = Path(sys.executable).with_name("outreach")
    outreach = str(beside) if beside.exists() else shutil.which("outreach", path=env["PATH"])
    return [outreach] if outreach else [sys.executable, "-m", "tracker"]
