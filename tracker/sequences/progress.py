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

import bisect
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime, tzinfo

from tracker.config import Settings
from tracker.invitations import connection_day, linkedin_standing
from tracker.models import Channel, Contact, Direction, InviteStatus, Touch
from tracker.sequences.calendar import Calendar, Pause, SlotKey, unlimited
from tracker.sequences.definitions import SequenceDef, Step, from_json
from tracker.sequences.records import (
    ACCEPTED,
    DONE,
    NOT_ACCEPTED,
    SKIPPED,
    STEP,
    WAITING,
    WITHDRAW,
    Enrollment,
    Progress,
    StepRecord,
)
from tracker.timeutil import Clock, end_of_day, local_date, start_of_day

RULES_VERSION = 1
"""Raised when these rules change what they make of the same history: the service then
works every running enrollment out again instead of trusting what it stored."""
Placer = Callable[[SlotKey, str, date], date]
"""Gives a step the day it is shown (``max_per_day``): ``calendar.Slots.place``."""
_PHONE_CHANNELS = {"sms": "text", "call": "call", "whatsapp": "reach on WhatsApp"}


class _Ended(Exception):
    """The enrollment ended while a step was being worked out."""

    def __init__(self, status: str, at: datetime, reason: str) -> None:
        super().__init__(reason)
        self.status, self.at, self.reason = status, at, reason


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


