"""Sequences drawn for a terminal: the Sequences panel of Insights (each sequence's
per-step funnel, from ``Tracker.sequence_report``) and a contact's plan as their screen
shows it (done, next, later steps). Rich renderables; no Textual, no database."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, tzinfo
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from tracker.insights.charts import bar, percent
from tracker.sequences.plan import Plan, plan_lines, status_words
from tracker.words import one_line

MARKS = {
    "done": ("✓", "green"),
    "skipped": ("–", "yellow"),
    "waiting": ("…", "cyan"),
    "next": ("→", "bold"),
    "later": ("·", "dim"),
    "ended": ("■", "italic"),
}
"""How each line of a plan is marked: done, skipped, waiting, next, later, the end."""


def plan_text(plans: Sequence[Plan], today: date, tz: tzinfo, key: str = "s") -> Text:
    """The contact's sequence: its status, then each step marked (``key``: what enrolls
    them, said when they are in none)."""
    text = Text()
    text.append("Sequence".ljust(14), style="bold")
    if not plans:
        text.append(f"none ({key} enrolls them in one)\n")
        return text
    plan = plans[0]
    text.append(one_line(plan.sequence), style="bold")
    text.append(f" · {status_words(plan, today)}")
    if not plan.current_version:
        text.append(" · older version", style="italic")
    text.append("\n")
    for state, line in plan_lines(plan, today, tz):
        mark, style = MARKS[state]
        text.append(f"  {mark} ", style=style)
        text.append(one_line(line) + "\n", style="dim" if state == "later" else "")
    return text


def sequences_panel(report: Sequence[dict[str, Any]] | str) -> RenderableType:
    """Each sequence someone was enrolled in: how many are running, replied, finished,
    and per step how many reached it, were done or skipped, and replied after it, with
    the acceptance of invitation steps. ``report`` may be why it could not be read."""
    title = Text("Sequences", style="bold underline")
    title.append("  enrollments started in the period", style="dim")
    if isinstance(report, str):
        return Group(title, Text(one_line(report), style="red"))
    used = [found for found in report if found["enrolled"]]
    if not used:
        names = ", ".join(found["name"] for found in report)
        return Group(
            title,
            Text(f"No one enrolled yet. Sequences: {names}.", style="italic"),
            Text("s on a contact enrolls them; `outreach sequences` lists the steps.", "dim"),
        )
    parts: list[RenderableType] = [title]
    for found in used:
        parts.append(_heading(found))
        parts.append(_funnel(found))
    return Group(*parts)


def _heading(found: dict[str, Any]) -> Text:
    text = Text(f"\n{one_line(found['name'])}", style="bold")
    counts = [
        f"{found['enrolled']} enrolled",
        f"{found['active']} running",
        f"{found['replied']} replied",
        f"{found['finished']} finished",
    ]
    if found["exited"]:
        counts.append(f"{found['exited']} exited")
    text.append("  " + " · ".join(counts), style="dim")
    return text


def _funnel(found: dict[str, Any]) -> Table:
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="dim")
    for name, justify in (
        ("Step", "left"),
        ("Reached", "left"),
        ("Done", "right"),
        ("Skipped", "right"),
        ("Replied after", "right"),
        ("Accepted", "right"),
    ):
        table.add_column(name, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    enrolled = max(found["enrolled"], 1)
    for step in found["steps"]:
        accepted = ""
        if "acceptance" in step:
            acceptance = step["acceptance"]
            decided = acceptance["accepted"] + acceptance["not_accepted"]
            accepted = f"{percent(acceptance['rate'])} of {decided}" if decided else "—"
        table.add_row(
            f"{step['step']}. {one_line(step['title'], 28)}",
            bar(step["reached"], enrolled, 8, style="cyan") + Text(f" {step['reached']}"),
            str(step["done"]),
            str(step["skipped"]),
            str(step["replied_after"]),
            accepted,
        )
    return table
