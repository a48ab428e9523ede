"""The Insights panel on LinkedIn account health, drawn from ``Tracker.health()``: each
limit as a bar with the share used (yellow from ``warn_at_percent``, red at the limit),
acceptance over the last 30 days with the invitations too new to count beside it, the
withdraw suggestion with the command that records it, and the warnings."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from tracker.health import HealthReport, withdraw_command
from tracker.insights.charts import bar, percent
from tracker.insights.panels import heading

BAR = 16
LABELS = ("Invitations, 7 days", "Notes, this month", "Pending now", "Accepted, 30 days")


def _style(count: int, limit: int, warn_at_percent: int) -> str:
    if limit and count >= limit:
        return "red"
    if limit and count * 100 >= limit * warn_at_percent:
        return "yellow"
    return "green"


def _limit_row(
    table: Table, label: str, count: int, limit: int, what: str, warn_at: int, extra: str = ""
) -> None:
    if not limit:
        table.add_row(label, bar(None, 1, BAR), Text(f"{count:,} (no {what} set)", style="dim"))
        return
    style = _style(count, limit, warn_at)
    shown = Text(f"{count:,} of {limit:,}", style=f"bold {style}" if style != "green" else "")
    shown.append(f" {what}{extra}", style="dim")
    table.add_row(label, bar(count, limit, BAR, style=style), shown)


def _acceptance(cell: dict[str, Any], floor: float) -> Text:
    young = cell["pending_young"]
    if not cell["decided"]:
        return Text(f"none decided yet ({young} new)" if cell["sent"] else "none sent", "dim")
    text = Text(f"{percent(cell['rate'])} of {cell['decided']:,} decided")
    if young:
        text.append(f", {young} new", style="dim")
    text.append(f" (yours to keep above {percent(floor)})", style="dim")
    return text


def health(report: HealthReport, warn_at_percent: int, min_acceptance: float) -> RenderableType:
    """The panel: limits, pending, acceptance, what to withdraw, the warnings."""
    figures = report.figures
    table = Table(box=None, pad_edge=False, show_edge=False, show_header=False, expand=False)
    # The labels and bars keep their width; the figures wrap when the panel is narrow
    # (80 columns) rather than every column being cut short.
    table.add_column(no_wrap=True, min_width=max(map(len, LABELS)))
    table.add_column(no_wrap=True, min_width=BAR)
    table.add_column(overflow="fold")
    _limit_row(
        table,
        LABELS[0],
        figures["sent_7d"],
        figures["weekly_invite_limit"],
        "weekly limit",
        warn_at_percent,
    )
    _limit_row(
        table,
        LABELS[1],
        figures["notes_month"],
        figures["monthly_note_limit"],
        "monthly limit",
        warn_at_percent,
    )
    oldest = figures["oldest_pending_days"]
    _limit_row(
        table,
        LABELS[2],
        figures["pending"],
        figures["pending_ceiling"],
        "ceiling",
        warn_at_percent,
        f", the oldest {oldest:,} days" if oldest is not None else "",
    )
    table.add_row(
        LABELS[3],
        bar(figures["acceptance_30d"]["rate"], 1.0, BAR, mark=min_acceptance, style="green"),
        _acceptance(figures["acceptance_30d"], min_acceptance),
    )
    days, count = figures["withdraw_older_than_days"], figures["withdraw_count"]
    why = (
        f"nine in ten of your {report.acceptances:,} acceptances came by day {days:,}"
        if report.acceptances
        else f"too few acceptances to go by: your stale_invite_days, {days}"
    )
    withdraw = Text("Withdraw: ", style="bold")
    if count:
        withdraw.append(f"{count:,} pending more than {days:,} days ({why}). Record it with ")
        withdraw.append(withdraw_command(days), style="bold")
    else:
        withdraw.append(f"nothing pending more than {days:,} days ({why}).")
    parts: list[RenderableType] = [
        heading("LinkedIn account health", "as of now, whatever the period"),
        table,
        withdraw,
    ]
    for warning in report.warnings:
        parts.append(Text(f"⚠ {warning.message}", style="bold yellow"))
    if not report.warnings:
        parts.append(Text("Clear of every limit.", style="green"))
    return Group(*parts)
