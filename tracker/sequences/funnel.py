"""How far each sequence's enrollments got, step by step (``outreach sequences`` and the
Sequences panel of Insights): per step how many reached it (done or skipped), were done,
were skipped, and ended ``replied`` after it, with the acceptance of invitation steps;
and each enrollment's status, with every skip and the end and their reasons.

A plain function of the definitions and the enrollments as worked out; nothing is read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Any

from tracker.models import InviteStatus
from tracker.sequences.definitions import SequenceDef
from tracker.sequences.plan import Plan
from tracker.sequences.records import ACCEPTED, DONE, NOT_ACCEPTED, SKIPPED, STEP, WAITING


@dataclass(frozen=True)
class Enrolled:
    """One enrollment for the funnel: who, and the plan as of now."""

    contact_id: int
    contact: str
    plan: Plan


def funnel(
    definitions: Mapping[str, SequenceDef],
    enrolled: Sequence[Enrolled],
    invitations: Mapping[int, str],
    tz: tzinfo,
    since: date | None = None,
) -> list[dict[str, Any]]:
    """Every sequence defined (then any only enrollments still name), with its funnel
    and enrollments; ``invitations``: each invitation's status by touch id; ``since``:
    only enrollments starting on or after it."""
    by_name: dict[str, list[Enrolled]] = {}
    for one in enrolled:
        if since is None or one.plan.start_on >= since:
            by_name.setdefault(one.plan.sequence, []).append(one)
    names = list(definitions) + sorted(n for n in by_name if n not in definitions)
    return [
        _sequence(name, definitions.get(name), by_name.get(name, []), invitations, tz)
        for name in names
    ]


def _sequence(
    name: str,
    definition: SequenceDef | None,
    enrolled: list[Enrolled],
    invitations: Mapping[int, str],
    tz: tzinfo,
) -> dict[str, Any]:
    shown = definition or max((e.plan.definition for e in enrolled), key=lambda d: len(d.steps))
    statuses = [e.plan.progress.status for e in enrolled]
    steps = [_step(position, shown, enrolled, invitations) for position in range(len(shown.steps))]
    return {
        "name": name,
        "description": shown.description,
        "source": "removed" if definition is None else "built-in" if definition.builtin else "file",
        "on_reply": shown.on_reply,
        "enrolled": len(enrolled),
        "active": sum(s in ("active", "paused") for s in statuses),
        "paused": statuses.count("paused"),
        "replied": statuses.count("replied"),
        "finished": statuses.count("finished"),
        "exited": statuses.count("exited"),
        "older_version": sum(not e.plan.current_version for e in enrolled),
        "steps": steps,
        "enrollments": [_enrollment(e, tz) for e in enrolled],
    }


def _step(
    position: int,
    definition: SequenceDef,
    enrolled: list[Enrolled],
    invitations: Mapping[int, str],
) -> dict[str, Any]:
    step = definition.steps[position]
    records = [
        r
        for e in enrolled
        for r in e.plan.progress.steps
        if r.position == position and r.action == STEP and r.outcome is not None
    ]
    replied_after = sum(
        1
        for e in enrolled
        if e.plan.progress.status == "replied" and _last_reached(e.plan) == position
    )
    found: dict[str, Any] = {
        "step": position + 1,
        "title": step.title,
        "channel": step.channel,
        "after": str(step.after),
        "reached": len(records),
        "done": sum(r.outcome == DONE for r in records),
        "skipped": sum(r.outcome == SKIPPED for r in records),
        "replied_after": replied_after,
    }
    if step.channel == "linkedin_invite":
        found["acceptance"] = _acceptance(records, invitations)
    return found


def _acceptance(records: list[Any], invitations: Mapping[int, str]) -> dict[str, Any]:
    """Of the invitations the step sent: accepted, not accepted (timed out, withdrawn or
    ignored), still waiting, and the rate among those decided."""
    accepted = refused = waiting = 0
    for record in records:
        if record.outcome != DONE:
            continue
        status = invitations.get(record.touch_id) if record.touch_id is not None else None
        if record.wait == ACCEPTED or status == InviteStatus.ACCEPTED.value:
            accepted += 1
        elif record.wait == NOT_ACCEPTED or status in ("ignored", "withdrawn"):
            refused += 1
        elif record.wait == WAITING or status in (None, InviteStatus.PENDING.value):
            waiting += 1
    decided = accepted + refused
    return {
        "sent": accepted + refused + waiting,
        "accepted": accepted,
        "not_accepted": refused,
        "waiting": waiting,
        "rate": round(accepted / decided, 4) if decided else None,
    }


def _last_reached(plan: Plan) -> int | None:
    reached = [r.position for r in plan.progress.steps if r.outcome is not None]
    return max(reached, default=None)


def _enrollment(one: Enrolled, tz: tzinfo) -> dict[str, Any]:
    progress = one.plan.progress
    pending = progress.pending or progress.waiting
    skips = [
        {
            "step": r.number,
            "title": r.title,
            "reason": r.reason,
            "at": r.at.astimezone(tz).isoformat() if r.at else None,
        }
        for r in progress.steps
        if r.outcome == SKIPPED
    ]
    end = None
    if not progress.live:
        end = {
            "status": progress.status,
            "reason": progress.end_reason,
            "at": progress.ended_at.astimezone(tz).isoformat() if progress.ended_at else None,
        }
    return {
        "contact": one.contact,
        "contact_id": one.contact_id,
        "status": progress.status,
        "started": one.plan.start_on.isoformat(),
        "step": pending.number if pending is not None and progress.live else None,
        "paused_until": progress.paused_until.isoformat() if progress.paused_until else None,
        "version": "current" if one.plan.current_version else "older",
        "skips": skips,
        "end": end,
    }
