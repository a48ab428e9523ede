"""Enrolling contacts in sequences, and the rep's acts on an enrollment: unenroll, pause
(a vacation), resume, a step marked done, a move to the edited version of its sequence.

Each act is recorded on the enrollment (``tracker.sequences.records.Event``) and the
rules work out the rest (``SequencePlansMixin``). Every operation takes many contacts at
once and says which it changed and which it skipped and why (``Batch``), with one undo.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast

from tracker.errors import UsageError
from tracker.models import Channel
from tracker.sequences.plan import ACTIONS, Plan, status_words
from tracker.sequences.progress import resume_point
from tracker.sequences.records import WITHDRAW, Event, events_from_json, events_to_json
from tracker.service.batch import Batch, Skipped
from tracker.service.edits import UndoStep
from tracker.service.sequence_plans import SequencePlansMixin
from tracker.timeutil import local_date, now_utc, to_stored

if TYPE_CHECKING:
    from tracker.coach.suggestions import Suggestion
    from tracker.service.tracker import Tracker

Revert = Callable[["Tracker"], None]


def _undo(label: str, reverts: list[Revert]) -> UndoStep | None:
    if not reverts:
        return None

    def revert(tracker: Tracker) -> None:
        with tracker.store.write():
            for step in reversed(reverts):
                step(tracker)

    return UndoStep(label, revert)


def _events_restorer(row: dict[str, Any], definition: bool = False) -> Revert:
    """Puts the enrollment's acts (and its version, with ``definition``) back."""
    events, version = row["events"], row["definition"]
    return lambda t: t.store.set_enrollment(row["id"], events, version if definition else None)


def _remover(enrollment_id: int) -> Revert:
    return lambda t: t.store.remove_enrollment(enrollment_id)


