"""``benchmarks/gen_data.py`` is a script like the other benchmarks: ``--help``, and
``--contacts N --touches M --out FILE`` writes that database (the data every benchmark
figure is measured on), refusing to replace a file unless ``--force``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tracker.service import open_store

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "gen_data.py"


def gen(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=120
    )


def test_help() -> None:
    result = gen("--help")
    assert result.returncode == 0
    for option in ("--contacts", "--touches", "--seed", "--out", "--force"):
        assert option in result.stdout


def test_writes_the_database_asked_for(tmp_path: Path) -> None:
    out = tmp_path / "bench.db"
    result = gen("--contacts", "40", "--touches", "300", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "40 contacts, 300 touches" in result.stdout
    store = open_store(out)
    try:
        assert store.counts() == {"contacts": 40, "touches": 300}
    finally:
        store.close()
    again = gen("--contacts", "40", "--touches", "300", "--out", str(out))
    assert again.returncode == 2 and "--force" in again.stderr
    assert gen("--contacts", "40", "--touches", "300", "--out", str(out), "--force").returncode == 0
