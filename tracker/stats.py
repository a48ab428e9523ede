"""Insights: what works for this rep, computed from their own history (DOMAIN.md,
"Numbers worth showing the user"). Pure functions of counts the store makes in SQL, a
clock and settings (replies: ``tracker.replies``).

Acceptance rate = accepted / decided. Decided means accepted, ignored, withdrawn, or
still pending after ``stale_invite_days`` (a fair chance to answer); younger pending
invitations are not decided yet: they are counted apart (``pending_young``) and shown
beside the rate, never as refusals. ``sent`` counts them all. A resend is an invitation
of its own (one sent after an invitation to the same contact was withdrawn); a period
filters by the date sent; the segment is the contact's current one (no segment counts as
``other``). A rate on fewer than ``min_sample`` decided invitations is marked as too few
to trust. An invitation's status is the one it had at the clock: one accepted later was
still pending then.
"""

from __future__ import annotations

import statistics
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from tracker.config import Settings
from tracker.local_time import DAY
from tracker.models import Moment, Segment
from tracker.timeutil import Clock, from_stored

# The study in seeds/002: acceptance with a note / without, by segment.
STUDY: dict[str, dict[str, float]] = {
    Segment.DECISION_MAKER: {"with_note": 0.41, "without_note": 0.63},
    Segment.INFLUENCER: {"with_note": 0.58, "without_note": 0.38},
    Segment.CHAMPION: {"with_note": 0.62, "without_note": 0.71},
    Segment.MIRROR: {"with_note": 0.62, "without_note": 0.71},
}
AGE_BANDS = ((0, 7, "0-7"), (8, 14, "8-14"), (15, 21, "15-21"), (22, None, "22+"))
NO_TOUCH_DAYS = (30, 60, 90)
ACCEPT_WITHIN = (7, 14, 21)
RITUAL_WEEKS = 8
"""How far back the ritual's touches per day and invitations per week go."""


@dataclass
class Tally:
    """Invitations sent, accepted, still pending, decided, and pending but too young to
    count (DOMAIN.md, "Acceptance rate")."""

    sent: int = 0
    accepted: int = 0
    pending: int = 0
    decided: int = 0
    pending_young: int = 0

    def add(self, status: str, young: bool = False, count: int = 1) -> None:
        """Count ``count`` invitations with ``status``; ``young``: pending for less than
        ``stale_invite_days``."""
        self.sent += count
        if status == "accepted":
            self.accepted += count
        if status == "pending":
            self.pending += count
        if status == "pending" and young:
            self.pending_young += count
        else:
            self.decided += count

    def as_dict(self, min_sample: int) -> dict[str, Any]:
        return {
            "sent": self.sent,
            "accepted": self.accepted,
            "pending": self.pending,
            "decided": self.decided,
            "pending_young": self.pending_young,
            "rate": round(self.accepted / self.decided, 4) if self.decided else None,
            "too_few": self.decided < min_sample,
        }


@dataclass(frozen=True)
class InvitationGroup:
    """Invitations alike in what the insights compare them on, and how many: a note, the
    moment, the template, a resend, the status at the clock, and young (pending, sent
    less than ``stale_invite_days`` ago)."""

    has_note: bool
    moment: str
    template: str
    resend: bool
    status: str
    young: bool
    count: int


@dataclass(frozen=True)
class SegmentGroup:
    """Invitations to contacts of one segment, with a note or not, of one status at the
    clock, young or not, and how many; ``first``: the smallest contact id among them
    (segments outside the list show in that order)."""

    segment: str
    has_note: bool
    status: str
    young: bool
    count: int
    first: int


