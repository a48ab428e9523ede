"""Fixtures for the reliability suite, and the figures it prints at the end of the run.

Every area adds what it tried to ``FIGURES``; ``pytest_terminal_summary`` prints one line
per area (cases tried, faults injected, rows lost) so CI logs show them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.crash import FORKS
from tests.reliability.figures import FIGURES, Figures
from tests.reliability.generate import seed_database

needs_fork = pytest.mark.skipif(not FORKS, reason="needs os.fork and os.waitid (Linux)")


@pytest.fixture(scope="session")
def figures() -> Figures:
    return FIGURES


@pytest.fixture(scope="session")
def seed() -> int:
    """The random seed of this run (``RELIABILITY_SEED`` to replay one)."""
    return int(os.environ.get("RELIABILITY_SEED", "20261123"))


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small database with history, built once; tests copy it."""
    path = tmp_path_factory.mktemp("template") / "seeded.db"
    seed_database(path, contacts=12, overlap=4)
    return path


@pytest.fixture
def seeded_db(seeded_template: Path, tmp_path: Path) -> Iterator[Path]:
    """A fresh copy of the seeded database for one test."""
    path = tmp_path / "data" / "outreach.db"
    path.parent.mkdir(mode=0o700)
    shutil.copyfile(seeded_template, path)
    path.chmod(0o600)
    yield path


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    lines = FIGURES.lines()
    if lines:
        terminalreporter.section("reliability figures")
        for line in lines:
            terminalreporter.write_line(line)
