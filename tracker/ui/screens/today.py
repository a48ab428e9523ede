"""Today: the review queue, and every action on an item without leaving it.

The list shows the app's latest queue snapshot, minus items an action is resolving right
now (they leave at once; the snapshot that follows confirms it). A line above the footer
says what to do about the selected item and which keys do it. Items marked (space, v for
a range, ctrl+a for a group) are acted on all at once by the same keys, undone by one
``u``; the older (lapsed) items are counted in the top line and shown on request (o).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Static

from tracker.coach.channels import out_channel, reply_channel
from tracker.coach.suggestions import Suggestion
from tracker.models import Direction, InviteStatus, Kind
from tracker.review import full_sort_key
from tracker.service.day import QueueEntry, QueueSnapshot
from tracker.ui.screens.base import MainScreen, keys
from tracker.ui.widgets.item_detail import ItemDetail, ItemHint, empty_text
from tracker.ui.widgets.key_footer import KeyFooter
from tracker.ui.widgets.queue_list import QueueList
from tracker.ui.widgets.status_bar import StatusBar
from tracker.words import MESSAGE_WORDS, long_date, one_line, plural, search_text

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from tracker.service import Tracker
    from tracker.service.batch import Batch
    from tracker.service.edits import TouchDraft
    from tracker.ui.dialogs.follow_up import FollowUp

ITEM_ACTIONS = {
    "open",
    "reply",
    "log",
    "snooze",
    "follow_up",
    "clear_follow_up",
    "copy",
    "compose",
    "done",
    "mark",
    "mark_range",
    "mark_group",
}


class TodayScreen(MainScreen):
    WHERE = "Today"
    STYLES = False  # all in tracker.tcss, read at start
    TIPS = (
        "Work top to bottom: act on an item (or snooze it) and it leaves the list.",
        "u undoes the last change; ctrl+p finds any contact by name, company, phone, email or tag.",
        "p sorts by priority (the score's parts show under the list and in the side panel).",
        "space marks an item, v a range, ctrl+a a group: s, w, a, i and d then act on all "
        "marked at once, and one u undoes them all.",
        "d: done for today (back tomorrow if still due). o shows the older items the top "
        "line counts (due longer than [review] horizon_days).",
    )
    # fmt: off
    BINDINGS = keys("today", [
        ("question_mark", "app.help", "Help", "Every key on this screen", "help"),
        ("r", "reply", "Reply", "Log their reply (a touch from them)", "reply"),
        ("l", "log", "Log", "Log a touch you made: text, call, email, message, invite", "log"),
        ("w", "invitation('withdrawn')", "Withdraw", "Mark the invitation withdrawn", "withdrawn"),
        ("a", "invitation('accepted')", "Accepted", "Mark the invitation accepted", "accepted"),
        ("i", "invitation('ignored')", "Ignored", "Mark the invitation ignored", "ignored"),
        ("s", "snooze", "Snooze", "Snooze: tomorrow, in 3 days, next week or a date", "snooze"),
        ("d", "done", "Done", "Done for today: it leaves the queue, back tomorrow if still due",
         "done", False),
        ("space", "mark", "Mark", "Mark or unmark the item (keys then act on all marked)",
         "mark", False),
        ("v", "mark_range", "Mark range", "Mark a range: v, move the cursor, v again ends it",
         "mark_range", False),
        ("ctrl+a", "mark_group", "Mark group",
         "Mark the cursor's group (every item when sorted by priority); again unmarks it",
         "mark_group", False),
        ("o", "show_lapsed", "Older items", "Show or hide the older (lapsed) items",
         "show_lapsed", False),
        ("f", "follow_up", "Follow-up", "Set the follow-up date and its reason", "follow_up"),
        ("F", "clear_follow_up", "Clear follow-up", "Clear the follow-up date", "clear", False),
        ("m", "compose", "Write", "Write a message: templates, live checks, copy, log as sent",
         "compose"),
        ("c", "copy", "Copy", "Copy the coach's suggested message to the clipboard", "copy",
         False),
        ("x", "close_review", "Close review", "Close today's review (keeps the streak)", "close"),
        ("q", "app.quit", "Quit", "Quit", "quit"),
        ("2", "app.contacts", "Contacts", "All contacts", "contacts"),
        ("3", "app.insights", "Insights", "What works for you, in numbers", "insights", False),
        ("p", "priority", "Priority", "Sort by priority (again: by kind)", "priority", False),
        ("enter", "open", "Open", "Open the contact", "open"),
        ("slash", "filter", "Filter", "Filter the queue as you type", "filter", False),
        ("escape", "clear_marks", "Clear marks", "Clear the marks", "clear_marks", False),
        ("escape", "clear_filter", "Clear filter", "Clear the filter", "clear_filter", False),
        ("n", "app.new_contact", "New contact", "Add a contact", "new_contact", False),
        ("e", "app.export('queue')", "Export", "Export contacts, touches or the queue", "export",
         False),
        ("ctrl+r,f5", "refresh", "Refresh", "Reload the queue", "refresh", False),
    ])
    # fmt: on

    def __init__(self) -> None:
        super().__init__()
        self._copied: dict[str, Suggestion] = {}
        self._copy_wanted: str | None = None
        self._keys_shown: tuple[bool, bool] | None = None
        self.by_priority = False
        self.show_lapsed = False
        self._noticed = False

    def compose(self) -> ComposeResult:
        yield StatusBar("Today")  # the filter box goes below it when first asked for
        with Horizontal(id="today-body"):
            yield QueueList(id="queue")
            yield Static("Loading today's queue…", id="empty")
            yield ItemDetail(id="detail")
        yield ItemHint(id="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.watch(self.app, "queue", self._show)
        self.watch(self.app, "hidden_version", self._show)
        self.query_one(QueueList).focus()

    # -- the list ------------------------------------------------------------------
    @property
    def snapshot(self) -> QueueSnapshot | None:
        return self.outreach.queue

    @property
    def current(self) -> QueueEntry | None:
        return self.query_one(QueueList).current

    def _show(self, *_: object) -> None:
        snapshot = self.snapshot
        queue = self.query_one(QueueList)
        hidden = {key for keys in self.outreach.hidden.values() for key in keys}
        needle = self._filter_text().strip().casefold()
        shown: Sequence[QueueEntry] = snapshot.entries if snapshot else ()
        if snapshot is not None and self.show_lapsed and snapshot.lapsed:
            shown = sorted((*snapshot.entries, *snapshot.lapsed), key=_review_order)
        entries = [e for e in shown if e.key not in hidden]
        if needle:
            entries = [e for e in entries if needle in search_text(e.item)]
        if self.by_priority:
            entries.sort(key=lambda e: -e.item.priority.score)
        keep = queue.current.key if queue.current else None
        queue.set_entries(entries, keep=keep, grouped=not self.by_priority)
        if snapshot is not None:
            queue.keep_marks({e.key for e in snapshot.entries} | {e.key for e in snapshot.lapsed})
            self._tell_import(snapshot)
        self.query_one(StatusBar).set_lapsed_shown(self.show_lapsed)
        empty = self.query_one("#empty", Static)
        queue.display = bool(entries)
        empty.display = not entries
        self.query_one("#detail").set_class(not entries, "-empty")
        text = empty_text(snapshot, needle)
        if snapshot is not None and snapshot.lapsed and not needle:
            older = plural(snapshot.lapsed_count, "older item")
            text.append(f"\n\n{older} hidden: press {self._key('show_lapsed')} to see them.")
        empty.update(text)
        self._describe(queue.current)

    def _key(self, name: str) -> str:
        """The key bound to this screen's binding ``name`` (after any remapping)."""
        for bindings in self._bindings.key_to_bindings.values():
            for binding in bindings:
                if binding.id == f"today.{name}":
                    return self.app.get_key_display(binding)
        return name

    def _tell_import(self, snapshot: QueueSnapshot) -> None:
        """Once after an import of old history: what it hid, and why."""
        if snapshot.import_notice is None or self._noticed:
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

    @on(QueueList.Highlighted)
    def _highlighted(self, event: QueueList.Highlighted) -> None:
        self._describe(event.entry)
        # Rebuilding the footer is costly: only when the keys that apply change.
        entry = event.entry
        keys = (entry is not None, entry is not None and entry.item.kind is Kind.STALE_INVITE)
        if keys != self._keys_shown:
            self._keys_shown = keys
            self.refresh_bindings()

    @on(QueueList.Chosen)
    def _chosen(self, event: QueueList.Chosen) -> None:
        self.outreach.open_contact(event.entry.item.contact_id)

    @on(QueueList.MarksChanged)
    def _marks_changed(self) -> None:
        self._describe(self.current)
        self.refresh_bindings()

    def _describe(self, entry: QueueEntry | None) -> None:
        queue = self.query_one(QueueList)
        if queue.marked or queue.ranging:
            self.query_one(ItemHint).show_marks(len(queue.marked_entries()), queue.ranging)
        else:
            self.query_one(ItemHint).show(entry, priority=self.by_priority)
        self.query_one(ItemDetail).show(entry)

    @on(ItemDetail.Drafted)
    def _drafted(self, event: ItemDetail.Drafted) -> None:
        entry = self.current
        if entry is not None and entry.key == event.key == self._copy_wanted:
            self._copy_wanted = None
            self._copy(entry, event.suggestion)

    # -- actions on the selected item ----------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        entry = self.current if self.is_mounted else None
        queue = self.query_one(QueueList) if self.is_mounted else None
        marking = queue is not None and (bool(queue.marked) or queue.ranging)
        if action == "invitation":
            return marking or (entry is not None and entry.item.kind is Kind.STALE_INVITE)
        if action in ITEM_ACTIONS:
            return True if entry is not None else None
        if action == "clear_marks":
            return marking
        if action == "clear_filter":
            return bool(self._filter_text()) if self.is_mounted else False
        return True

    def action_open(self) -> None:
        if entry := self.current:
            self.outreach.open_contact(entry.item.contact_id)

    def _log(self, direction: Direction) -> None:
        from tracker.ui.dialogs.touch_form import TouchForm

        entry = self.current
        if entry is None:
            return
        item = entry.item
        channel = reply_channel(item) if direction is Direction.IN else out_channel(item)
        heading = "Log their reply" if direction is Direction.IN else "Log a touch"
        if item.kind is Kind.RESEND_INVITE and direction is Direction.OUT:
            heading = "Log the new invitation"
        copied = self._copied.get(entry.key) if direction is Direction.OUT else None
        form = TouchForm(
            one_line(item.contact),
            self.outreach.now,
            self.outreach.tz,
            copied.channel if copied and copied.channel else channel,
            direction,
            heading=heading,
            text=copied.text if copied else "",
            contact_id=item.contact_id,
            template=copied.template if copied else None,
        )

        def logged(draft: TouchDraft | None) -> None:
            if draft is None:
                return
            now = self.outreach.now()
            what = "reply from" if direction is Direction.IN else "touch with"
            self.outreach.write(
                f"Logged a {what} {item.contact}.",
                lambda t: t.log_touch(item.contact_id, draft, now),
            )

        self.app.push_screen(form, logged)

    def action_reply(self) -> None:
        self._log(Direction.IN)

    def action_log(self) -> None:
        self._log(Direction.OUT)

    def action_invitation(self, status: str) -> None:
        if marked := self._marked():
            self._mark_invitations(marked, InviteStatus(status))
            return
        entry = self.current
        if entry is None or entry.item.kind is not Kind.STALE_INVITE:
            return
        item = entry.item
        now = self.outreach.now()
        self.outreach.write(
            f"{item.contact}: invitation marked {status}. (u undoes)",
            lambda t: t.mark_invitation(item.contact_id, InviteStatus(status), now),
            hide=entry.key,
        )

    def action_snooze(self) -> None:
        from tracker.ui.dialogs.choice import SnoozeDialog

        entry = self.current
        snapshot = self.snapshot
        if entry is None or snapshot is None:
            return
        if marked := self._marked():
            self._snooze_marked(marked, snapshot)
            return
        item = entry.item

        def chosen(until: object) -> None:
            if not isinstance(until, date):
                return
            self.outreach.write(
                f"Snoozed {item.contact} until {long_date(until)}.",
                lambda t: t.snooze_item(item.contact_id, item.kind, until),
                hide=entry.key,
            )

        self.app.push_screen(SnoozeDialog(snapshot.today, one_line(item.contact)), chosen)

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

    # -- marked items --------------------------------------------------------------
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
            text = said(batch)
            if reasons:
                parts = ", ".join(f"{n} {reason}" for reason, n in sorted(reasons.items()))
                text = f"{text.rstrip('.')}; {sum(reasons.values())} skipped ({parts})."
            return text + (" (u undoes)" if batch.undo is not None else "")

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
        now = self.outreach.now()
        self._bulk(
            invitations,
            lambda t: t.mark_invitations(ids, status, now),
            lambda b: f"{plural(b.count, 'invitation')} marked {status.value}",
            len(marked) - len(invitations),
            "not an invitation",
        )

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

    def action_follow_up(self) -> None:
        from tracker.ui.dialogs.follow_up import FollowUpForm

        entry = self.current
        snapshot = self.snapshot
        if entry is None or snapshot is None:
            return
        item = entry.item
        reason = entry.follow_up_reason

        def chosen(follow_up: FollowUp | None) -> None:
            if follow_up is None:
                return
            now = self.outreach.now()
            resolves = item.kind is Kind.FOLLOW_UP_DUE and follow_up.due > snapshot.today
            self.outreach.write(
                f"Follow up with {item.contact} on {long_date(follow_up.due)}.",
                lambda t: t.set_follow_up(item.contact_id, follow_up.due, follow_up.reason, now),
                hide=entry.key if resolves else None,
            )

        form = FollowUpForm(one_line(item.contact), snapshot.today, reason=reason)
        self.app.push_screen(form, chosen)

    def action_clear_follow_up(self) -> None:
        if entry := self.current:
            item = entry.item
            self.outreach.write(
                f"Cleared the follow-up date for {item.contact}.",
                lambda t: t.remove_follow_up(item.contact_id),
                hide=entry.key if item.kind is Kind.FOLLOW_UP_DUE else None,
            )

    def action_copy(self) -> None:
        entry = self.current
        if entry is None:
            return
        known = self.query_one(ItemDetail).suggestion(entry)
        if known is None:  # copied as soon as the coach has drafted it
            self._copy_wanted = entry.key
            return
        self._copy(entry, known)

    def _copy(self, entry: QueueEntry, suggestion: Suggestion) -> None:
        what = MESSAGE_WORDS[suggestion.channel]
        who = entry.item.contact
        if not suggestion.text:
            self.outreach.say(
                f"No {what} suggested for {who}: {suggestion.why_not}. "
                "m writes a message by another channel.",
                "warning",
            )
            return
        self.app.copy_to_clipboard(suggestion.text)
        self._copied[entry.key] = suggestion
        fill = ", ".join("{" + name + "}" for name in suggestion.missing)
        self.outreach.say(
            f"Copied the coach's {what} for {who}"
            + (f" (fill in {fill} first)" if fill else "")
            + ". Paste it where you send it, then press l to log it (the text is filled in)."
        )

    def action_compose(self) -> None:
        from tracker.ui.dialogs.compose import ComposeDialog

        if entry := self.current:
            item = entry.item
            self.app.push_screen(ComposeDialog(item.contact_id, one_line(item.contact), item.kind))

    def action_close_review(self) -> None:
        snapshot = self.snapshot
        if snapshot is None:
            return
        if snapshot.left == 0:
            self._close()
            return
        question = (
            f"{plural(snapshot.left, 'item')} still in the queue. They stay there for "
            "tomorrow. Close today's review anyway?"
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._close()

        from tracker.ui.dialogs.confirm import ConfirmDialog

        self.app.push_screen(ConfirmDialog("Close today's review?", question), answered)

    def _close(self) -> None:
        self.outreach.report(self.outreach.data.close_review)

    def action_refresh(self) -> None:
        self.outreach.refresh_queue()

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

    def action_priority(self) -> None:
        self.by_priority = not self.by_priority
        self._show()
        self.query_one(QueueList).action_first()
        self.outreach.say(
            "Sorted by priority, highest first." if self.by_priority else "Grouped by kind."
        )

    # -- filtering -----------------------------------------------------------------
    def _filter_text(self) -> str:
        boxes = self.query("#filter").results(Input)
        return next((box.value for box in boxes), "")

    async def action_filter(self) -> None:
        box = next(iter(self.query("#filter").results(Input)), None)
        if box is None:  # built on first use: Today opens without it
            box = Input(placeholder="filter: name, company, kind or reason", id="filter")
            await self.mount(box, before="#today-body")
        box.display = True
        box.focus()

    def action_clear_filter(self) -> None:
        for box in self.query("#filter").results(Input):
            box.value = ""
            box.display = False
        self.query_one(QueueList).focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._show()
        self.refresh_bindings()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        box = self.query_one("#filter", Input)
        if not box.value:
            box.display = False
        self.query_one(QueueList).focus()


def _review_order(entry: QueueEntry) -> tuple[int, bool, object, int]:
    return full_sort_key(entry.item)
