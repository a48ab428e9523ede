"""``outreach whatif``: the review replayed over your own history with changed settings,
beside today's (DOMAIN.md, "What-if")."""

from __future__ import annotations

import textwrap
from datetime import date, datetime

import click

from tracker.cli.common import MAX_INT, Invocation, pass_invocation
from tracker.cli.render import dumps, table
from tracker.tradeoffs import InviteTradeoff, TextTradeoff
from tracker.whatif import Load
from tracker.whatif_report import SHAPED, WhatIf

WIDTH = 88
"""Where the prose lines wrap."""


def _n(count: float) -> str:
    return f"{count:,.1f}" if isinstance(count, float) else f"{count:,}"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _busiest(load: Load) -> str:
    day, most = load.busiest()
    return f"{most:,} ({day.isoformat()})" if most else "none: no item due"


def _load_table(report: WhatIf) -> str:
    base, changed = report.baseline, report.changed
    rows: list[tuple[str, str, str]] = [
        ("items per day, mean", _n(base.mean()), _n(changed.mean())),
        ("busiest day", _busiest(base), _busiest(changed)),
    ]
    capacity = report.capacity
    if capacity is not None:
        over = (_n(base.days_over(capacity)), _n(changed.days_over(capacity)))
        rows.append((f"days over {capacity:,} items", *over))
    before, after = base.by_kind(), changed.by_kind()
    rows.append(("items by kind, all days:", "" if before else "none", "" if after else "none"))
    for kind in sorted({*before, *after}, key=lambda k: k.rank):
        rows.append((f"- {kind.value}", _n(before.get(kind, 0)), _n(after.get(kind, 0))))
    return table(("", "TODAY'S SETTINGS", "CHANGED"), rows)


def _invites_lines(invites: InviteTradeoff) -> list[str]:
    low, high = invites.lower, invites.higher
    lines = [
        f"Stale invitations, {invites.today} → {invites.changed} days "
        f"({_plural(invites.sent, 'invitation')} sent in the period):",
        f"  {_n(invites.accepted_between)} accepted at {low + 1}-{high} days old: "
        f"withdrawing at {low} days would have lost them.",
    ]
    fewer = invites.pending_days_fewer
    how = "as many" if fewer == 0 else f"{abs(fewer):,} {'fewer' if fewer > 0 else 'more'}"
    more = " at least" if invites.withdrawn_between and fewer < 0 else ""
    lines.append(
        f"  Invitations would have sat pending{more} {how} days "
        "(each withdrawn the day it turns stale)."
    )
    if invites.changed > invites.today:
        lines.append(
            f"  {_n(invites.withdrawn_between)} withdrawn at {low}-{high - 1} days, which "
            f"{high} would have kept pending: whether they would have been accepted is unknown."
        )
    return lines


def _texts_lines(texts: TextTradeoff) -> list[str]:
    lines = [
        f"Texts, step back after {texts.today} → {texts.changed} unanswered "
        f"({_plural(texts.sent, 'text')} sent in the period):",
        f"  {_n(texts.not_sent)} sent while {texts.changed} or more were already "
        "unanswered: the changed rule would have stopped them.",
        f"  {_n(texts.replies_after)} of them {'was' if texts.replies_after == 1 else 'were'}"
        " answered before your next outbound touch: replies that might not have come.",
    ]
    if texts.changed > texts.today:
        lines.append(
            f"  Texts a run of {texts.changed} allows that {texts.today} stopped were never "
            "sent: how many, and what replies they would have had, is unknown."
        )
    return lines


def render(report: WhatIf) -> str:
    """The what-if as text: the load side by side, the trade-offs, and the caveat."""
    changes = ", ".join(f"{c.key} {c.today} → {c.changed}" for c in report.changes)
    out = [
        f"What if {changes}",
        f"Each day's queue from {report.first.isoformat()} to {report.last.isoformat()} "
        f"({_plural(report.days, 'day')}), each as of the end of the day.",
        "",
        _load_table(report),
    ]
    for lines in (
        _invites_lines(report.invites) if report.invites else [],
        _texts_lines(report.texts) if report.texts else [],
    ):
        if lines:
            out += ["", lines[0], *(_wrapped(line) for line in lines[1:])]
    out += ["", textwrap.fill(SHAPED, WIDTH)]
    return "\n".join(out)


def _wrapped(line: str) -> str:
    """A trade-off's line (indented two spaces) wrapped, its next lines indented four."""
    return textwrap.fill(line, WIDTH, subsequent_indent="    ")


def _day(invocation: Invocation, text: str | None, flag: str) -> date | None:
    """A day typed for ``flag`` (``2026-03-01``, ``3 weeks ago``, ``last monday``)."""
    if not text:
        return None
    from tracker.dates import parse_day
    from tracker.errors import UsageError
    from tracker.timeutil import check_year

    try:
        day = parse_day(text, datetime.now(invocation.tz).date(), "behind")
    except UsageError as exc:
        raise UsageError(f"{flag}: {exc}") from None
    check_year(day, text)
    return day


@click.command()
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="KEY=VALUE",
    help="A review setting to change, as `outreach settings` lists it "
    "(review.stale_invite_days=21); repeat for more.",
)
@click.option(
    "--since",
    metavar="DATE",
    help="First day to replay (default: a year back, or your first touch's day if later).",
)
@click.option("--as-of", "as_of", metavar="DATE", help="Last day to replay (default: today).")
@click.option(
    "--capacity",
    type=click.IntRange(0, MAX_INT),
    metavar="N",
    help="Count the days whose queue held more than N items.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@pass_invocation
def whatif(
    invocation: Invocation,
    assignments: tuple[str, ...],
    since: str | None,
    as_of: str | None,
    capacity: int | None,
    fmt: str,
) -> None:
    """Replay the review over your history with changed settings, beside today's.

    Each day's queue (as of its end) under today's settings and under the changed
    ones: items per day and by kind, and the trade-offs of a stale-invitation
    threshold and a step-back run. The history is what happened: outcomes of touches
    that never happened are unknown. Snoozes and items marked done are not replayed.

    \b
    outreach whatif --set review.stale_invite_days=21 --set review.step_back_run=1
    outreach whatif --set horizon_days=14 --since 2026-01-01 --capacity 25 --format json
    """
    report = invocation.tracker.what_if(
        assignments,
        _day(invocation, since, "--since"),
        _day(invocation, as_of, "--as-of"),
        capacity,
    )
    click.echo(dumps(report.record()) if fmt == "json" else render(report))


COMMANDS = [whatif]
