"""Working out where each enrollment stands, and the reads built on it: the plans the
review holds items for and shows steps of, a contact's plan, the funnel of every
sequence, and what is paused.

The rules are ``tracker.sequences.progress``: a replay of the enrollment over its
contact's history as of a moment. The store keeps each enrollment's last result with the
day it next needs a look, and flags it when its contact's history changes, so a review
replays only the enrollments with something new (their result is stored again when it is
as of now). A review of another moment replays in memory.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from tracker.errors import UsageError
from tracker.sequences.calendar import Calendar, Slots, caps_for
from tracker.sequences.definitions import CHANNELS, SequenceDef, from_json
from tracker.sequences.plan import Plan
from tracker.sequences.progress import RULES_VERSION, progress
from tracker.sequences.records import Enrollment, Progress, events_from_json
from tracker.service.base import ServiceBase
from tracker.timeutil import Clock, from_stored, now_utc, to_stored
from tracker.words import long_date, plural

WORKED_OUT_WITH = "sequences.worked_out_with"
"""The setting that holds the settings (and the version of the rules) enrollments were
last worked out with: when they change (holidays, caps, the step-back run...), every
running enrollment is worked out again."""


class SequencePlansMixin(ServiceBase):
    """Enrollments worked out as of a moment, and what the review and screens read."""

    def _clock(self, now: datetime) -> Clock:
        return Clock(now, self.tz)

    # -- definitions -----------------------------------------------------------------
    def sequence_definitions(self) -> dict[str, SequenceDef]:
        """The built-in sequences and the user's ``sequences.toml`` over them (each
        step's template checked against the templates there are)."""
        from tracker.coach.templates import load_templates
        from tracker.sequences.loading import load_sequences  # the files: when first read

        templates = {name: t.channel.value for name, t in load_templates().items()}
        return load_sequences(templates=templates, default_max_days=self.settings.stale_invite_days)

    # -- working enrollments out -----------------------------------------------------
    def _sequence_settings(self) -> None:
        """Flag every running enrollment when the settings they depend on changed."""
        settings = self.settings
        now = json.dumps(
            {
                "rules": RULES_VERSION,
                "holidays": [d.isoformat() for d in settings.holidays],
                "max_per_day": settings.max_per_day,
                "step_back_run": settings.step_back_run,
                "resend_invite_days": settings.resend_invite_days,
                "stale_invite_days": settings.stale_invite_days,
                "timezone": str(self.tz),
            },
            sort_keys=True,
        )
        if self.store.get_setting(WORKED_OUT_WITH) == now:
            return
        if self.store.has_live_enrollments():
            with self.store.write():
                self.store.flag_enrollments()
                self.store.set_setting(WORKED_OUT_WITH, now)

    @staticmethod
    def _enrollment(row: dict[str, Any]) -> Enrollment:
        enrolled_at = from_stored(row["enrolled_at"])
        assert enrolled_at is not None
        return Enrollment(
            id=row["id"],
            contact_id=row["contact_id"],
            definition=from_json(row["definition"]),
            start_on=date.fromisoformat(row["start_on"]),
            enrolled_at=enrolled_at,
            events=events_from_json(row["events"]),
        )

    @staticmethod
    def _stored(row: dict[str, Any], clock: Clock) -> Progress | None:
        """The stored result, when it still holds as of ``clock``: worked out since the
        last change, at or before ``clock``, and with no look due by then."""
        if row["progress"] is None or row["dirty"]:
            return None
        synced = from_stored(row["synced_at"])
        if synced is None or synced > clock.as_of:
            return None
        check = row["next_check_on"]
        if check is not None and date.fromisoformat(check) <= clock.today:
            return None
        return Progress.from_json(row["progress"])

    def _work_out(self, rows: Sequence[dict[str, Any]], clock: Clock) -> dict[int, Progress]:
        """Each enrollment's progress as of ``clock``, by enrollment id: stored when it
        holds, else replayed (in enrollment order, which ``max_per_day`` follows) and
        stored again when ``clock`` is now."""
        found: dict[int, Progress] = {}
        redo: list[dict[str, Any]] = []
        for row in rows:
            stored = self._stored(row, clock)
            if stored is not None:
                found[row["id"]] = stored
            else:
                redo.append(row)
        if not redo:
            return found
        latest = now_utc() + timedelta(minutes=self.settings.clock_skew_minutes)

        def kept(row: dict[str, Any]) -> bool:
            """Whether the result is stored: as of now (or later than it was), and not
            of an enrollment frozen as history."""
            synced = from_stored(row["synced_at"])
            fresh = synced is None or synced <= clock.as_of
            return not row["frozen"] and clock.as_of <= latest and fresh

        # Stored results are worked out inside one write, from rows read again in it, so
        # a touch or an act recorded meanwhile by another process is never lost.
        saving = any(kept(row) for row in redo)
        with self.store.write() if saving else contextlib.nullcontext():
            if saving:
                redo = self.store.enrollments_by_id([row["id"] for row in redo])
            slots = self._slots(redo)
            for row in sorted(redo, key=lambda r: r["id"]):
                result = progress(
                    self._enrollment(row),
                    self.store.get_contact(row["contact_id"]),
                    self.store.touches_for(row["contact_id"]),
                    clock,
                    self.settings,
                    slots.calendar.holidays,
                    slots.place,
                )
                found[row["id"]] = result
                if kept(row):
                    self._save(row["id"], result, clock, slots)
        return found

    def _slots(self, rows: Sequence[dict[str, Any]]) -> Slots:
        """The days each step is shown on, with the other enrollments' steps counted."""
        calendar = Calendar(frozenset(self.settings.holidays))
        caps = caps_for(self.settings.max_per_day, CHANNELS)
        ids = [r["id"] for r in rows]
        known = {
            (eid, position, action): (date.fromisoformat(due), date.fromisoformat(day))
            for eid, kept in self.store.slots_of(ids).items()
            for position, action, _, due, day in kept
        }
        since = min(date.fromisoformat(r["start_on"]) for r in rows)
        taken = self.store.slot_counts(sorted(caps), since, ids) if caps else {}
        return Slots(caps, calendar, taken, known)

    def _save(self, enrollment_id: int, result: Progress, clock: Clock, slots: Slots) -> None:
        pending = result.pending
        due = pending.slot_on if pending is not None and result.status == "active" else None
        reached = {(s.position, s.action) for s in result.steps if s.outcome is not None}
        kept = [
            (position, action, channel, due_on.isoformat(), day.isoformat())
            for (eid, position, action), (channel, due_on, day) in slots.placed.items()
            if eid == enrollment_id and (result.live or (position, action) in reached)
        ]
        changed = result.changed_at or clock.as_of
        values = {
            "status": result.status,
            "progress": result.to_json(),
            "next_due_on": due.isoformat() if due is not None else None,
            "next_check_on": result.next_check.isoformat()
            if result.next_check and result.live
            else None,
            "paused_until": result.paused_until.isoformat() if result.paused_until else None,
            "changed_at": to_stored(changed),
            "synced_at": to_stored(clock.as_of),
        }
        self.store.save_progress(enrollment_id, values, kept)

    def enrollments_on_older_version(self, name: str) -> list[dict[str, Any]]:
        """The running enrollments in sequence ``name`` whose version is not the one
        defined now (``enroll --migrate`` moves them)."""
        definition = self.sequence_definitions().get(name)
        if definition is None:
            raise UsageError(f"no sequence {name!r} (`outreach sequences` lists them)")
        self.sync_sequences(self._clock(now_utc()))
        rows = self.store.enrollments_where(name, live=True)
        return [r for r in rows if not from_json(r["definition"]).same_version(definition)]

    def sync_sequences(self, clock: Clock) -> int:
        """Work out (and store) every running enrollment with something new or a look
        due as of ``clock``; returns how many."""
        self._sequence_settings()
        rows = self.store.enrollments_to_work_out(clock.today)
        self._work_out(rows, clock)
        return len(rows)

    # -- plans -----------------------------------------------------------------------
    def _plans(
        self, rows: Iterable[dict[str, Any]], clock: Clock, versions: bool = False
    ) -> dict[int, Plan]:
        """The plan of each enrollment row as of ``clock``, by enrollment id; with
        ``versions``, whether each runs the version defined now."""
        rows = list(rows)
        worked = self._work_out(rows, clock)
        current: dict[str, SequenceDef] = {}
        if versions:
            try:
                current = self.sequence_definitions()
            except UsageError:  # a broken file: `sequences check` says what is wrong
                current = {}
        plans = {}
        for row in rows:
            if row["id"] not in worked:
                continue  # deleted meanwhile (its contact was)
            definition = from_json(row["definition"])
            now = current.get(definition.name)
            plans[row["id"]] = Plan(
                enrollment_id=row["id"],
                contact_id=row["contact_id"],
                definition=definition,
                start_on=date.fromisoformat(row["start_on"]),
                progress=worked[row["id"]],
                current_version=not versions or now is None or now.same_version(definition),
            )
        return plans

    def sequence_plans(self, clock: Clock, contact_ids: Sequence[int]) -> dict[int, Plan]:
        """Each contact's enrollment as of ``clock`` (the latest one recorded by then,
        or starting by then), by contact id: what the review reads."""
        self._sequence_settings()
        relevant = _relevant(self.store.enrollments_of(contact_ids), clock)
        if not relevant:
            return {}
        plans = self._plans(relevant.values(), clock)
        return {
            contact_id: plans[row["id"]]
            for contact_id, row in relevant.items()
            if row["id"] in plans
        }

    def contact_plans(self, contact_id: int, clock: Clock) -> list[Plan]:
        """Every enrollment of the contact as of ``clock``, latest first (the first is
        their plan now), each saying whether it runs the current version."""
        self._sequence_settings()
        rows = [r for r in self.store.enrollments_of([contact_id]) if _recorded(r, clock)]
        plans = self._plans(rows, clock, versions=True)
        return [plans[r["id"]] for r in reversed(rows) if r["id"] in plans]

    def sequence_report(self, clock: Clock, since: date | None = None) -> list[dict[str, Any]]:
        """Every sequence with its funnel and enrollments (``outreach sequences``):
        ``tracker.sequences.funnel``; ``since``: enrollments starting from that day."""
        from tracker.sequences.funnel import Enrolled, funnel

        self.sync_sequences(clock)
        rows = [r for r in self.store.enrollments_where() if _recorded(r, clock)]
        plans = self._plans(rows, clock, versions=True)
        names = self.store.contact_names([r["contact_id"] for r in rows])
        enrolled = [
            Enrolled(r["contact_id"], names.get(r["contact_id"], "?"), plans[r["id"]])
            for r in rows
            if r["id"] in plans
        ]
        touch_ids = [t for p in plans.values() for t in p.progress.invitations]
        statuses = self.store.touch_statuses(touch_ids)
        return funnel(self.sequence_definitions(), enrolled, statuses, self.tz, since)

    def sequence_pause_note(self, clock: Clock) -> str:
        """What Today says while sequences are paused: ``3 sequences paused until Mon 30
        Nov 2026`` (empty when none is)."""
        rows = self.store.paused_enrollments()
        if not rows:
            return ""
        untils = {r["paused_until"] for r in rows}
        count = plural(len(rows), "sequence")
        if None in untils:
            return f"{count} paused until resumed (outreach resume)"
        last = max(date.fromisoformat(u) for u in untils)
        if last <= clock.today:
            return ""
        said = "until" if len(untils) == 1 else "the last until"
        return f"{count} paused, {said} {long_date(last)}".replace("paused, until", "paused until")


def _recorded(row: dict[str, Any], clock: Clock) -> bool:
    """Whether the enrollment counts as of ``clock``: recorded by then, or starting by
    then (a rep catching up records an enrollment that started earlier)."""
    enrolled_at = from_stored(row["enrolled_at"])
    started = date.fromisoformat(row["start_on"]) <= clock.today
    return started or (enrolled_at is not None and enrolled_at <= clock.as_of)


def _relevant(rows: Iterable[dict[str, Any]], clock: Clock) -> dict[int, dict[str, Any]]:
    """Each contact's latest enrollment that counts as of ``clock``."""
    found: dict[int, dict[str, Any]] = {}
    for row in rows:
        if _recorded(row, clock):
            best = found.get(row["contact_id"])
            if best is None or row["id"] > best["id"]:
                found[row["contact_id"]] = row
    return found