class _Replay:
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

    def _first_end(self) -> _Ended | None:
        ends: list[_Ended] = []
        if self.definition.on_reply == "exit":
            ends += [_Ended("replied", at, why) for at, why in self._replies()[:1]]
        for event in self.events:
            if event.kind == "unenroll":
                why = f"unenrolled: {event.reason}" if event.reason else "unenrolled"
                ends.append(_Ended("exited", event.at, why))
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

    def _runs(self) -> None:
        """The unanswered run of texts after each touch (``step_back``'s count)."""
        self.times = [t.at for t in self.personal]
        self.run_after: list[int] = []
        run = 0
        for touch in self.personal:
            if touch.direction is Direction.IN:
                run = 0
            elif touch.channel is Channel.SMS:
                run += 1
            self.run_after.append(run)

    def _run_as_of(self, moment: datetime) -> int:
        index = bisect.bisect_right(self.times, moment)
        return self.run_after[index - 1] if index else 0

    # -- the walk through the steps --------------------------------------------------
    def run(self) -> Progress:
        records, position, base = self.carried
        steps = list(records)
        ended: _Ended | None = None
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
        except _Ended as end:
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

    def _outcome(
        self,
        position: int,
        step: Step,
        record: StepRecord,
        turn: datetime,
        after: datetime | None,
    ) -> StepRecord | None:
        """The step done or skipped by the horizon, or ``None`` (still to do)."""
        if step.channel == "linkedin_invite":
            pending = self._pending_invitation(turn)
            if pending is not None:
                sent = local_date(pending.at, self.tz).isoformat()
                self.used.add(pending.id)
                return replace(
                    record,
                    outcome=DONE,
                    at=turn,
                    touch_id=pending.id,
                    reason=f"an invitation was already pending (sent {sent})",
                )
        # At one moment a touch that does the step counts before the check of what it
        # changed (the text that does a text step is not the one too many).
        start = max(turn, after) if after is not None else turn
        moments: list[tuple[datetime, int, object]] = [(turn, 1, None)]
        for touch in self.personal:
            if not turn <= touch.at <= self.horizon:
                continue
            moments.append((touch.at, 1, None))
            if (
                touch.at >= start
                and touch.direction is Direction.OUT
                and touch.channel.value == step.channel
                and touch.id not in self.used
            ):
                moments.append((touch.at, 0, touch))
        for changed in (self.contact.sms_opt_out_at, self.contact.sms_opt_in_at):
            if changed is not None and turn < changed <= self.horizon:
                moments.append((changed, 1, None))
        for event in self.events:
            if (
                event.kind == "done"
                and event.position == position
                and event.action == STEP
                and event.at <= self.horizon
                and (after is None or event.at >= after)
            ):
                moments.append((event.at, 0, event))
        moments.append((self.horizon, 1, None))
        for moment, _, what in sorted(moments, key=lambda m: (m[0], m[1])):
            if moment > self.horizon:
                break
            if what is None:
                why = self._forbidden(step.channel, moment)
                if why:
                    return replace(record, outcome=SKIPPED, at=turn, reason=why)
            elif isinstance(what, Touch):
                self.used.add(what.id)
                return replace(record, outcome=DONE, at=what.at, touch_id=what.id)
            else:
                return replace(record, outcome=DONE, at=moment, reason="marked done")
        return None

    def _forbidden(self, channel: str, moment: datetime) -> str:
        """Why the guardrails forbid a step on ``channel`` at ``moment`` (empty: they
        do not)."""
        contact = self.contact
        if channel in _PHONE_CHANNELS and not contact.phone:
            return f"no phone number to {_PHONE_CHANNELS[channel]}"
        if channel == "sms":
            if contact.opted_out(moment):
                return "opted out of texts"
            run = self._run_as_of(moment)
            if run >= self.settings.step_back_run:
                return f"{run} texts in a row unanswered (step_back): no more texts"
        if channel == "email" and not contact.email:
            return "no email address"
        if channel == "linkedin_invite":
            standing = linkedin_standing(
                self.history, moment, self.settings, self.tz, connection_day(contact)
            )
            if standing.connected:
                return standing.why_no_invite.split(":")[0]
            if standing.rule == "resend_lockout":
                return standing.why_no_invite
        return ""

    def _pending_invitation(self, turn: datetime) -> Touch | None:
        """An invitation still pending when the step's turn came: the step takes it over
        (LinkedIn allows one at a time)."""
        sent = [t for t in self.personal if t.is_invitation and t.at < turn]
        if not sent or sent[-1].id in self.used:
            return None
        status = sent[-1].status_as_of(turn)
        return sent[-1] if status in (None, InviteStatus.PENDING.value) else None

    # -- waiting for the acceptance --------------------------------------------------
    def _wait(
        self, position: int, step: Step, record: StepRecord, steps: list[StepRecord]
    ) -> date | None:
        """The invitation step is done: wait for its acceptance (at most ``max_days``)."""
        assert record.at is not None
        invitation = self._invitation(record)
        sent_on = local_date(invitation.at if invitation else record.at, self.tz)
        limit = self.calendar.add(sent_on, step.max_days or self.settings.stale_invite_days)
        waiting = replace(record, wait=WAITING, wait_until=limit)
        if invitation is not None:
            waiting = replace(waiting, touch_id=invitation.id)
        steps[-1] = waiting
        accepted, settled = self._accepted(invitation, sent_on, limit)
        if accepted is not None:
            steps[-1] = replace(waiting, wait=ACCEPTED, wait_at=accepted)
            return local_date(accepted, self.tz)
        if settled is not None and invitation is not None:  # withdrawn or ignored early
            status = invitation.status_as_of(self.horizon) or ""
            day = local_date(settled, self.tz)
            why = f"invitation {status} on {day.isoformat()}"
            return self._timed_out(position, step, steps, settled, day, why, invitation)
        if limit is None or limit > self.last_day:
            if limit is not None:
                self.checks.add(limit)
            return None
        timeout = start_of_day(limit, self.tz)
        why = f"not accepted in {step.max_days} days"
        return self._timed_out(position, step, steps, timeout, limit, why, invitation)

    def _invitation(self, record: StepRecord) -> Touch | None:
        """The step's invitation: the one that did it, else one sent since it was due."""
        if record.touch_id is not None:
            found = [t for t in self.personal if t.id == record.touch_id]
            if found:
                return found[0]
        due = start_of_day(record.due_on, self.tz) if record.due_on else record.at
        sent = [t for t in self.personal if t.is_invitation and due is not None and t.at >= due]
        return sent[-1] if sent else None

    def _accepted(
        self, invitation: Touch | None, sent_on: date, limit: date | None
    ) -> tuple[datetime | None, datetime | None]:
        """(when it was accepted in time, when it was withdrawn or ignored first)."""
        last = self.horizon
        if limit is not None:
            last = min(last, end_of_day(limit, self.tz))
        if invitation is None:
            connected = connection_day(self.contact)
            if connected is not None and connected >= sent_on:
                moment = start_of_day(connected, self.tz)
                return (moment if moment <= last else None), None
            return None, None
        status = invitation.status_as_of(self.horizon)
        changed = invitation.status_at
        if changed is None or status in (None, InviteStatus.PENDING.value):
            return None, None
        if status == InviteStatus.ACCEPTED.value:
            return (changed if changed <= last else None), None
        timeout = start_of_day(limit, self.tz) if limit is not None else None
        early = timeout is None or changed < timeout
        return None, (changed if early else None)

    def _timed_out(
        self,
        position: int,
        step: Step,
        steps: list[StepRecord],
        moment: datetime,
        day: date,
        why: str,
        invitation: Touch | None,
    ) -> date | None:
        steps[-1] = replace(steps[-1], wait=NOT_ACCEPTED, wait_at=moment, reason=why)
        if step.on_timeout == "exit":
            raise _Ended("exited", moment, f"step {position + 1}: invitation {why}")
        if step.on_timeout == "skip":
            return day
        return self._withdraw(position, step, steps, day, invitation)

    def _withdraw(
        self,
        position: int,
        step: Step,
        steps: list[StepRecord],
        day: date,
        invitation: Touch | None,
    ) -> date | None:
        """The step ``withdraw`` adds: done when the invitation is withdrawn (or with
        ``done``), skipped when there is none to withdraw any more."""
        title = "Withdraw the invitation"
        record = StepRecord(position, WITHDRAW, "linkedin_invite", title, day, day)
        turn = start_of_day(day, self.tz)
        status = invitation.status_as_of(self.horizon) if invitation else None
        changed = invitation.status_at if invitation else None
        outcome: StepRecord | None = None
        if invitation is None:
            outcome = replace(record, outcome=SKIPPED, at=turn, reason="no invitation recorded")
        elif status == InviteStatus.WITHDRAWN.value and changed is not None:
            said = local_date(changed, self.tz).isoformat()
            outcome = replace(
                record, outcome=DONE, at=max(changed, turn), reason=f"withdrawn {said}"
            )
        elif status in (InviteStatus.ACCEPTED.value, InviteStatus.IGNORED.value) and changed:
            said = f"{status} on {local_date(changed, self.tz).isoformat()}"
            outcome = replace(
                record, outcome=SKIPPED, at=turn, reason=f"{said}: nothing to withdraw"
            )
        marks = [
            e
            for e in self.events
            if e.kind == "done"
            and e.position == position
            and e.action == WITHDRAW
            and e.at <= self.horizon
        ]
        if marks and (outcome is None or (outcome.at is not None and marks[0].at < outcome.at)):
            outcome = replace(record, outcome=DONE, at=marks[0].at, reason="marked done")
        if outcome is None:
            steps.append(record)
            return None
        steps.append(outcome)
        assert outcome.at is not None
        return day if outcome.outcome == SKIPPED else local_date(outcome.at, self.tz)

    # -- the end ---------------------------------------------------------------------
    def _finished(self, steps: list[StepRecord]) -> _Ended | None:
        moments = [m for s in steps for m in (s.at, s.wait_at) if m is not None]
        at = max(moments, default=self.enrollment.enrolled_at)
        if self.end is not None and self.end.at < at:
            return self.end
        count = len(self.definition.steps)
        return _Ended("finished", at, f"all {count} step{'s' if count != 1 else ''} over")

    def _progress(self, steps: tuple[StepRecord, ...], ended: _Ended | None) -> Progress:
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
