"""What every benchmark prints and keeps: its markdown table (ours, reference, ratio,
target, met) and its section of ``benchmarks/RESULTS.md``, replaced on a rerun while the
notes above the sections and the other benchmarks' sections stay as they are."""

from __future__ import annotations

import argparse
from pathlib import Path

Row = tuple[str, str, str, str, str, str]
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def output_options(parser: argparse.ArgumentParser) -> None:
    """Every benchmark's ``--results`` (the file its section goes to) and ``--no-write``."""
    parser.add_argument("--results", type=Path, default=RESULTS, help="the file to write to")
    parser.add_argument("--no-write", action="store_true", help="print only")


def verdict(ok: bool) -> str:
    return "yes" if ok else "**no**"


def table(rows: list[Row]) -> str:
    lines = ["| what | ours | reference | ratio | target | met |", "|---|---|---|---|---|---|"]
    return "\n".join([*lines, *("| " + " | ".join(row) + " |" for row in rows)])


def _size(section: str) -> int:
    """The leading number of a database size's heading ("30,000 contacts / ..."), else 0."""
    first = section.split(" ", 1)[0].replace(",", "")
    return int(first) if first.isdigit() else 0


def write_section(path: Path, section: str, body: str) -> None:
    """Replace (or add) the section headed ``## {section}``; the rest stays. The core
    benchmark's sections (one per database size) come first, smallest first; the others
    follow in the order they were first written."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    first, *sections = text.split("\n## ")
    sections = [s.rstrip("\n") + "\n" for s in sections if s.split("\n", 1)[0] != section]
    sections.append(body.removeprefix("## "))
    sized = sorted((s for s in sections if _size(s)), key=_size)
    sections = sized + [s for s in sections if not _size(s)]
    path.write_text("\n## ".join([first.rstrip("\n") + "\n", *sections]), encoding="utf-8")


def publish(path: Path, section: str, body: str, write: bool) -> None:
    """Print ``body`` (a section: heading, command and table) and, with ``write``, put it
    in ``path`` in place of the earlier one (``write_section``). A section is rewritten
    whole: notes on its figures belong above the sections, not inside one."""
    print(f"\n{body}")
    if write:
        write_section(path, section, body)
        print(f"wrote {path.name}")
