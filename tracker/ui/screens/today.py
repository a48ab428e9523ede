"""Today: the review queue, and every action on an item without leaving it.

The list shows the app's latest queue snapshot, minus items an action is resolving right
now (they leave at once; the snapshot that follows confirms it). A line above the footer
says what to do about the selected item and which keys do it. Items marked (space, v for
a range, ctrl+a for a group) are acted on all at once by the same keys, undone by one
``u``; the older (lapsed) items are counted in the top line and shown on request (o).

This module holds the list, its filter, the keys and when each applies, and closing the
review; the actions live in its bases: ``today_actions`` (the selected item),
``today_items`` (copying, reaching) and ``today_bulk`` (marked and older items).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Static

from tracker.models import InviteStatus, Kind
from tracker.service.day import QueueEntry
from tracker.ui.screens.base import keys
from tracker.ui.screens.today_actions import ItemActions
from tracker.ui.widgets.item_detail import ItemDetail, ItemHint, empty_text, invitation_item
from tracker.ui.widgets.key_footer import KeyFooter
from tracker.ui.widgets.queue_list import QueueList
from tracker.ui.widgets.status_bar import StatusBar
from tracker.words import matches, plural

ITEM_ACTIONS = {
    "open",
    "open_link",
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


class TodayScreen(ItemActions):
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
         "Mark or unmark the whole group (all items when sorted by priority)",
         "mark_group", False),
        ("o", "show_lapsed", "Older items", "Show or hide the older (lapsed) items",
         "show_lapsed", False),
        ("f", "follow_up", "Follow-up", "Set the follow-up date and its reason", "follow_up"),
        ("F", "clear_follow_up", "Clear follow-up", "Clear the follow-up date", "clear", False),
        ("m", "compose", "Write", "Write a message: templates, live checks, copy, log as sent",
         "compose"),
        ("c", "copy", "Copy", "Copy the coach's suggested message to the clipboard", "copy",
         False),
        ("O", "open_link", "Reach", "Open their LinkedIn profile, or call, text or email them",
         "open_link", False),
        ("x", "close_review", "Close review",
         "Close today's review (the streak counts days closed with an item dealt with)",
         "close"),
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
        self._keys_shown: tuple[bool, bool] | None = None
        self.by_priority = False

    def compose(self) -> ComposeResult:
        yield StatusBar("Today")  # the filter box goes below it when first asked for
        with Horizontal(id="today-body"):
            yield QueueList(id="queue")
            yield Static("Loading today's queue…", id="empty")
            yield ItemDetail(id="detail")
        yield ItemHint(id="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.watch(self.app, "queue", self._show)  # shows it now, once
        self.watch(self.app, "hidden_version", self._show, init=False)
        self.query_one(QueueList).focus()

    # -- the list ------------------------------------------------------------------
    def _show(self, *_: object) -> None:
        snapshot = self.snapshot
        queue = self.query_one(QueueList)
        hidden = {key for keys in self.outreach.hidden.values() for key in keys}
        needle = self._filter_text().strip().casefold()
        entries = [e for e in self._with_older(snapshot) if e.key not in hidden]
        if needle:
            entries = [e for e in entries if matches(e.item, needle)]
        if self.by_priority:
            entries.sort(key=lambda e: -e.item.priority.score)
        keep = queue.current.key if queue.current else None
        if self.outreach.restored is not None:  # an undo brought it back: go to it
            keep, self.outreach.restored = self.outreach.restored, None
        queue.set_entries(entries, keep=keep, grouped=not self.by_priority)
        empty = self.query_one("#empty", Static)
        queue.display = bool(entries)
        empty.display = not entries
        self.query_one("#detail").set_class(not entries, "-empty")
        empty.update(self._older_said(snapshot, empty_text(snapshot, needle), needle))
        self._describe(queue.current)

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
        if not self._marks_hinted():
            self.query_one(ItemHint).show(entry, priority=self.by_priority)
        self.query_one(ItemDetail).show(entry)

    # -- which keys apply; the day's review ----------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        entry = self.current if self.is_mounted else None
        queue = self.query_one(QueueList) if self.is_mounted else None
        marking = queue is not None and (bool(queue.marked) or queue.ranging)
        if action == "invitation":
            withdrawn = parameters == (InviteStatus.WITHDRAWN.value,)
            return marking or (entry is not None and invitation_item(entry, withdrawn))
        if action in ITEM_ACTIONS:
            return True if entry is not None else None
        if action == "clear_marks":
            return marking
        if action == "clear_filter":
            return bool(self._filter_text()) if self.is_mounted else False
        return True

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
        self.set_focus(box)  # now, not after the keys already on their way

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
