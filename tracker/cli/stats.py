"""``outreach stats``: what works for you, from your own history."""

from __future__ import annotations

import sys
from typing import Any

import click

from tracker.cli.common import Invocation, pass_reader
from tracker.cli.render import dumps, table
from tracker.export import write_csv

SPARKS = "▁▂▃▄▅▆▇█"
STATS_COLUMNS = ("section", "name", "metric", "value")


def rate(cell: dict[str, Any]) -> str:
    """``62% of 21 decided`` (``+ 3 new``: pending, too young to count), or ``50% of 4
    decided, too few``, or ``none decided (3 new)``, or ``none sent``."""
    if not cell or not cell.get("sent"):
        return "none sent"
    young = cell.get("pending_young", 0)
    if not cell.get("decided"):
        return f"none decided ({young} new)"
    text = f"{cell['rate'] * 100:.0f}% of {cell['decided']} decided"
    if young:
        text += f" + {young} new"
    return text + (", too few" if cell.get("too_few") else "")


def reply_rate(cell: dict[str, Any]) -> str:
    if not cell.get("sent"):
        return "none sent"
    text = f"{cell['rate'] * 100:.0f}% of {cell['sent']}"
    if cell.get("median_hours_to_reply") is not None:
        text += f", median {cell['median_hours_to_reply']} h"
    return text


def study(value: dict[str, float] | None, key: str) -> str:
    return f"{value[key] * 100:.0f}%" if value else "-"


def sparkline(values: list[int]) -> str:
    top = max(values, default=0)
    if top == 0:
        return SPARKS[0] * len(values)
    return "".join(SPARKS[min(len(SPARKS) - 1, v * (len(SPARKS) - 1) // top)] for v in values)


def render_stats(data: dict[str, Any]) -> str:
    out: list[str] = []
    period = f"since {data['since']}" if data["since"] else "all time"
    filters = ", ".join(f"{k} {data[k]}" for k in ("tag", "segment") if data.get(k))
    out.append(
        f"Insights, {period}{', ' + filters if filters else ''} "
        f"(a rate is of the invitations decided; new ones, pending but too young to count, "
        f"are beside it; rates on fewer than {data['min_sample']} are marked too few)"
    )
    out.append(f"\nInvitations: {rate(data['invitations'])}")
    out.append(
        table(
            ("SEGMENT", "WITH NOTE", "WITHOUT NOTE", "STUDY WITH", "STUDY WITHOUT"),
            [
                (
                    r["segment"],
                    rate(r["with_note"]),
                    rate(r["without_note"]),
                    study(r["study"], "with_note"),
                    study(r["study"], "without_note"),
                )
                for r in data["acceptance_by_segment"]
            ],
        )
    )
    if data["acceptance_by_moment"]:
        out.append("\nBy moment")
        out.append(
            table(
                ("MOMENT", "ACCEPTED"),
                [(r["moment"], rate(r)) for r in data["acceptance_by_moment"]],
            )
        )
    if data["acceptance_by_template"]:
        out.append("\nBy template")
        out.append(
            table(
                ("TEMPLATE", "ACCEPTED"),
                [(r["template"], rate(r)) for r in data["acceptance_by_template"]],
            )
        )
    fvr = data["first_vs_resend"]
    out.append(f"\nFirst sends: {rate(fvr['first'])}; resends: {rate(fvr['resend'])}")
    tta = data["time_to_accept"]
    if tta["accepted"]:
        within = ", ".join(f"{tta[f'within_{d}'] * 100:.0f}% within {d} days" for d in (7, 14, 21))
        out.append(
            f"Time to accept: median {tta['median_days']} days; {within}; nine in ten "
            f"by day {tta['p90_days']}"
        )
    out.append("\nReplies")
    out.append(
        table(
            ("CHANNEL", "REPLIED"),
            [(r["channel"], reply_rate(r)) for r in data["replies_by_channel"]],
        )
    )
    fvf = data["first_vs_follow_up"]
    out.append(
        f"First messages: {reply_rate(fvf['first'])}; follow-ups: {reply_rate(fvf['follow_up'])}"
    )
    out.append(f"Contacts who hit the step-back rule: {data['step_back_contacts']}")
    pipe = data["pipeline"]
    bands = ", ".join(f"{b['band']} days: {b['count']}" for b in pipe["pending_by_age"])
    quiet = ", ".join(f"{d}+ days: {n}" for d, n in pipe["no_touch_in_days"].items())
    out.append(f"\nPending invitations by age: {bands}")
    out.append(
        f"Follow-ups overdue: {pipe['follow_ups_overdue']}; due this week: "
        f"{pipe['follow_ups_due_this_week']}"
    )
    out.append(f"Contacts with no touch in: {quiet}")
    ritual = data["ritual"]
    days = [d["count"] for d in ritual["touches_per_day"]]
    out.append(f"\nReview streak: {ritual['streak']} days; reviews closed: {ritual['days_closed']}")
    out.append(f"Touches per day, last {len(days)} days: {sparkline(days)} ({sum(days)} in all)")
    weeks = ritual["invitations_per_week"]
    if weeks:
        last = weeks[-1]
        flag = "  OVER THE LIMIT" if last["over"] else ""
        out.append(f"Invitations this week: {last['count']} of {last['budget']}{flag}")
    return "\n".join(out)


@click.command()
@click.option("--since", metavar="DATE", help="Only what was sent from this date on.")
@click.option("--tag", default="", help="Only contacts with this tag.")
@click.option("--segment", default="", help="Only contacts in this segment.")
@click.option("--as-of", "as_of", metavar="DATE|DATETIME", help="As of when (default: now).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
)
@pass_reader
def stats(
    invocation: Invocation, since: str | None, tag: str, segment: str, as_of: str | None, fmt: str
) -> None:
    """Acceptance and reply rates, pipeline and ritual, from your own history."""
    from tracker.stats import flatten

    since_day = invocation.day(since, direction="behind") if since else None
    data = invocation.tracker.stats(since_day, tag, segment, as_of)
    if fmt == "json":
        click.echo(dumps(data))
    elif fmt == "csv":
        write_csv(sys.stdout, STATS_COLUMNS, flatten(data))
    else:
        click.echo(render_stats(data))


COMMANDS = [stats]
