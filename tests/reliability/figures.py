"""The figures the reliability checks report: per area, how many cases were tried, how many
faults were injected and how many saved rows were lost (always 0 when the suite is green).

The pytest run prints them at the end (``conftest.py``), and ``benchmarks/soak.py`` prints
the same lines after a longer run, so CI logs and the README quote the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

AREAS = (
    "crash safety",
    "two writers",
    "bad input",
    "hostile values",
    "storage faults",
    "upgrades",
    "privacy",
)


@dataclass
class Area:
    """What one area of the suite did in this run."""

    name: str
    cases: int = 0
    """Runs of the product against one input or one fault."""
    faults: int = 0
    """Faults injected: kills, full disks, corrupt pages, broken or mutated files..."""
    rows_lost: int = 0
    """Rows that were saved before a fault and missing after it."""
    details: dict[str, float | int | str] = field(default_factory=dict)
    """Figures particular to the area (outcomes, timings), printed after the counts."""

    def add(self, cases: int = 0, faults: int = 0, rows_lost: int = 0) -> None:
        self.cases += cases
        self.faults += faults
        self.rows_lost += rows_lost

    def count(self, key: str, by: int = 1) -> None:
        """Add ``by`` to the detail ``key`` (starting from 0)."""
        current = self.details.get(key, 0)
        assert isinstance(current, int)
        self.details[key] = current + by

    def line(self) -> str:
        """One line for a terminal: ``area: N cases, N faults injected, rows lost: 0 (...)``."""
        head = (
            f"{self.name}: {self.cases} cases, {self.faults} faults injected, "
            f"rows lost: {self.rows_lost}"
        )
        if not self.details:
            return head
        extras = ", ".join(f"{key} {_shown(value)}" for key, value in self.details.items())
        return f"{head} ({extras})"


def _shown(value: float | int | str) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)


class Figures:
    """Every area's figures for one run."""

    def __init__(self) -> None:
        self.areas: dict[str, Area] = {}

    def area(self, name: str) -> Area:
        if name not in AREAS:
            raise KeyError(f"unknown reliability area {name!r}")
        return self.areas.setdefault(name, Area(name))

    def lines(self) -> list[str]:
        """The areas that ran, in the order of ``AREAS``."""
        return [self.areas[name].line() for name in AREAS if name in self.areas]


FIGURES = Figures()
"""The figures of the current pytest run (the soak script keeps its own ``Figures``)."""
