"""Bulk actions: one operation on many review items or contacts at once (snooze, mark
invitations, done), each all-or-nothing in one transaction. Each says what it changed
and what it skipped and why, and returns one ``UndoStep`` that takes the whole batch
back; the CLI's several-contact commands and the app's marked items both run them.

``done`` hides an item for the day it is done on (it is back the next day if still due)
and counts toward that day's review: its key goes in the day's record (``DayRecord``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, cast

from tracker.models import Channel, InviteStatus, Kind, ReviewItem
from tracker.service.base import ServiceBase
from tracker.service.day import item_key
from tracker.service.edits import UndoStep
from tracker.timeutil import Clock
from tracker.words import plural

if TYPE_CHECKING:
    from tracker.service.tracker import Tracker

Target = tuple[int, Kind]
"""A review item by its contact id and kind."""
Revert = Callable[["Tracker"], None]


@dataclass(frozen=True)
class Skipped:
    """A contact (or its item) a bulk action did not apply to, and why."""

    contact_id: int
    contact: str
    reason: str


@dataclass(frozen=True)
class Batch:
    """What a bulk action did: the contacts it changed (id, name, in the order asked),
    those it skipped, and the undo of the whole batch (``None`` when nothing changed)."""

    changed: tuple[tuple[int, str], ...]
    skipped: tuple[Skipped, ...]
    undo: UndoStep | None

    @property
    def count(self) -> int:
        return len(self.changed)

    def reasons(self) -> Counter[str]:
        """How many were skipped for each reason."""
        return Counter(s.reason for s in self.skipped)


def _undo(label: str, reverts: list[Revert]) -> UndoStep | None:
    """One step reverting ``reverts`` newest first, in one transaction."""
    if not reverts:
        return None

    def revert(tracker: Tracker) -> None:
        with tracker.store.write():
            for step in reversed(reverts):
                step(tracker)

    return UndoStep(label, revert)


def _items(count: int, noun: str = "item") -> str:
    return plural(count, noun)


class BatchMixin(ServiceBase):
    """Snooze, mark invitations and mark done, on many at once."""

    @property
    def _whole(self) -> Tracker:
        """This part as the whole ``Tracker`` (the day's review, invitations)."""
        return cast("Tracker", self)

    def _names(self, contact_ids: Sequence[int]) -> dict[int, str]:
        return {cid: self.store.get_contact(cid).name for cid in dict.fromkeys(contact_ids)}

    # -- choosing from the review ----------------------------------------------------
    def select_items(self, clock: Clock, kind: Kind, older_than: int) -> list[ReviewItem]:
        """The items of ``kind`` due as of ``clock`` (lapsed ones too) older than
        ``older_than`` days, in review order."""
        return [
            item
            for item in self._whole.full_review(clock).everything()
            if item.kind is kind and item.age_days > older_than
        ]

    # -- the actions -----------------------------------------------------------------
    def snooze_items(self, targets: Sequence[Target], until: date) -> Batch:
        """Snooze each item until ``until`` (whether due now or not, as one snooze)."""
        targets = list(dict.fromkeys(targets))
        names = self._names([cid for cid, _ in targets])
        reverts: list[Revert] = []
        with self.store.write():
            for contact_id, kind in targets:
                previous = self.store.snoozed_until(contact_id, kind)
                self.store.snooze(contact_id, kind, until)
                reverts.append(_snooze_restorer(contact_id, kind, previous))
        changed = tuple((cid, names[cid]) for cid, _ in targets)
        return Batch(changed, (), _undo(f"snooze of {_items(len(targets))}", reverts))

    def mark_invitations(
        self,
        contact_ids: Sequence[int],
        status: InviteStatus,
        at: datetime,
        not_before_sent: bool = False,
    ) -> Batch:
        """Mark each contact's pending invitation ``status`` at ``at``; a contact with
        none pending is skipped, and so is one whose invitation was sent after ``at``,
        unless ``not_before_sent``: then that one is marked at the moment it was sent (a
        day chosen for all, whose start came before some were sent)."""
        self._whole._check_when(Channel.LINKEDIN_INVITE, at)
        changed: list[tuple[int, str]] = []
        skipped: list[Skipped] = []
        reverts: list[Revert] = []
        with self.store.write():
            for contact_id in dict.fromkeys(contact_ids):
                contact = self.store.get_contact(contact_id)
                invitation = self._whole.latest_invitation(contact)
                if invitation is None or invitation.status != InviteStatus.PENDING:
                    skipped.append(Skipped(contact.id, contact.name, "no pending invitation"))
                    continue
                if at < invitation.at and not not_before_sent:
                    skipped.append(Skipped(contact.id, contact.name, "invited after that time"))
                    continue
                self.store.set_touch_status(invitation.id, status.value, max(at, invitation.at))
                reverts.append(_pending_restorer(invitation.id))
                changed.append((contact.id, contact.name))
        label = f"{_items(len(changed), 'invitation')} marked {status.value}"
        return Batch(tuple(changed), tuple(skipped), _undo(label, reverts))

    def mark_done(self, targets: Sequence[Target], clock: Clock) -> Batch:
        """Mark each item done for ``clock``'s day: hidden that day, back the next if
        still due, counted as done. An item not due that day is skipped."""
        whole = self._whole
        today = clock.today
        targets = list(dict.fromkeys(targets))
        names = self._names([cid for cid, _ in targets])
        record = whole.day_record(today)
        due = {(i.contact_id, i.kind) for i in whole.full_review(clock).everything()}
        changed: list[tuple[int, str]] = []
        skipped: list[Skipped] = []
        keys: list[str] = []
        steps: list[UndoStep] = []
        dealt: list[str] = []
        for contact_id, kind in targets:
            key = item_key(contact_id, kind)
            if key in record.done:
                skipped.append(Skipped(contact_id, names[contact_id], "already done today"))
            elif (contact_id, kind) not in due:
                reason = f"no {kind.value} item due today"
                skipped.append(Skipped(contact_id, names[contact_id], reason))
            elif kind is Kind.SEQUENCE_STEP:
                # Done completes the step; the next one may be due today already.
                steps.append(whole.complete_step(contact_id, clock.as_of))
                record.dealt.add(key)
                dealt.append(key)
                changed.append((contact_id, names[contact_id]))
            else:
                keys.append(key)
                changed.append((contact_id, names[contact_id]))
        if keys or steps:
            record.done.update(keys)
            whole.save_day_record(today, record)

        def revert(tracker: Tracker) -> None:
            for step in reversed(steps):
                step.revert(tracker)
            now = tracker.day_record(today)
            now.done.difference_update(keys)
            now.dealt.difference_update([*keys, *dealt])
            tracker.save_day_record(today, now)

        count = len(keys) + len(steps)
        step = UndoStep(f"{_items(count)} done", revert) if count else None
        return Batch(tuple(changed), tuple(skipped), step)


def _snooze_restorer(contact_id: int, kind: Kind, previous: date | None) -> Revert:
    def revert(tracker: Tracker) -> None:
        if previous is None:
            tracker.store.unsnooze(contact_id, kind)
        else:
            tracker.store.snooze(contact_id, kind, previous)

    return revert


def _pending_restorer(invitation_id: int) -> Revert:
    pending = {"status": InviteStatus.PENDING.value, "status_at": None}
    return lambda tracker: tracker.store.update_touch(invitation_id, pending)
