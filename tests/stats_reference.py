"""The insights as ``Tracker.stats`` computed them before the figures were read from SQL
aggregates and the stored reply facts: the rules walked row by row over every invitation,
message and contact, kept verbatim as the reference the fast path must match exactly
(``tests/test_stats_equivalence.py``). Test code only."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from tracker.config import Settings
from tracker.models import Moment, Segment
from tracker.service import Tracker
from tracker.timeutil import Clock, from_stored, local_date, start_of_day, to_stored

STUDY: dict[str, dict[str, float]] = {
    Segment.DECISION_MAKER: {"with_note": 0.41, "without_note": 0.63},
    Segment.INFLUENCER: {"with_note": 0.58, "without_note": 0.38},
    Segment.CHAMPION: {"with_note": 0.62, "without_note": 0.71},
    Segment.MIRROR: {"with_note": 0.62, "without_note": 0.71},
}
AGE_BANDS = ((0, 7, "0-7"), (8, 14, "8-14"), (15, 21, "15-21"), (22, None, "22+"))
NO_TOUCH_DAYS = (30, 60, 90)
ACCEPT_WITHIN = (7, 14, 21)
MESSAGE_CHANNELS = ("sms", "email", "linkedin_message", "whatsapp")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass
class Tally:
    """Invitations sent, accepted, still pending, decided, and pending but too young to
    count (DOMAIN.md, "Acceptance rate")."""

    sent: int = 0
    accepted: int = 0
    pending: int = 0
    decided: int = 0
    pending_young: int = 0

    def add(self, status: str, young: bool = False) -> None:
        """Count one invitation; ``young``: pending for less than ``stale_invite_days``."""
        self.sent += 1
        self.accepted += status == "accepted"
        self.pending += status == "pending"
        if status == "pending" and young:
            self.pending_young += 1
        else:
            self.decided += 1

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
class Invitation:
    contact_id: int
    sent: datetime
    status: str  # as of the clock
    accepted_at: datetime | None
    has_note: bool
    moment: str
    template: str
    segment: str
    resend: bool
    age_days: int = 0
    """Whole local days since it was sent, as of the clock."""

    def young(self, stale_days: int) -> bool:
        """Still pending, and sent less than ``stale_days`` ago: not decided yet."""
        return self.status == "pending" and self.age_days < stale_days


def invitations(rows: Iterable[dict[str, Any]], clock: Clock) -> list[Invitation]:
    """Invitations as of ``clock`` (rows ordered by contact, then time)."""
    found: list[Invitation] = []
    withdrawn_before: set[int] = set()
    for row in rows:
        sent = from_stored(row["at"])
        if sent is None or sent > clock.as_of:
            continue
        changed = from_stored(row["status_at"])
        status = row["status"] or "pending"
        if changed is not None and changed > clock.as_of:
            status = "pending"
        found.append(
            Invitation(
                contact_id=row["contact_id"],
                sent=sent,
                status=status,
                accepted_at=changed if status == "accepted" else None,
                has_note=bool(row["has_note"]),
                moment=row["moment"] or "unrecorded",
                template=row["template"] or "none",
                segment=row["segment"] or Segment.OTHER.value,
                resend=row["contact_id"] in withdrawn_before,
                age_days=clock.age(sent),
            )
        )
        if status == "withdrawn":
            withdrawn_before.add(row["contact_id"])
    return found


def acceptance(invites: Sequence[Invitation], settings: Settings) -> dict[str, Any]:
    """Every acceptance figure: overall, by segment (with the study), by moment, by
    template, first sends vs resends, and time to accept."""
    n = settings.min_sample
    overall = Tally()
    by_segment: dict[str, dict[bool, Tally]] = {
        s.value: {True: Tally(), False: Tally()} for s in Segment
    }
    by_moment: dict[str, Tally] = defaultdict(Tally)
    by_template: dict[str, Tally] = defaultdict(Tally)
    first, resend = Tally(), Tally()
    stale_days = settings.stale_invite_days
    for invite in invites:
        status, young = invite.status, invite.young(stale_days)
        overall.add(status, young)
        by_segment.setdefault(invite.segment, {True: Tally(), False: Tally()})
        by_segment[invite.segment][invite.has_note].add(status, young)
        by_moment[invite.moment].add(status, young)
        by_template[invite.template].add(status, young)
        (resend if invite.resend else first).add(status, young)
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
        "time_to_accept": time_to_accept(invites),
    }


def time_to_accept(invites: Sequence[Invitation]) -> dict[str, Any]:
    """Median days to accept, the share accepted within 7/14/21 days of those accepted,
    and the day by which nine in ten acceptances came (a withdraw threshold to consider)."""
    days = sorted(
        (i.accepted_at - i.sent).total_seconds() / 86400
        for i in invites
        if i.accepted_at is not None
    )
    result: dict[str, Any] = {"accepted": len(days)}
    if not days:
        result.update(
            median_days=None, p90_days=None, **{f"within_{d}": None for d in ACCEPT_WITHIN}
        )
        return result
    result["median_days"] = round(statistics.median(days), 1)
    for limit in ACCEPT_WITHIN:
        result[f"within_{limit}"] = round(sum(d <= limit for d in days) / len(days), 4)
    index = max(0, -(-len(days) * 9 // 10) - 1)
    result["p90_days"] = round(days[index], 1)
    return result


@dataclass
class ReplyTally:
    sent: int = 0
    replied: int = 0
    hours: list[float] | None = None

    def add(self, reply_hours: float | None) -> None:
        self.sent += 1
        if reply_hours is not None:
            self.replied += 1
            if self.hours is None:
                self.hours = []
            self.hours.append(reply_hours)

    def as_dict(self) -> dict[str, Any]:
        return {
            "sent": self.sent,
            "replied": self.replied,
            "rate": round(self.replied / self.sent, 4) if self.sent else None,
            "median_hours_to_reply": round(statistics.median(self.hours), 1)
            if self.hours
            else None,
        }


def replies(
    rows: Iterable[tuple[Any, ...]], clock: Clock, since: datetime | None, settings: Settings
) -> dict[str, Any]:
    """Reply rate and time to reply for outbound messages sent in the period.

    A message is answered by the contact's next inbound touch on any channel, if it comes
    before your next message on the same channel (a reply answers the latest nudge)."""
    by_channel: dict[str, ReplyTally] = {c: ReplyTally() for c in MESSAGE_CHANNELS}
    by_weekday = [ReplyTally() for _ in WEEKDAYS]
    by_hour = [ReplyTally() for _ in range(24)]
    first, follow_up = ReplyTally(), ReplyTally()
    step_back: set[int] = set()
    history: dict[int, list[tuple[str, str, datetime]]] = defaultdict(list)
    for contact_id, channel, direction, at_text in rows:
        moment = from_stored(at_text)
        if moment is not None and moment <= clock.as_of:
            history[contact_id].append((channel, direction, moment))
    for contact_id, touches in history.items():
        run: dict[str, int] = defaultdict(int)
        for index, (channel, direction, moment) in enumerate(touches):
            if direction == "in":
                run.clear()
                continue
            if channel not in MESSAGE_CHANNELS:
                continue
            run[channel] += 1
            in_period = since is None or moment >= since
            if channel == "sms" and run[channel] >= settings.step_back_run and in_period:
                step_back.add(contact_id)
            if not in_period:
                continue
            reply = _reply_hours(touches, index, channel)
            local = moment.astimezone(clock.tz)
            for tally in (
                by_channel[channel],
                by_weekday[local.weekday()],
                by_hour[local.hour],
                first if run[channel] == 1 else follow_up,
            ):
                tally.add(reply)
    return {
        "replies_by_channel": [{"channel": c, **t.as_dict()} for c, t in by_channel.items()],
        "replies_by_weekday": [
            {"weekday": WEEKDAYS[i], **t.as_dict()} for i, t in enumerate(by_weekday)
        ],
        "replies_by_hour": [{"hour": h, **t.as_dict()} for h, t in enumerate(by_hour)],
        "first_vs_follow_up": {"first": first.as_dict(), "follow_up": follow_up.as_dict()},
        "step_back_contacts": len(step_back),
    }


def _reply_hours(
    touches: Sequence[tuple[str, str, datetime]], index: int, channel: str
) -> float | None:
    sent = touches[index][2]
    for other_channel, direction, moment in touches[index + 1 :]:
        if direction == "in":
            return (moment - sent).total_seconds() / 3600
        if other_channel == channel:
            return None
    return None


def pipeline(rows: Iterable[dict[str, Any]], clock: Clock) -> dict[str, Any]:
    """Invitations pending by age band, follow-ups due this week, contacts gone quiet."""
    bands = {label: 0 for _, _, label in AGE_BANDS}
    quiet = {str(d): 0 for d in NO_TOUCH_DAYS}
    overdue = due_this_week = 0
    week_end = clock.today + timedelta(days=6)
    for row in rows:
        pending = from_stored(row["pending_since"])
        if pending is not None and pending <= clock.as_of:
            age = clock.age(pending)
            for low, high, label in AGE_BANDS:
                if age >= low and (high is None or age <= high):
                    bands[label] += 1
        if row["due_on"]:
            due = date.fromisoformat(row["due_on"])
            overdue += due < clock.today
            due_this_week += clock.today <= due <= week_end
        last = from_stored(row["last_touch_at"]) or from_stored(row["created_at"])
        if last is not None:
            for days in NO_TOUCH_DAYS:
                quiet[str(days)] += clock.age(last) >= days
    return {
        "pending_by_age": [{"band": label, "count": count} for label, count in bands.items()],
        "follow_ups_overdue": overdue,
        "follow_ups_due_this_week": due_this_week,
        "no_touch_in_days": quiet,
    }


def ritual(
    reviews: Sequence[dict[str, Any]],
    touch_times: Iterable[str],
    invites: Sequence[Invitation],
    streak: int,
    clock: Clock,
    settings: Settings,
    weeks: int = 8,
) -> dict[str, Any]:
    """The review streak and history, touches per day, invitations per week vs budget."""
    start = clock.today - timedelta(days=weeks * 7 - 1)
    per_day = {start + timedelta(days=i): 0 for i in range(weeks * 7)}
    for text in touch_times:
        moment = from_stored(text)
        if moment is not None and moment <= clock.as_of:
            day = local_date(moment, clock.tz)
            if day in per_day:
                per_day[day] += 1
    monday = clock.today - timedelta(days=clock.today.weekday())
    week_starts = [monday - timedelta(weeks=w) for w in reversed(range(weeks))]
    per_week = dict.fromkeys(week_starts, 0)
    for invite in invites:
        day = local_date(invite.sent, clock.tz)
        week = day - timedelta(days=day.weekday())
        if week in per_week:
            per_week[week] += 1
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


# -- the rows, as the store read them then ---------------------------------------------
def _contact_filter(tag: str, segment: str, alias: str = "c") -> tuple[str, list[Any]]:
    clauses, params = [], []
    if tag:
        clauses.append(
            f"EXISTS (SELECT 1 FROM tags g WHERE g.contact_id = {alias}.id AND g.tag = ?)"
        )
        params.append(tag)
    if segment:
        clauses.append(f"coalesce({alias}.segment, 'other') = ?")
        params.append(segment)
    return (" AND " + " AND ".join(clauses)) if clauses else "", params


def invitation_rows(tracker: Tracker, tag: str = "", segment: str = "") -> list[dict[str, Any]]:
    where, params = _contact_filter(tag, segment)
    return tracker.store.rows(
        "SELECT t.id, t.contact_id, t.at, t.status, t.status_at, t.has_note, t.moment,"
        " t.template, coalesce(c.segment, 'other') AS segment"
        " FROM touches t JOIN contacts c ON c.id = t.contact_id"
        " WHERE t.channel = 'linkedin_invite' AND t.direction = 'out'"
        + where
        + " ORDER BY t.contact_id, t.at, t.id",
        params,
    )


def conversation_rows(tracker: Tracker, tag: str = "", segment: str = "") -> list[tuple[Any, ...]]:
    where, params = _contact_filter(tag, segment)
    return list(
        tracker.store.execute(
            "SELECT t.contact_id, t.channel, t.direction, t.at FROM touches t"
            " JOIN contacts c ON c.id = t.contact_id"
            " WHERE t.is_group = 0" + where + " ORDER BY t.contact_id, t.at, t.id",
            params,
        )
    )


def touch_times(tracker: Tracker, since: str, tag: str = "", segment: str = "") -> list[str]:
    where, params = _contact_filter(tag, segment)
    return [
        row[0]
        for row in tracker.store.execute(
            "SELECT t.at FROM touches t JOIN contacts c ON c.id = t.contact_id"
            " WHERE t.at >= ?" + where + " ORDER BY t.at",
            [since, *params],
        )
    ]


def pipeline_rows(tracker: Tracker, tag: str = "", segment: str = "") -> list[dict[str, Any]]:
    where, params = _contact_filter(tag, segment)
    return tracker.store.rows(
        "SELECT c.id, c.created_at, s.last_touch_at, f.due_on,"
        " CASE WHEN s.invite_status = 'pending' THEN s.invite_sent_at END AS pending_since"
        " FROM contacts c LEFT JOIN contact_state s ON s.contact_id = c.id"
        " LEFT JOIN follow_ups f ON f.contact_id = c.id WHERE 1 = 1" + where,
        params,
    )


# -- Tracker.stats, as it was ------------------------------------------------------------
def reference_stats(
    tracker: Tracker,
    since: date | None = None,
    tag: str = "",
    segment: str = "",
    as_of: datetime | str | None = None,
) -> dict[str, Any]:
    """Every insight figure, the old way (``segment`` already a valid value)."""
    clock = tracker.clock(as_of)
    since_at = start_of_day(since, tracker.tz) if since else None
    store = tracker.store
    every_invite = invitations(invitation_rows(tracker, tag, segment), clock)
    in_period = [i for i in every_invite if since_at is None or i.sent >= since_at]
    result: dict[str, Any] = {
        "as_of": clock.as_of.astimezone(tracker.tz).isoformat(),
        "since": since.isoformat() if since else None,
        "tag": tag or None,
        "segment": segment or None,
        "min_sample": tracker.settings.min_sample,
    }
    result.update(acceptance(in_period, tracker.settings))
    result.update(
        replies(conversation_rows(tracker, tag, segment), clock, since_at, tracker.settings)
    )
    result["pipeline"] = pipeline(pipeline_rows(tracker, tag, segment), clock)
    weeks = 8
    first_day = clock.today - timedelta(days=weeks * 7 - 1)
    result["ritual"] = ritual(
        store.closed_reviews(),
        touch_times(tracker, to_stored(start_of_day(first_day, tracker.tz)), tag, segment),
        every_invite,
        store.streak(clock.today),
        clock,
        tracker.settings,
        weeks,
    )
    return result


def reference_health(tracker: Tracker, as_of: datetime | str | None = None) -> Any:
    """``Tracker.health`` as it was: every accepted invitation read as a row and its age
    in days worked out in Python."""
    from tracker.health import ACCEPTANCE_DAYS, assess, invitations_as_of

    clock = tracker.clock(as_of)
    today = clock.today
    first = min(today - timedelta(days=ACCEPTANCE_DAYS - 1), today.replace(day=1))
    rows = tracker.store.health_rows(
        to_stored(start_of_day(first, tracker.tz)),
        to_stored(clock.as_of),
        True,
        tracker._past(clock),
    )
    invites = invitations_as_of(rows, clock.as_of)
    return assess(
        invites,
        clock,
        tracker.settings,
        lambda days: len(tracker.pending_older_than(clock, days)),
    )