class SequencesMixin(SequencePlansMixin):
    """Enroll, unenroll, pause, resume, and mark a step done."""

    def _latest(self, contact_id: int, now: datetime) -> tuple[dict[str, Any], Plan] | None:
        """The contact's latest enrollment and its plan as of ``now`` (``None``: never
        enrolled)."""
        row = self.store.latest_enrollment(contact_id)
        if row is None:
            return None
        clock = self._clock(now)
        plan = self._plans([row], clock).get(row["id"])
        if plan is None:
            return None
        return self.store.enrollment(row["id"]), plan

    def _add_event(self, row: dict[str, Any], event: Event, definition: str | None = None) -> None:
        events = (*events_from_json(row["events"]), event)
        self.store.set_enrollment(row["id"], events_to_json(events), definition)

    def enroll(
        self,
        contact_ids: Sequence[int],
        name: str,
        start: date | None = None,
        now: datetime | None = None,
        migrate: bool = False,
    ) -> Batch:
        """Enroll each contact in sequence ``name`` from ``start`` (today); a contact
        already in a running sequence is skipped. With ``migrate``, each contact running
        ``name`` moves to the version defined now instead, keeping the steps it is past."""
        now = now or now_utc()
        definitions = self.sequence_definitions()
        definition = definitions.get(name)
        if definition is None:
            known = ", ".join(definitions)
            raise UsageError(f"no sequence {name!r} (one of: {known}; `outreach sequences`)")
        start = start or local_date(now, self.tz)
        names = self.store.contact_names(contact_ids)
        changed: list[tuple[int, str]] = []
        skipped: list[Skipped] = []
        reverts: list[Revert] = []
        with self.store.write():
            for contact_id in dict.fromkeys(contact_ids):
                who = names.get(contact_id, str(contact_id))
                latest = self._latest(contact_id, now)
                plan = latest[1] if latest else None
                if migrate:
                    why = self._migrate(latest, definition, now, reverts)
                elif plan is not None and plan.live:
                    today = local_date(now, self.tz)
                    why = f"already in {plan.sequence} ({status_words(plan, today)})"
                else:
                    enrollment_id = self.store.add_enrollment(
                        contact_id, name, definition.to_json(), start, to_stored(now)
                    )
                    reverts.append(_remover(enrollment_id))
                    why = ""
                if why:
                    skipped.append(Skipped(contact_id, who, why))
                else:
                    changed.append((contact_id, who))
        verb = "moved to the current version of" if migrate else "enrolled in"
        label = f"{len(changed)} contact{'s' * (len(changed) != 1)} {verb} {name}"
        return Batch(tuple(changed), tuple(skipped), _undo(label, reverts))

    def _migrate(
        self,
        latest: tuple[dict[str, Any], Plan] | None,
        definition: Any,
        now: datetime,
        reverts: list[Revert],
    ) -> str:
        """Move a running enrollment to ``definition``; why not (empty: moved)."""
        if latest is None or not latest[1].live:
            return f"not running {definition.name}"
        row, plan = latest
        if plan.sequence != definition.name:
            return f"running {plan.sequence}, not {definition.name}"
        if plan.definition.same_version(definition):
            return f"already on the current version of {definition.name}"
        carried, position, base = resume_point(plan.progress, self.tz)
        event = Event(
            "migrate",
            now,
            position=position,
            carried=carried,
            base=base,
            before=row["definition"],
        )
        reverts.append(_events_restorer(row, definition=True))
        self._add_event(row, event, definition.to_json())
        return ""

    def _act(
        self,
        contact_ids: Sequence[int] | None,
        now: datetime,
        make: Callable[[dict[str, Any], Plan], Event | str],
        label: str,
    ) -> Batch:
        """Record the event ``make`` gives for each contact's running enrollment (every
        running one when ``contact_ids`` is ``None``); a string from ``make`` is why it
        is skipped."""
        if contact_ids is None:
            self.sync_sequences(self._clock(now))
            contact_ids = [r["contact_id"] for r in self.store.enrollments_where(live=True)]
        names = self.store.contact_names(contact_ids)
        changed: list[tuple[int, str]] = []
        skipped: list[Skipped] = []
        reverts: list[Revert] = []
        with self.store.write():
            for contact_id in dict.fromkeys(contact_ids):
                who = names.get(contact_id, str(contact_id))
                latest = self._latest(contact_id, now)
                if latest is None:
                    skipped.append(Skipped(contact_id, who, "not in a sequence"))
                    continue
                row, plan = latest
                if not plan.live:
                    skipped.append(
                        Skipped(contact_id, who, f"{plan.sequence} {plan.progress.status}")
                    )
                    continue
                made = make(row, plan)
                if isinstance(made, str):
                    skipped.append(Skipped(contact_id, who, made))
                    continue
                reverts.append(_events_restorer(row))
                self._add_event(row, made)
                changed.append((contact_id, who))
        count = f"{len(changed)} sequence{'s' * (len(changed) != 1)}"
        return Batch(tuple(changed), tuple(skipped), _undo(f"{count} {label}", reverts))

    def unenroll(
        self, contact_ids: Sequence[int], reason: str = "", now: datetime | None = None
    ) -> Batch:
        """End each contact's running enrollment (``exited``, with ``reason``)."""
        at = now or now_utc()
        return self._act(
            contact_ids, at, lambda row, plan: Event("unenroll", at, reason=reason.strip()), "ended"
        )

    def pause_sequences(
        self,
        contact_ids: Sequence[int] | None,
        until: date,
        start: date | None = None,
        now: datetime | None = None,
    ) -> Batch:
        """Pause the contacts' running enrollments (all of them when ``None``) from
        ``start`` (today) until ``until`` (back that day): no step shows meanwhile and
        the days do not count toward a delay or a wait."""
        at = now or now_utc()
        start = start or local_date(at, self.tz)
        if until <= start:
            raise UsageError(
                f"--until must be after the pause begins ({start.isoformat()}), "
                f"not {until.isoformat()}"
            )
        event = Event("pause", at, start=start, until=until)
        return self._act(contact_ids, at, lambda row, plan: event, "paused")

    def resume_sequences(
        self, contact_ids: Sequence[int] | None, now: datetime | None = None
    ) -> Batch:
        """End the pauses of the contacts' enrollments (all when ``None``) from today,
        a pause after a reply (``on_reply = "pause"``) too."""
        at = now or now_utc()
        today = local_date(at, self.tz)

        def make(row: dict[str, Any], plan: Plan) -> Event | str:
            planned = any(
                e.kind == "pause" and (e.until is None or e.until > today)
                for e in events_from_json(row["events"])
            )
            if plan.progress.status != "paused" and not planned:
                return "not paused"
            return Event("resume", at)

        return self._act(contact_ids, at, make, "resumed")

    def complete_step(self, contact_id: int, now: datetime) -> UndoStep:
        """The contact's due sequence step is done (``done`` on it): the next one is
        scheduled from now. ``UsageError`` when no step is due."""
        clock = self._clock(now)
        row = self.store.latest_enrollment(contact_id)
        plan = self._plans([row], clock).get(row["id"]) if row else None
        step = plan.due(clock.today) if plan is not None else None
        if row is None or step is None:
            raise UsageError("no sequence step due today")
        event = Event("done", clock.as_of, position=step.position, action=step.action)
        fresh = self.store.enrollment(row["id"])
        restore = _events_restorer(fresh)
        self._add_event(fresh, event)
        return UndoStep(f"step {step.number} of {plan.sequence if plan else ''} done", restore)

    # -- the coach on a due step -----------------------------------------------------
    def _due_step(self, contact_id: int, as_of: datetime) -> tuple[Plan, Any] | None:
        clock = self._clock(as_of)
        plan = self.sequence_plans(clock, [contact_id]).get(contact_id)
        step = plan.due(clock.today) if plan is not None else None
        return (plan, step) if plan is not None and step is not None else None

    def due_step_draft(self, contact_id: int, as_of: datetime) -> tuple[Channel, str | None] | None:
        """The channel and template of the contact's sequence step due as of ``as_of``
        (``None`` when none is due, or it is a withdrawal)."""
        due = self._due_step(contact_id, as_of)
        if due is None or due[1].action == WITHDRAW:
            return None
        plan, step = due
        channel = next((c for c in Channel if c.value == step.channel), Channel.OTHER)
        return channel, plan.template(step)

    def step_suggestion(self, contact_id: int, as_of: datetime) -> Suggestion:
        """The coach's draft for the contact's due sequence step: its channel, its
        template (else the coach's choice), every check; none for a call, a withdrawal
        or a step the checks block (``why_not`` says why)."""
        from tracker.coach.suggestions import Suggestion, blocked_reasons

        tracker = cast("Tracker", self)
        due = self._due_step(contact_id, as_of)
        if due is None:
            return Suggestion(None, why_not="no sequence step is due")
        if due[1].action == WITHDRAW:
            return Suggestion(None, why_not="nothing to write: withdraw the invitation (w)")
        channel = next((c for c in Channel if c.value == due[1].channel), Channel.OTHER)
        template_name = due[0].template(due[1])
        if channel.value not in ("sms", "linkedin_invite", "linkedin_message", "email"):
            todo = ACTIONS.get(due[1].channel, "reach out")
            return Suggestion(None, why_not=f"nothing to draft: {todo}, then log it (l)")
        contact = self.store.get_contact(contact_id)
        before = tracker.check(contact, channel, "", as_of)
        if before.blocked:
            return Suggestion(channel, why_not=blocked_reasons(before))
        try:
            text, template, missing = tracker.draft(contact, channel, template_name, as_of=as_of)
        except UsageError:  # the step's template is gone or on another channel now
            text, template, missing = tracker.draft(contact, channel, as_of=as_of)
        result = tracker.check(contact, channel, text, as_of)
        if result.blocked:
            return Suggestion(
                channel,
                template=template.name,
                missing=tuple(missing),
                why_not=blocked_reasons(result),
            )
        return Suggestion(channel, text, template.name, tuple(missing))
