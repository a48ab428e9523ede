"""How one step of a sequence goes once its turn comes: done by a touch on its channel
or by ``done``, skipped when the guardrails forbid it (a text to an opted-out contact or
after ``step_back``, an invitation to a connection), and for an invitation step the wait
for the acceptance and what a timeout does (DOMAIN.md, "Sequences").

Part of the replay in ``tracker.sequences.progress``: ``StepOutcomes`` is mixed into it
and reads the replay's state (the contact, the history, the horizon, the calendar).
"""

from __future__ import annotations

import bisect
from dataclasses import replace
from datetime import date, datetime, tzinfo

from tracker.config import Settings
from tracker.invitations import connection_day, linkedin_standing
from tracker.models import Channel, Contact, Direction, InviteStatus, Touch
from tracker.sequences.calendar import Calendar
from tracker.sequences.definitions import Step
from tracker.sequences.records import (
    ACCEPTED,
    DONE,
    NOT_ACCEPTED,
    SKIPPED,
    STEP,
    WAITING,
    WITHDRAW,
    Enrollment,
    Event,
    StepRecord,
)
from tracker.timeutil import end_of_day, local_date, start_of_day

_PHONE_CHANNELS = {"sms": "text", "call": "call", "whatsapp": "reach on WhatsApp"}


class Ended(Exception):
    """The enrollment ended while a step was being worked out."""

    def __init__(self, status: str, at: datetime, reason: str) -> None:
        super().__init__(reason)
        self.status, self.at, self.reason = status, at, reason


class StepOutcomes:
    """The outcome of each step, for the replay this is mixed into."""

    enrollment: Enrollment
    contact: Contact
    history: list[Touch]
    personal: list[Touch]
    """The contact's one-to-one touches (group messages aside), oldest first."""
    events: list[Event]
    settings: Settings
    tz: tzinfo
    horizon: datetime
    last_day: date
    calendar: Calendar
    used: set[int]
    """Touches that did a step already (one touch does one step)."""
    checks: set[date]
    """Days the progress changes by itself (a step falls due, a wait times out)."""

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
            why = f"{status} on {day.isoformat()}"
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
            raise Ended("exited", moment, f"step {position + 1}: invitation {why}")
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
