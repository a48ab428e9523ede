"""Today's actions on many items at once, and on the older ones: marking (space, v for a
range that follows the cursor, ctrl+a for a group), the bulk snooze, invitation and done
actions with one undo for the batch, ``d`` (done for today) on one item or the marked
ones, showing the older (lapsed) items, and the word after an import of old history.

``TodayScreen`` is built on this part; the list's marks live in ``QueueList`` (its base
``QueueMarks``, in ``widgets.queue_marks``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from rich.text import Text

from tracker.models import InviteStatus, Kind
from tracker.review import full_sort_key
from tracker.service.day import QueueEntry, QueueSnapshot
from tracker.timeutil import local_date, start_of_day
from tracker.ui.screens.base import MainScreen
from tracker.ui.widgets.item_detail import ItemHint
from tracker.ui.widgets.queue_list import QueueList
from tracker.ui.widgets.status_bar import StatusBar
from tracker.words import long_date, plural

if TYPE_CHECKING:
    from tracker.service import Tracker
    from tracker.service.batch import Batch


class MarkedItems(MainScreen):
    """Today's part that acts on marked items and shows the older ones."""

    def __init__(self) -> None:
        super().__init__()
        self.show_lapsed = False
        """Whether the older (lapsed) items are in the list."""
        self._noticed = False

    @property
    def snapshot(self) -> QueueSnapshot | None:
        return self.outreach.queue

    @property
    def current(self) -> QueueEntry | None:
        return self.query_one(QueueList).current

    def _show(self, *_: object) -> None:
        """Show the list again (``TodayScreen`` draws it)."""

    def _with_older(self, snapshot: QueueSnapshot | None) -> Sequence[QueueEntry]:
        """The snapshot's entries, and the older ones among them (review order) when
        they are shown."""
        if snapshot is None:
            return ()
        if self.show_lapsed and snapshot.lapsed:
            return sorted((*snapshot.entries, *snapshot.lapsed), key=_review_order)
        return snapshot.entries

    def _older_said(self, snapshot: QueueSnapshot | None, empty: Text, needle: str) -> Text:
        """Once the list is shown: marks of items gone forgotten, the top line's count of
        older items, the word after an import; ``empty`` (the text of an empty list)
        with how many older items it hides."""
        self.query_one(StatusBar).set_lapsed_shown(self.show_lapsed)
        if snapshot is None:
            return empty
        queue = self.query_one(QueueList)
        if queue.marked:
            queue.keep_marks({e.key for e in snapshot.entries} | {e.key for e in snapshot.lapsed})
        self._tell_import(snapshot)
        if snapshot.lapsed and not needle and not self.show_lapsed:
            older = plural(snapshot.lapsed_count, "older item")
            empty.append(f"\n\n{older} hidden: press {self._key('show_lapsed')} to see them.")
        return empty

    def _marks_hinted(self) -> bool:
        """While items are marked, the hint says what acts on them (then ``True``)."""
        queue = self.query_one(QueueList)
        if not (queue.marked or queue.ranging):
            return False
        self.query_one(ItemHint).show_marks(len(queue.marked_entries()), queue.ranging)
        return True

    # -- what the screen says ----------------------------------------------------------
    def _key(self, name: str) -> str:
        """The key bound to this screen's binding ``name`` (after any remapping)."""
        for bindings in self._bindings.key_to_bindings.values():
            for binding in bindings:
                if binding.id == f"today.{name}":
                    return self.app.get_key_display(binding)
        return name

    def _tell_import(self, snapshot: QueueSnapshot) -> None:
        """Once after an import of old history: what it hid, and why (when Today is
        the screen in view: an import made from a screen above it waits for its return)."""
        if snapshot.import_notice is None or self._noticed or not self.is_current:
            return
        self._noticed = True
        if snapshot.import_notice:
            key = self._key("show_lapsed")
            self.outreach.notify(
                f"{snapshot.import_notice} Press {key} to see them.",
                title="Older items hidden",
                timeout=20,
                markup=False,
            )
        self.outreach.write("", lambda t: t.dismiss_import_notice())

    def on_screen_resume(self) -> None:
        if (snapshot := self.snapshot) is not None:
            self._tell_import(snapshot)

    # -- done, and marked items ------------------------------------------------------
    def action_done(self) -> None:
        entry = self.current
        chosen = self._marked() or ([entry] if entry is not None else [])
        if not chosen:
            return
        targets = [(e.item.contact_id, e.item.kind) for e in chosen]
        now = self.outreach.now()

        def said(batch: Batch) -> str:
            if len(chosen) == 1 and batch.count == 1:
                return f"{chosen[0].item.contact}: done for today, back tomorrow if still due."
            return f"{plural(batch.count, 'item')} done for today, back tomorrow if still due"

        self._bulk(chosen, lambda t: t.mark_done(targets, t.clock(now)), said)

    def _marked(self) -> list[QueueEntry]:
        return self.query_one(QueueList).marked_entries()

    def action_mark(self) -> None:
        self.query_one(QueueList).toggle_mark()

    def action_mark_range(self) -> None:
        self.query_one(QueueList).toggle_range()

    def action_mark_group(self) -> None:
        self.query_one(QueueList).toggle_group()

    def action_clear_marks(self) -> None:
        self.query_one(QueueList).clear_marks()

    def _bulk(
        self,
        chosen: Sequence[QueueEntry],
        job: Callable[[Tracker], Batch],
        said: Callable[[Batch], str],
        skipped: int = 0,
        why: str = "",
    ) -> None:
        """Run a bulk ``job`` on the ``chosen`` entries (they leave the list at once);
        the message says how many changed and how many were skipped, and why."""
        self.query_one(QueueList).clear_marks()

        def sentence(batch: Batch) -> str:
            reasons = batch.reasons()
            if skipped:
                reasons[why] += skipped
            text = said(batch).rstrip(".")
            if reasons:
                parts = ", ".join(f"{n} {reason}" for reason, n in sorted(reasons.items()))
                text += f"; {sum(reasons.values())} skipped ({parts})"
            return text + "." + (" (u undoes)" if batch.undo is not None else "")

        self.outreach.report(
            lambda: self.outreach.data.write_batch(job, sentence), hide=[e.key for e in chosen]
        )

    def _mark_invitations(self, marked: Sequence[QueueEntry], status: InviteStatus) -> None:
        invitations = [e for e in marked if e.item.kind is Kind.STALE_INVITE]
        if not invitations:
            self.outreach.say(
                f"None of the {plural(len(marked), 'marked item')} is an invitation: "
                "nothing changed.",
                "warning",
            )
            return
        ids = [e.item.contact_id for e in invitations]

        def mark(at: datetime) -> None:
            self._bulk(
                invitations,
                lambda t: t.mark_invitations(ids, status, at, not_before_sent=True),
                lambda b: f"{plural(b.count, 'invitation')} marked {status.value}",
                len(marked) - len(invitations),
                "not an invitation",
            )

        if status is not InviteStatus.ACCEPTED:
            mark(self.outreach.now())
            return
        # Accepting asks when, once for all (it feeds time-to-accept); a past day means
        # its start, or the moment each was sent if that came later.
        from tracker.ui.dialogs.choice import AcceptedDialog

        tz = self.outreach.tz
        today = local_date(self.outreach.now(), tz)

        def chosen(day: object) -> None:
            if isinstance(day, date):
                mark(self.outreach.now() if day >= today else start_of_day(day, tz))

        sent_on = min(local_date(e.item.since, tz) for e in invitations)
        who = plural(len(invitations), "marked invitation")
        self.app.push_screen(AcceptedDialog(today, sent_on, who), chosen)

    def _snooze_marked(self, marked: Sequence[QueueEntry], snapshot: QueueSnapshot) -> None:
        from tracker.ui.dialogs.choice import SnoozeDialog

        targets = [(e.item.contact_id, e.item.kind) for e in marked]

        def chosen(until: object) -> None:
            if not isinstance(until, date):
                return
            self._bulk(
                marked,
                lambda t: t.snooze_items(targets, until),
                lambda b: f"Snoozed {plural(b.count, 'item')} until {long_date(until)}.",
            )

        who = plural(len(marked), "marked item")
        self.app.push_screen(SnoozeDialog(snapshot.today, who), chosen)

    # -- the older items -------------------------------------------------------------
    def action_show_lapsed(self) -> None:
        snapshot = self.snapshot
        if snapshot is None:
            return
        horizon = plural(self.outreach.settings.horizon_days, "day")
        if not snapshot.lapsed:
            self.show_lapsed = False
            self.outreach.say(f"No older items: nothing has been due for more than {horizon}.")
            return
        self.show_lapsed = not self.show_lapsed
        self._show()
        older = plural(snapshot.lapsed_count, "older item")
        self.outreach.say(
            f"Showing {older} (due more than {horizon} ago), marked older."
            if self.show_lapsed
            else f"{older} hidden again."
        )


def _review_order(entry: QueueEntry) -> tuple[int, bool, object, int]:
    return full_sort_key(entry.item)
