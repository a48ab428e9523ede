"""A contact's enrollment as the review and the screens read it: the sequence's version,
where it stands (``Progress``), and words for its steps (what to do, when).

``step_item_words`` says what a due step's review item says; ``plan_lines`` the plan a
contact's screen and ``outreach show`` list (done, next, later steps).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from tracker.sequences.definitions import SequenceDef, Step
from tracker.sequences.records import DONE, WITHDRAW, Progress, StepRecord
from tracker.timeutil import local_date

ACTIONS = {
    "linkedin_invite": "send the LinkedIn invitation",
    "linkedin_message": "send a LinkedIn message",
    "sms": "send a text",
    "call": "call them",
    "email": "send an email",
    "whatsapp": "send a WhatsApp message",
    "other": "reach out",
}
"""What a step on each channel asks the rep to do."""


@dataclass(frozen=True)
class Plan:
    """One enrollment of a contact as of a moment."""

    enrollment_id: int
    contact_id: int
    definition: SequenceDef
    start_on: date
    progress: Progress
    current_version: bool = True
    """Whether it runs the version ``sequences.toml`` (or the built-in) defines now."""

    @property
    def sequence(self) -> str:
        return self.definition.name

    @property
    def live(self) -> bool:
        """Running (active or paused): the sequence is the contact's plan."""
        return self.progress.live

    def due(self, today: date) -> StepRecord | None:
        return self.progress.due(today)

    def step_of(self, record: StepRecord) -> Step | None:
        """The definition's step a record is for (``None`` for a withdrawal)."""
        if record.action == WITHDRAW or record.position >= len(self.definition.steps):
            return None
        return self.definition.steps[record.position]

    def template(self, record: StepRecord) -> str | None:
        step = self.step_of(record)
        return step.template if step is not None else None


def step_item_words(plan: Plan, record: StepRecord, overdue: int) -> tuple[str, str]:
    """(reason, action) of the review item of a due step ``overdue`` days late."""
    total = plan.progress.total
    due = "due today" if overdue <= 0 else f"{overdue} day{'s' * (overdue != 1)} overdue"
    where = f"{plan.sequence}, step {record.number} of {total}"
    if record.action == WITHDRAW:
        waited = plan.progress.steps[-2].reason if len(plan.progress.steps) > 1 else ""
        reason = f"{where}: invitation {waited or 'not accepted'}; {due}"
        return reason, "withdraw the invitation (it is not accepted), then the sequence goes on"
    action = ACTIONS.get(record.channel, "reach out")
    template = plan.template(record)
    if template:
        action += f" (template {template})"
    return f"{where}: {record.title}; {due}", action


def plan_lines(plan: Plan, today: date, tz: tzinfo) -> list[tuple[str, str]]:
    """The plan, step by step: (state, line). ``state`` is ``done``, ``skipped``,
    ``waiting``, ``next``, ``later`` or ``ended``; lines say the step, its channel,
    and its day or its outcome with the reason."""
    progress = plan.progress
    lines: list[tuple[str, str]] = []
    for record in progress.steps:
        label = f"{record.number}. {record.title} ({_channel(record.channel)})"
        if record.outcome is None:
            lines.append(("next", f"{label}: {_when(record, today)}"))
        elif record.wait == "waiting":
            until = f" until {_day(record.wait_until, today)}" if record.wait_until else ""
            lines.append(
                (
                    "waiting",
                    f"{label}: sent {_at(record.at, tz, today)}; waiting to be accepted{until}",
                )
            )
        else:
            when = f" {_at(record.at, tz, today)}" if record.outcome == DONE else ""
            said = [record.reason] if record.reason and record.wait != "not_accepted" else []
            if record.wait == "accepted" and record.wait_at is not None:
                said.append(f"accepted {_at(record.wait_at, tz, today)}")
            elif record.wait == "not_accepted":
                said.append(record.reason)
            state = "done" if record.outcome == DONE else "skipped"
            detail = f" ({'; '.join(said)})" if said else ""
            lines.append((state, f"{label}: {record.outcome}{when}{detail}"))
    reached = {r.position for r in progress.steps}
    if progress.live:
        for position, step in enumerate(plan.definition.steps):
            if position not in reached and position > max(reached, default=-1):
                after = step.after.words()
                when = f"{after} later" if step.after.days else after
                label = f"{position + 1}. {step.title} ({_channel(step.channel)})"
                lines.append(("later", f"{label}: {when}"))
    else:
        ended = _at(progress.ended_at, tz, today) if progress.ended_at else ""
        lines.append(("ended", f"{progress.status} {ended}: {progress.end_reason}".strip()))
    return lines


def status_words(plan: Plan, today: date) -> str:
    """``active, step 2 of 5 due today``, ``paused until Mon 30 Nov``, ``replied``..."""
    progress = plan.progress
    if not progress.live:
        return (
            f"{progress.status}: {progress.end_reason}" if progress.end_reason else progress.status
        )
    pending = progress.pending
    waiting = progress.waiting
    if progress.status == "paused":
        back = _day(progress.paused_until, today) if progress.paused_until else None
        said = f"paused until {back}" if back else "paused until resumed (outreach resume)"
    else:
        said = "active"
    if pending is not None:
        said += f", step {pending.number} of {progress.total} {_when(pending, today)}"
    elif waiting is not None:
        said += f", step {waiting.number} of {progress.total} waiting to be accepted"
    return said


def _when(record: StepRecord, today: date) -> str:
    if record.slot_on is None:
        return "after the pause"
    days = (record.slot_on - today).days
    if days > 0:
        return f"due {_day(record.slot_on, today)}"
    if days == 0:
        return "due today"
    return f"due {-days} day{'s' * (days != -1)} ago"


def _day(day: date | None, today: date) -> str:
    if day is None:
        return ""
    if day == today:
        return "today"
    label = f"{day.strftime('%a')} {day.day} {day.strftime('%b')}"
    return label if day.year == today.year else f"{label} {day.year}"


def _at(moment: datetime | None, tz: tzinfo, today: date) -> str:
    return _day(local_date(moment, tz), today) if moment is not None else ""


def _channel(channel: str) -> str:
    return {
        "linkedin_invite": "LinkedIn invite",
        "linkedin_message": "LinkedIn message",
        "sms": "text",
        "call": "call",
        "email": "email",
        "whatsapp": "WhatsApp",
        "other": "other",
    }.get(channel, channel)
