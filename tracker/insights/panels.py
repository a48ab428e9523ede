"""What the Insights screen draws from ``Tracker.stats()``: one Rich renderable per panel.

Plain functions of the figures (no Textual, no database), so the same numbers always draw
the same panel. Every rate carries its sample size; a rate on fewer invitations than
``min_sample`` says "too few" rather than pretend, and an empty sample shows no rate at all.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from tracker.insights.charts import bar, percent, sparkline
from tracker.models import Channel
from tracker.words import CHANNEL_LABELS, plural, words

BAR = 10
SEGMENT_NAMES = {
    "decision_maker": "Decision makers",
    "influencer": "Influencers",
    "champion": "Champions",
    "mirror": "Mirrors (your own role)",
    "other": "Others (or no segment)",
}
CLOSE = 0.05
"""Two rates closer than this are "about the same"."""


def heading(title: str, note: str = "") -> Text:
    text = Text(title, style="bold underline")
    if note:
        text.append("  " + note, style="dim")
    return text


def _table(*columns: tuple[str, str]) -> Table:
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="dim", expand=False)
    for name, justify in columns:
        table.add_column(name, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    return table


def _sample(cell: dict[str, Any]) -> Text:
    """``too few`` on a small sample, ``none sent`` on none."""
    if not cell.get("sent"):
        return Text("none sent", style="dim")
    return Text("too few", style="italic yellow") if cell.get("too_few") else Text("")


def rate_words(cell: dict[str, Any], what: str = "") -> str:
    """``41% of 17`` (of the invitations decided; ``what`` after it: ``with a note``),
    ``(3 new)`` after that when some are pending but too young to count; ``none decided
    yet`` or ``none sent`` without."""
    if not cell.get("sent"):
        return "none sent" + (f" {what}" if what else "")
    young = cell.get("pending_young", 0)
    if not cell.get("decided"):
        return f"none decided yet{' ' + what if what else ''} ({young} new)"
    text = f"{percent(cell['rate'])} of {cell['decided']:,}" + (f" {what}" if what else "")
    return text + (f" ({young} new)" if young else "")


# -- invitations ---------------------------------------------------------------------
def note_answer(segment: dict[str, Any]) -> Text:
    """Should I add a note for this segment? The rep's own answer, then the study's (and
    while the rep's own numbers cannot tell, what the study favours)."""
    name = SEGMENT_NAMES.get(segment["segment"], words(segment["segment"]).capitalize())
    with_note, without = segment["with_note"], segment["without_note"]
    study = segment["study"]
    text = Text()
    text.append(f"{name}: ", style="bold")
    settled = False
    if not with_note["sent"] and not without["sent"]:
        text.append("no invitations to them yet.")
    elif not with_note["sent"] or not without["sent"]:
        only = "with" if with_note["sent"] else "without"
        cell = with_note if with_note["sent"] else without
        few = ", too few" if cell["too_few"] else ""
        text.append(f"only invitations {only} a note so far ({rate_words(cell)}{few}).")
    elif with_note["too_few"] or without["too_few"]:
        text.append(
            f"too few to tell yet ({rate_words(with_note, 'with a note')}, "
            f"{rate_words(without, 'without')})."
        )
    elif with_note["rate"] is None or without["rate"] is None:
        text.append(
            f"none decided yet ({rate_words(with_note, 'with a note')}, "
            f"{rate_words(without, 'without')})."
        )
    else:
        settled = True
        gap = with_note["rate"] - without["rate"]
        if abs(gap) < CLOSE:
            verdict = "about the same with a note or without"
        else:
            verdict = "a note helps you" if gap > 0 else "you do better without a note"
        text.append(f"{verdict}: ", style="bold")
        text.append(f"{rate_words(with_note, 'with a note')}, {rate_words(without, 'without')}.")
    if study:
        text.append(
            f" The study: {percent(study['with_note'])} with a note, "
            f"{percent(study['without_note'])} without",
            style="italic",
        )
        if not settled:
            favours = "a note" if study["with_note"] > study["without_note"] else "no note"
            text.append(", so for now: ", style="italic")
            text.append(favours, style="bold")
        text.append(".")
    return text


def invitations(data: dict[str, Any], stale_days: int) -> RenderableType:
    """Acceptance with and without a note, by segment, beside the study's figures."""
    n = data["min_sample"]
    rows = data["acceptance_by_segment"]
    overall = data["invitations"]
    answers = [
        note_answer(row)
        for row in rows
        if row["segment"] == "decision_maker"
        or row["with_note"]["sent"]
        or row["without_note"]["sent"]
    ]
    table = _table(
        ("Segment", "left"),
        ("Note", "left"),
        ("Accepted", "left"),
        ("Rate", "right"),
        ("Of", "right"),
        ("New", "right"),
        ("Sent", "right"),
        ("Study", "right"),
        ("", "left"),
    )
    for row in rows:
        study = row["study"] or {}
        for index, key in enumerate(("with_note", "without_note")):
            cell = row[key]
            table.add_row(
                words(row["segment"]) if index == 0 else "",
                "with" if key == "with_note" else "without",
                bar(cell["rate"], 1.0, BAR, mark=study.get(key), style="green"),
                percent(cell["rate"]),
                f"{cell['decided']:,}",
                f"{cell['pending_young']:,}",
                f"{cell['sent']:,}",
                percent(study.get(key)),
                _sample(cell),
            )
    parts: list[RenderableType] = [
        heading("Invitations: should you add a note?"),
        Text(
            (
                f"In all: {_overall_words(overall)}; {overall['pending']:,} still pending. "
                if overall["sent"]
                else "No invitations sent in this period. "
            )
            + f"A rate is of the invitations decided (Of): accepted, ignored, withdrawn or "
            f"pending {stale_days}+ days; New ones are too young to count. Rates on fewer "
            f"than {n} are marked too few; ┃ marks the study.",
            style="dim",
        ),
        *answers,
    ]
    other = next((r for r in rows if r["segment"] == "other"), None)
    dm = next((r for r in rows if r["segment"] == "decision_maker"), None)
    sent_other = other["with_note"]["sent"] + other["without_note"]["sent"] if other else 0
    if dm and sent_other and not (dm["with_note"]["sent"] or dm["without_note"]["sent"]):
        parts.append(
            Text(
                f"{plural(sent_other, 'invitation')} went to contacts with no segment: "
                "press g to set segments from job titles (directors, heads, VPs and "
                "chiefs are decision makers; managers are influencers).",
                style="yellow",
            )
        )
    parts += [Text(""), table]
    return Group(*parts)


def _overall_words(cell: dict[str, Any]) -> str:
    """``44% of the 9 decided accepted (2 more too new to count)``."""
    young = cell["pending_young"]
    more = f" ({young:,} more too new to count)" if young and cell["decided"] else ""
    if not cell["decided"]:
        return f"none decided yet ({young} too new to count)"
    return f"{percent(cell['rate'])} of the {cell['decided']:,} decided accepted{more}"


def tallies(title: str, label: str, rows: Iterable[dict[str, Any]], key: str) -> RenderableType:
    """Acceptance for each value of ``key`` (a moment, a template, first send or resend)."""
    table = _table(
        (label, "left"),
        ("Accepted", "left"),
        ("Rate", "right"),
        ("Of", "right"),
        ("New", "right"),
        ("Sent", "right"),
        ("", "left"),
    )
    count = 0
    for row in rows:
        count += 1
        table.add_row(
            words(str(row[key])),
            bar(row["rate"], 1.0, BAR, style="green"),
            percent(row["rate"]),
            str(row["decided"]),
            str(row["pending_young"]),
            str(row["sent"]),
            _sample(row),
        )
    body: RenderableType = table if count else Text("No invitations in this period.", style="dim")
    return Group(heading(title), body)


def first_vs_resend(data: dict[str, Any]) -> RenderableType:
    pair = data["first_vs_resend"]
    rows = [{"kind": "first sends", **pair["first"]}, {"kind": "resends", **pair["resend"]}]
    return tallies("First sends vs resends", "Invitation", rows, "kind")


def time_to_accept(data: dict[str, Any], withdraw_days: int) -> RenderableType:
    """Median days to accept, the share within 7 / 14 / 21 days, and a withdraw threshold."""
    tta = data["time_to_accept"]
    title = heading("Time to accept", f"of {plural(tta['accepted'], 'accepted invitation')}")
    if not tta["accepted"]:
        return Group(title, Text("No accepted invitations in this period yet.", style="dim"))
    lines: list[RenderableType] = [title, Text(f"Median: {tta['median_days']} days")]
    for days in (7, 14, 21):
        share = tta[f"within_{days}"]
        line = Text(f"within {days:>2} days ")
        line.append_text(bar(share, 1.0, BAR, style="green"))
        line.append(f" {percent(share)}")
        lines.append(line)
    threshold = math.ceil(tta["p90_days"])
    advice = Text(f"Nine in ten were accepted by day {tta['p90_days']}: ")
    advice.append(f"withdraw after about {plural(threshold, 'day')}", style="bold")
    advice.append(f" (you now withdraw after {withdraw_days}).")
    if tta["accepted"] < data["min_sample"]:
        advice.append(" Too few acceptances to trust.", style="italic yellow")
    lines.append(advice)
    return Group(*lines)


# -- texts and messages --------------------------------------------------------------
def _hours(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.0f} h" if value < 48 else f"{value / 24:.1f} days"


def _replies_table(label: str, rows: Sequence[tuple[str, dict[str, Any]]]) -> Table:
    table = _table(
        (label, "left"),
        ("Replied", "left"),
        ("Rate", "right"),
        ("Sent", "right"),
        ("Median reply", "right"),
    )
    for name, cell in rows:
        table.add_row(
            name,
            bar(cell["rate"], 1.0, BAR, style="cyan"),
            percent(cell["rate"]),
            f"{cell['sent']:,}",
            _hours(cell["median_hours_to_reply"]),
        )
    return table


def replies(data: dict[str, Any], step_back_run: int) -> RenderableType:
    """Reply rate and time to reply by channel, weekday, hour, first vs follow-up."""
    by_channel = [
        (CHANNEL_LABELS[Channel(row["channel"])], row) for row in data["replies_by_channel"]
    ]
    weekdays = [(row["weekday"], row) for row in data["replies_by_weekday"]]
    hours = [(f"{row['hour']:02d}:00", row) for row in data["replies_by_hour"] if row["sent"]]
    pair = data["first_vs_follow_up"]
    step_back = data["step_back_contacts"]
    parts: list[RenderableType] = [
        heading(
            "Replies to your messages", "texts, emails, LinkedIn and WhatsApp messages you sent"
        ),
        _replies_table("Channel", by_channel),
        Text(""),
        _replies_table("Sent on", weekdays),
        Text(""),
    ]
    if hours:
        parts.append(_replies_table("Sent at", hours))
    else:
        parts.append(Text("No messages sent in this period.", style="dim"))
    parts += [
        Text(""),
        _replies_table("Message", [("first", pair["first"]), ("follow-up", pair["follow_up"])]),
        Text(""),
        Text(
            f"{plural(step_back, 'contact')} got {step_back_run} or more texts in a row "
            "with no reply (the step-back rule).",
            style="yellow" if step_back else "",
        ),
    ]
    return Group(*parts)


# -- pipeline and ritual -------------------------------------------------------------
def _count_bars(rows: Sequence[tuple[str, int]], style: str) -> Table:
    top = max((count for _, count in rows), default=0)
    table = _table(("", "left"), ("", "left"), ("", "right"))
    table.show_header = False
    for label, count in rows:
        table.add_row(label, bar(count, top, 16, style=style), str(count))
    return table


def pipeline(data: dict[str, Any]) -> RenderableType:
    """Invitations pending by age, follow-ups due, contacts gone quiet (as of now)."""
    pipe = data["pipeline"]
    bands = [(f"{row['band']} days", row["count"]) for row in pipe["pending_by_age"]]
    quiet = [(f"{days}+ days", count) for days, count in pipe["no_touch_in_days"].items()]
    return Group(
        heading("Pipeline now", "whatever the period"),
        Text("Invitations pending, by age"),
        _count_bars(bands, "yellow"),
        Text(
            f"Follow-ups: {pipe['follow_ups_overdue']} overdue, "
            f"{pipe['follow_ups_due_this_week']} due this week"
        ),
        Text("Contacts with no touch in"),
        _count_bars(quiet, "magenta"),
    )


def _week(day: str, year: int) -> str:
    """``Nov  3`` (aligned), with the year when it is not ``year`` (this one)."""
    start = date.fromisoformat(day)
    label = f"{start.strftime('%b')} {start.day:>2}"
    return label if start.year == year else f"{label} {start.year}"


def _this_year(data: dict[str, Any]) -> int:
    """The year of the figures' "now" (else of their last day)."""
    if as_of := data.get("as_of"):
        return datetime.fromisoformat(as_of).year
    days = data["ritual"]["touches_per_day"]
    return date.fromisoformat(days[-1]["day"]).year if days else 0


def ritual(data: dict[str, Any]) -> RenderableType:
    """The streak, items done per review, touches per day, invitations per week vs the limit."""
    rite = data["ritual"]
    per_day = [row["count"] for row in rite["touches_per_day"]]
    done = [row["items_done"] for row in rite["history"]]
    weeks = rite["invitations_per_week"]
    budget = weeks[-1]["budget"] if weeks else 0
    streak = Text(f"Review streak: {plural(rite['streak'], 'day')}", style="bold")
    streak.append(f" · reviews closed: {rite['days_closed']}", style="")
    lines: list[RenderableType] = [heading("The ritual"), streak]
    if done:
        line = Text(f"Items done, last {plural(len(done), 'review')}: ")
        line.append_text(sparkline(done, style="green"))
        line.append(f" ({sum(done)} in all)")
        lines.append(line)
    days = rite["touches_per_day"]
    year = _this_year(data)
    lines += [
        Text(
            f"Touches per day, last {len(per_day) // 7} weeks "
            f"({sum(per_day)} in all, the busiest day {max(per_day, default=0)})"
        ),
        sparkline(per_day, style="cyan"),
    ]
    if days:
        first = _week(days[0]["day"], year).replace("  ", " ")
        lines.append(Text(first + "today".rjust(max(len(days) - len(first), 6)), style="dim"))
    lines.append(Text(f"Invitations per week (┃ your weekly limit of {budget})"))
    top = max([budget, *(w["count"] for w in weeks)])
    table = _table(("", "left"), ("", "left"), ("", "right"), ("", "left"))
    table.show_header = False
    for week in weeks:
        over = week["over"]
        table.add_row(
            _week(week["week"], year),
            bar(week["count"], top, 24, mark=budget, style="red" if over else "green"),
            str(week["count"]),
            Text("over the limit", style="bold red") if over else "",
        )
    lines.append(table)
    return Group(*lines)