def acceptance(
    groups: Sequence[InvitationGroup],
    segments: Sequence[SegmentGroup],
    accepted_waits: Sequence[int],
    settings: Settings,
) -> dict[str, Any]:
    """Every acceptance figure: overall, by segment (with the study), by moment, by
    template, first sends vs resends, and time to accept (``accepted_waits``: seconds
    from sending to accepting, in order)."""
    n = settings.min_sample
    overall = Tally()
    by_segment: dict[str, dict[bool, Tally]] = {
        s.value: {True: Tally(), False: Tally()} for s in Segment
    }
    firsts: dict[str, int] = {}
    for kept in segments:
        if kept.segment not in by_segment:
            firsts[kept.segment] = min(firsts.get(kept.segment, kept.first), kept.first)
    for segment in sorted(firsts, key=lambda s: (firsts[s], s)):
        by_segment[segment] = {True: Tally(), False: Tally()}
    for kept in segments:
        by_segment[kept.segment][kept.has_note].add(kept.status, kept.young, kept.count)
    by_moment: dict[str, Tally] = {}
    by_template: dict[str, Tally] = {}
    first, resend = Tally(), Tally()
    for group in groups:
        status, young, count = group.status, group.young, group.count
        overall.add(status, young, count)
        by_moment.setdefault(group.moment, Tally()).add(status, young, count)
        by_template.setdefault(group.template, Tally()).add(status, young, count)
        (resend if group.resend else first).add(status, young, count)
    moments = [m.value for m in Moment] + sorted(set(by_moment) - {m.value for m in Moment})
    return {
        "invitations": overall.as_dict(n),
        "acceptance_by_segment": [
            {
                "segment": segment,
                "with_note": tallies[True].as_dict(n),
                "without_note": tallies[False].as_dict(n),
                "study": STUDY.get(segment),
            }
            for segment, tallies in by_segment.items()
        ],
        "acceptance_by_moment": [
            {"moment": m, **by_moment[m].as_dict(n)} for m in moments if m in by_moment
        ],
        "acceptance_by_template": [
            {"template": t, **by_template[t].as_dict(n)} for t in sorted(by_template)
        ],
        "first_vs_resend": {"first": first.as_dict(n), "resend": resend.as_dict(n)},
        "time_to_accept": time_to_accept([wait / DAY for wait in accepted_waits]),
    }


