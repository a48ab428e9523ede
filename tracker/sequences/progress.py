"""The sequence rules (DOMAIN.md, "Sequences"): where an enrollment stands as of a
moment, replayed from its start over the contact's history and the rep's acts on it.

- Step 1 is due on the start day; each later step its delay after the previous one was
  done (``3d`` calendar days, ``3bd`` business days), or after its condition was met;
  days paused never count. A skipped step's time is its due date.
- A step is done by a touch on its channel (outbound; the invitation itself for an
  invitation step) on or after its due date, or by ``done``. A step the guardrails
  forbid when its turn comes, or while it waits (a text to an opted-out contact or after
  ``step_back``, an invitation to a connection) is skipped with the reason.
- ``wait_for = "accepted"``: the next delay starts on the acceptance; at ``max_days``
  (days since the invitation, as for ``stale_invite``) without one by the end of that day,
  ``on_timeout``: a step to withdraw it, the next step, or the end.
- Any inbound touch (any channel) or a meeting held or scheduled ends it as ``replied``
  (or pauses it, ``on_reply = "pause"``, until resumed); the last step ends it as
  ``finished``; ``unenroll`` as ``exited``.

Pure: the clock, the settings and the history are arguments, so the same inputs give the
same progress, as of now or as of any day in the past.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime, tzinfo

from tracker.config import Settings
from tracker.models import Channel, Contact, Direction, Touch
from tracker.sequences.calendar import Calendar, Pause, SlotKey, unlimited
from tracker.sequences.definitions import SequenceDef, Step, from_json
from tracker.sequences.outcomes import Ended, StepOutcomes
from tracker.sequences.records import (
    ACCEPTED,
    NOT_ACCEPTED,
    SKIPPED,
    STEP,
    WAITING,
    Enrollment,
    Progress,
    StepRecord,
)
from tracker.timeutil import Clock, local_date, start_of_day

RULES_VERSION = 1
"""Raised when these rules change what they make of the same history: the service then
works every running enrollment out again instead of trusting what it stored."""
Placer = Callable[[SlotKey, str, date], date]
"""Gives a step the day it is shown (``max_per_day``): ``calendar.Slots.place``."""


def progress(
    enrollment: Enrollment,
    contact: Contact,
    touches: Sequence[Touch],
    clock: Clock,
    settings: Settings,
    holidays: frozenset[date] = frozenset(),
    place: Placer = unlimited,
) -> Progress:
    """Where ``enrollment`` stands as of ``clock`` (only what was recorded by then
    counts). ``touches``: the contact's history, oldest first; ``place`` gives each step
    the day it is shown (``max_per_day``)."""
    return _Replay(enrollment, contact, touches, clock, settings, holidays, place).run()


class _Replay(StepOutcomes):
    def __init__(
        self,
        enrollment: Enrollment,
        contact: Contact,
        touches: Sequence[Touch],
        clock: Clock,
        settings: Settings,
        holidays: frozenset[date],
        place: Placer,
    ) -> None:
        self.enrollment, self.contact, self.clock = enrollment, contact, clock
        self.settings, self.tz, self.place = settings, clock.tz, place
        self.history = list(touches)
        self.personal = [t for t in self.history if not t.is_group]
        self.events = sorted(
            (e for e in enrollment.events if e.at <= clock.as_of), key=lambda e: e.at
        )
        self.definition, self.carried = self._version()
        self.cutoff = self._reply_cutoff()
        self.end = self._first_end()
        self.horizon = self.end.at if self.end is not None else clock.as_of
        self.last_day = local_date(self.horizon, self.tz)
        """The last day the replay looks at: today, or the day it ended."""
        self.calendar = Calendar(holidays, self._pauses())
        self.used = {r.touch_id for r in self.carried[0] if r.touch_id is not None}
        self.checks: set[date] = set()
        self._runs()

    # -- what the replay starts from -------------------------------------------------
    def _version(self) -> tuple[SequenceDef, tuple[tuple[StepRecord, ...], int, date | None]]:
        """The version in force as of the clock, and the steps carried over from the
        last move to an edited version: (records, next position, base day)."""
        moves = sorted(
            (e for e in self.enrollment.events if e.kind == "migrate"), key=lambda e: e.at
        )
        applied = [m for m in moves if m.at <= self.clock.as_of]
        later = [m for m in moves if m.at > self.clock.as_of]
        definition = from_json(later[0].before) if later else self.enrollment.definition
        if not applied:
            return definition, ((), 0, None)
        last = applied[-1]
        return definition, (last.carried, last.position or 0, last.base)

    def _reply_cutoff(self) -> datetime:
        """Touches from here on answer the sequence: its start day when it was recorded
        later (a rep catching up), else the moment it was recorded."""
        enrollment = self.enrollment
        if enrollment.start_on < local_date(enrollment.enrolled_at, self.tz):
            return start_of_day(enrollment.start_on, self.tz)
        return enrollment.enrolled_at

    def _replies(self) -> list[tuple[datetime, str]]:
        """Each inbound touch and meeting that answers the sequence: (when, why)."""
        found: list[tuple[datetime, str]] = []
        as_of = self.clock.as_of
        for touch in self.personal:
            if touch.at < self.cutoff:
                continue
            day = local_date(touch.at, self.tz).isoformat()
            if touch.channel is Channel.MEETING:
                if touch.at > as_of:
                    found.append((as_of, f"meeting scheduled for {day}"))
                else:
                    found.append((touch.at, f"meeting on {day}"))
            elif touch.direction is Direction.IN and touch.at <= as_of:
                found.append(
                    (touch.at, f"replied by {_channel_words(touch.channel.value)} on {day}")
                )
        return sorted(found)

    def _first_end(self) -> Ended | None:
        ends: list[Ended] = []
        if self.definition.on_reply == "exit":
            ends += [Ended("replied", at, why) for at, why in self._replies()[:1]]
        for event in self.events:
            if event.kind == "unenroll":
                why = f"unenrolled: {event.reason}" if event.reason else "unenrolled"
                ends.append(Ended("exited", event.at, why))
                break
        return min(ends, key=lambda e: e.at) if ends else None

    def _pauses(self) -> tuple[Pause, ...]:
        """The days that do not count: each pause recorded (cut short by a resume
        recorded after it), and with ``on_reply = "pause"`` each reply until resumed."""
        resumes = [e.at for e in self.events if e.kind == "resume" and e.at <= self.horizon]
        pauses: list[Pause] = []
        for event in self.events:
            if event.kind != "pause" or event.start is None or event.at > self.horizon:
                continue
            until = event.until
            for resumed in resumes:
                day = local_date(resumed, self.tz)
                if resumed >= event.at and (until is None or until > day):
                    until = max(day, event.start)
                    break
            pauses.append(Pause(event.start, until))
        if self.definition.on_reply == "pause":
            held_until: datetime | None = None
            held = False
            for at, _ in self._replies():
                if at > self.horizon or (held and (held_until is None or at < held_until)):
                    continue
                later = [r for r in resumes if r > at]
                held, held_until = True, (later[0] if later else None)
                until = local_date(held_until, self.tz) if held_until else None
                pauses.append(Pause(local_date(at, self.tz), until))
        return tuple(p for p in pauses if p.until is None or p.until > p.start)

    # -- the walk through the steps --------------------------------------------------
    def run(self) -> Progress:
        records, position, base = self.carried
        steps = list(records)
        ended: Ended | None = None
        try:
            while position < len(self.definition.steps):
                step = self.definition.steps[position]
                done = self._step(position, step, base, steps)
                if done is None:
                    break
                base = done
                position += 1
            else:
                ended = self._finished(steps)
        except Ended as end:
            ended = end
        if ended is None and self.end is not None:
            ended = self.end
        return self._progress(tuple(steps), ended)

    def _step(
        self, position: int, step: Step, base: date | None, steps: list[StepRecord]
    ) -> date | None:
        """Work out step ``position``: append its record; the day the next delay counts
        from once it is over, ``None`` while it is pending (or waiting)."""
        if base is None:
            due = self.calendar.first_open(self.enrollment.start_on)
        else:
            due = self.calendar.add(base, step.after.days, step.after.business)
        record = StepRecord(position, STEP, step.channel, step.title, due, None)
        if due is None:  # held by a pause with no end
            steps.append(record)
            return None
        record = replace(
            record, slot_on=self.place((self.enrollment.id, position, STEP), step.channel, due)
        )
        if due > self.last_day:
            self.checks.add(due)
            steps.append(record)
            return None
        turn = start_of_day(due, self.tz)
        after = max((s.at for s in steps if s.at is not None), default=None)
        outcome = self._outcome(position, step, record, turn, after)
        if outcome is None:
            steps.append(record)
            return None
        steps.append(outcome)
        if outcome.outcome == SKIPPED:
            return due
        assert outcome.at is not None
        if step.waits:
            return self._wait(position, step, outcome, steps)
        return local_date(outcome.at, self.tz)

    # -- the end ---------------------------------------------------------------------
    def _finished(self, steps: list[StepRecord]) -> Ended | None:
        moments = [m for s in steps for m in (s.at, s.wait_at) if m is not None]
        at = max(moments, default=self.enrollment.enrolled_at)
        if self.end is not None and self.end.at < at:
            return self.end
        count = len(self.definition.steps)
        return Ended("finished", at, f"all {count} step{'s' if count != 1 else ''} over")

    def _progress(self, steps: tuple[StepRecord, ...], ended: Ended | None) -> Progress:
        today = self.clock.today
        moments = [self.enrollment.enrolled_at, *(e.at for e in self.events)]
        moments += [m for s in steps for m in (s.at, s.wait_at) if m is not None]
        invitations = tuple(
            s.touch_id
            for s in steps
            if s.channel == "linkedin_invite" and s.action == STEP and s.touch_id is not None
        )
        common = {
            "steps": steps,
            "total": len(self.definition.steps),
            "invitations": invitations,
        }
        if ended is not None:
            moments.append(min(ended.at, self.clock.as_of))
            return Progress(
                status=ended.status,
                ended_at=ended.at,
                end_reason=ended.reason,
                changed_at=max((m for m in moments if m <= self.clock.as_of), default=None),
                **common,  # type: ignore[arg-type]
            )
        pause = self.calendar.pause_on(today)
        pending = steps[-1] if steps and steps[-1].outcome is None else None
        held = pending is not None and pending.due_on is None
        checks = set(self.checks)
        for p in self.calendar.pauses:
            checks.update(d for d in (p.start, p.until) if d is not None)
        upcoming = [d for d in checks if d > today]
        return Progress(
            status="paused" if pause is not None or held else "active",
            paused_until=pause.until if pause is not None else None,
            next_check=min(upcoming, default=None),
            changed_at=max((m for m in moments if m <= self.clock.as_of), default=None),
            **common,  # type: ignore[arg-type]
        )


def _channel_words(channel: str) -> str:
    return {
        "sms": "text",
        "linkedin_message": "LinkedIn message",
        "linkedin_invite": "LinkedIn invitation",
        "email": "email",
        "call": "call",
        "whatsapp": "WhatsApp",
    }.get(channel, channel.replace("_", " "))


def resume_point(found: Progress, tz: tzinfo) -> tuple[tuple[StepRecord, ...], int, date | None]:
    """Where an enrollment moved to an edited version goes on: the steps over (kept as
    they went), the first step not over (it is worked out again by the new version),
    and the day its delay counts from (``None``: the start day)."""
    open_at = [r.position for r in found.steps if r.outcome is None or r.wait == WAITING]
    over = max((r.position for r in found.steps), default=-1) + 1
    position = min(open_at) if open_at else over
    carried = tuple(r for r in found.steps if r.position < position)
    if not carried:
        return (), position, None
    last = carried[-1]
    if last.wait in (ACCEPTED, NOT_ACCEPTED) and last.action == STEP and last.wait_at:
        return carried, position, local_date(last.wait_at, tz)
    if last.outcome == SKIPPED or last.at is None:
        return carried, position, last.due_on
    return carried, position, local_date(last.at, tz)
