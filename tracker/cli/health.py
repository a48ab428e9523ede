"""``outreach health``: how close your LinkedIn account is to what LinkedIn restricts
accounts for, and which pending invitations to withdraw."""

from __future__ import annotations

from typing import Any

import click

from tracker.cli.common import Invocation, pass_reader
from tracker.cli.render import dumps
from tracker.health import HealthReport, withdraw_command
from tracker.text import shown
from tracker.words import long_date


def _of(count: int, limit: int, what: str) -> str:
    if not limit:
        return f"{count} (no {what})"
    return f"{count} of {limit} ({count * 100 // limit}% of your {what})"


def acceptance_words(cell: dict[str, Any]) -> str:
    """``42% of 38 decided, 12 new`` (new: pending, too young to count)."""
    young = cell["pending_young"]
    if not cell["decided"]:
        return f"none decided yet ({young} new)" if cell["sent"] else "none sent"
    text = f"{cell['rate'] * 100:.0f}% of {cell['decided']} decided"
    return text + (f", {young} new" if young else "")


def withdraw_words(report: HealthReport) -> list[str]:
    """The withdraw suggestion: how many, older than what, why that age, the command."""
    figures = report.figures
    days, count = figures["withdraw_older_than_days"], figures["withdraw_count"]
    why = (
        f"nine in ten of your {report.acceptances} acceptances came by then"
        if report.acceptances
        else "too few acceptances of your own yet: your stale_invite_days"
    )
    if not count:
        return [f"none pending more than {days} days ({why})"]
    return [
        f"{count} pending more than {days} days ({why}); record withdrawing them with:",
        withdraw_command(days),
    ]


def render_health(report: HealthReport, as_of: str) -> str:
    figures = report.figures
    oldest = figures["oldest_pending_days"]
    pending = _of(figures["pending"], figures["pending_ceiling"], "ceiling")
    if oldest is not None:
        pending += f"; the oldest {oldest} days"
    accepted = acceptance_words(figures["acceptance_30d"])
    if figures["sent_30d"]:
        accepted += f" (sent {figures['sent_30d']})"
    weekly = _of(figures["sent_7d"], figures["weekly_invite_limit"], "weekly limit")
    notes = _of(figures["notes_month"], figures["monthly_note_limit"], "monthly limit")
    first, *more = withdraw_words(report)
    rows = [
        ("Invitations, last 7 days", weekly),
        ("Notes, this month", notes),
        ("Pending now", pending),
        ("Acceptance, last 30 days", accepted),
        ("Withdraw", first),
        *(("", line) for line in more),
    ]
    out = [f"LinkedIn account health, {as_of}"]
    out += [f"  {label:<26}{value}" for label, value in rows]
    if report.warnings:
        out.append("\nWarnings")
        out.extend(f"  ! {shown(w.message)}" for w in report.warnings)
    else:
        out.append("\nNo warnings: the account is clear of every limit.")
    return "\n".join(out)


@click.command()
@click.option("--as-of", "as_of", metavar="DATE|DATETIME", help="As of when (default: now).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
)
@pass_reader
def health(invocation: Invocation, as_of: str | None, fmt: str) -> None:
    """LinkedIn account health: invitations this week, notes this month, pending, and
    acceptance against your [linkedin] limits, and which invitations to withdraw."""
    tracker = invocation.tracker
    report = tracker.health(as_of)
    if fmt == "json":
        click.echo(dumps(report.record()))
        return
    click.echo(render_health(report, long_date(tracker.clock(as_of).today)))


COMMANDS = [health]