def time_to_accept(days: Sequence[float]) -> dict[str, Any]:
    """Median days to accept, the share accepted within 7/14/21 days of those accepted,
    and the day by which nine in ten acceptances came (a withdraw threshold to consider);
    ``days``: each accepted invitation's (sorted here; counted with a binary search)."""
    days = sorted(days)
    result: dict[str, Any] = {"accepted": len(days)}
    if not days:
        result.update(
            median_days=None, p90_days=None, **{f"within_{d}": None for d in ACCEPT_WITHIN}
        )
        return result
    result["median_days"] = round(statistics.median(days), 1)
    for limit in ACCEPT_WITHIN:
        result[f"within_{limit}"] = round(bisect_right(days, limit) / len(days), 4)
    index = max(0, -(-len(days) * 9 // 10) - 1)
    result["p90_days"] = round(days[index], 1)
    return result


def pipeline(
    pending_since: Iterable[str],
    follow_ups: tuple[int, int],
    quiet: tuple[int, Sequence[int]],
    clock: Clock,
) -> dict[str, Any]:
    """Invitations pending by age band, follow-ups overdue and due this week, contacts
    gone quiet. ``pending_since``: when each pending invitation was sent (stored text);
    ``follow_ups``: (overdue, due this week); ``quiet``: the contacts with a last touch
    (or creation) time, and how many of them have it within each of ``NO_TOUCH_DAYS``
    (``quiet_cuts``)."""
    bands = {label: 0 for _, _, label in AGE_BANDS}
    for text in pending_since:
        pending = _stored(text)
        if pending is not None and pending <= clock.as_of:
            age = clock.age(pending)
            for low, high, label in AGE_BANDS:
                if age >= low and (high is None or age <= high):
                    bands[label] += 1
    known, recent = quiet
    return {
        "pending_by_age": [{"band": label, "count": count} for label, count in bands.items()],
        "follow_ups_overdue": follow_ups[0],
        "follow_ups_due_this_week": follow_ups[1],
        "no_touch_in_days": {
            str(days): known - within for days, within in zip(NO_TOUCH_DAYS, recent, strict=True)
        },
    }


def _stored(text: str) -> datetime | None:
    """``from_stored``, fast for the store's own ``...THH:MM:SSZ`` text."""
    if len(text) == 20 and text[19] == "Z" and text[10] == "T":
        return datetime.fromisoformat(text)
    return from_stored(text)


def quiet_days(today: date) -> list[date]:
    """The first local day of each of ``NO_TOUCH_DAYS`` that is not quiet yet: a contact
    last touched on it or later was touched less than that many days ago."""
    return [today - timedelta(days=days - 1) for days in NO_TOUCH_DAYS]


def ritual_start(clock: Clock, weeks: int = RITUAL_WEEKS) -> tuple[date, date]:
    """The first day the ritual counts touches on, and the Monday of its first week."""
    monday = clock.today - timedelta(days=clock.today.weekday())
    return clock.today - timedelta(days=weeks * 7 - 1), monday - timedelta(weeks=weeks - 1)


def ritual(
    reviews: Sequence[dict[str, Any]],
    touches_by_day: Iterable[tuple[date, int]],
    invitations_by_day: Iterable[tuple[date, int]],
    streak: int,
    clock: Clock,
    settings: Settings,
    weeks: int = RITUAL_WEEKS,
) -> dict[str, Any]:
    """The review streak and history, touches per day, invitations per week vs budget
    (``*_by_day``: local days and counts, days outside the weeks shown ignored)."""
    start = clock.today - timedelta(days=weeks * 7 - 1)
    per_day = {start + timedelta(days=i): 0 for i in range(weeks * 7)}
    for day, count in touches_by_day:
        if day in per_day:
            per_day[day] += count
    monday = clock.today - timedelta(days=clock.today.weekday())
    week_starts = [monday - timedelta(weeks=w) for w in reversed(range(weeks))]
    per_week = dict.fromkeys(week_starts, 0)
    for day, count in invitations_by_day:
        week = day - timedelta(days=day.weekday())
        if week in per_week:
            per_week[week] += count
    budget = settings.weekly_invite_limit
    return {
        "streak": streak,
        "days_closed": len(reviews),
        "history": [
            {"day": r["day"], "items_done": r["items_done"], "items_left": r["items_left"]}
            for r in reviews[-30:]
        ],
        "touches_per_day": [{"day": d.isoformat(), "count": c} for d, c in per_day.items()],
        "invitations_per_week": [
            {"week": w.isoformat(), "count": c, "budget": budget, "over": c > budget}
            for w, c in per_week.items()
        ],
    }


def flatten(result: dict[str, Any]) -> list[tuple[str, str, str, Any]]:
    """Every figure as a (section, name, metric, value) row, for CSV."""
    rows: list[tuple[str, str, str, Any]] = []

    def walk(section: str, name: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(section, f"{name}.{key}" if name else key, inner)
        elif isinstance(value, list):
            for entry in value:
                if isinstance(entry, dict):
                    label = next(
                        (
                            str(entry[k])
                            for k in (
                                "segment",
                                "moment",
                                "template",
                                "channel",
                                "weekday",
                                "hour",
                                "band",
                                "day",
                                "week",
                            )
                            if k in entry
                        ),
                        "",
                    )
                    rest = {k: v for k, v in entry.items() if str(v) != label}
                    walk(section, f"{name}.{label}" if name else label, rest)
                else:
                    rows.append((section, name, "value", entry))
        else:
            metric = name.rsplit(".", 1)[-1] if "." in name else name
            prefix = name.rsplit(".", 1)[0] if "." in name else ""
            rows.append((section, prefix, metric, value))

    for section, value in result.items():
        if isinstance(value, dict | list):
            walk(section, "", value)
        else:
            rows.append(("report", "", section, value))
    return rows
