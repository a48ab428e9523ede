"""What the Today screen says about the selected item: a one-line hint above the footer
(what to do, and the keys special to its kind; sorted by priority, the score and its
parts first), on wide screens a side panel with the whole reason, the priority's
parts, the last message and the suggested message that ``c`` copies, and what shows when
the list is empty.

The suggestion is the coach's draft, made in a worker and kept until the queue changes;
then it is drafted again, and the panel shows the last draft until the new one is ready
(no "drafting…" flash when another program's write brings a fresh queue)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.message import Message
from textual.widget import Widget

from tracker.errors import TrackerError
from tracker.models import Kind
from tracker.service.day import QueueEntry, QueueSnapshot
from tracker.text import safe
from tracker.words import MESSAGE_WORDS, item_title, one_line, plural

if TYPE_CHECKING:  # the coach loads in the worker that first drafts, not with Today
    from tracker.coach.suggestions import Suggestion
    from tracker.ui.app import OutreachApp

KIND_KEYS = {
    Kind.STALE_INVITE: "w withdraw · a accepted · i ignored",
    Kind.RESEND_INVITE: "l logs the new invitation",
    Kind.STEP_BACK: "s lets it rest (snooze) · r logs their reply",
    Kind.FOLLOW_UP_DUE: "f moves the date · F clears it",
    Kind.KEY_DATE: "m writes the note for it · c copies the coach's",
    Kind.SEQUENCE_STEP: "l logs it · d done (the next step follows) · c copies the draft",
}
WITHDRAW_KEYS = "w withdrawn · d done (the sequence goes on)"
"""The keys of a sequence's step that withdraws an invitation no one accepted."""


def kind_keys(entry: QueueEntry) -> str:
    """The keys special to the item's kind (empty: none)."""
    item = entry.item
    if item.kind is Kind.SEQUENCE_STEP and item.details.get("step_action") == "withdraw":
        return WITHDRAW_KEYS
    return KIND_KEYS.get(item.kind, "")


def invitation_item(entry: QueueEntry, withdrawing: bool) -> bool:
    """Whether ``w``/``a``/``i`` act on the item: a stale invitation, or (withdrawing
    only) the sequence step that withdraws one."""
    item = entry.item
    if item.kind is Kind.STALE_INVITE:
        return True
    step = item.kind is Kind.SEQUENCE_STEP and item.details.get("step_action") == "withdraw"
    return withdrawing and step


class ItemHint(Widget):
    """One line of fixed size: redrawn without a new layout, so moving is cheap."""

    DEFAULT_CSS = "ItemHint { height: 1; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = Text()

    def render(self) -> Text:
        return self._text

    def show(self, entry: QueueEntry | None, priority: bool = False) -> None:
        """``priority``: lead with the item's score and its parts."""
        text = Text(no_wrap=True, overflow="ellipsis")
        if entry is not None:
            item = entry.item
            if priority:
                text.append(f"priority {item.priority.explain()} — ", style="bold")
            if keys := kind_keys(entry):
                text.append(keys + " — ", style="bold")
            text.append("to do: ", style="bold")
            text.append(one_line(item.action))
        self._text = text
        self.refresh()

    def show_marks(self, count: int, ranging: bool) -> None:
        """While items are marked: what acts on all of them."""
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"{plural(count, 'item')} marked", style="bold")
        if ranging:
            text.append(" (range: move to extend, v ends it) — s w a i d act on all · esc clears")
        else:
            text.append(" — s snooze · w withdraw · a accepted · i ignored · d done · esc clears")
        self._text = text
        self.refresh()


class ItemDetail(Widget):
    """A panel of fixed size (wide terminals only): redrawn, never re-laid out, as the
    cursor moves; not drawn at all while hidden."""

    class Drafted(Message):
        """The coach's suggestion for the queue entry ``key`` is ready."""

        def __init__(self, key: str, suggestion: Suggestion) -> None:
            super().__init__()
            self.key, self.suggestion = key, suggestion

    class _Made(Message):
        def __init__(self, key: str, seq: int, suggestion: Suggestion) -> None:
            super().__init__()
            self.key, self.seq, self.suggestion = key, seq, suggestion

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._showing: QueueEntry | None = None
        self._text: Text | None = None
        self._suggestions: dict[str, Suggestion] = {}
        self._earlier: dict[str, Suggestion] = {}
        """The drafts made for the queue before this one: shown while redrafting."""
        self._seq = 0
        self._asked: tuple[str, int] | None = None

    def show(self, entry: QueueEntry | None) -> None:
        self._showing = entry
        self._text = None
        if self.display:
            if entry is not None:  # drafted once the panel has painted without it
                self.call_after_refresh(self._draft_shown, entry)
            self.refresh()

    def _draft_shown(self, entry: QueueEntry) -> None:
        if entry is self._showing and self.display:
            self.suggestion(entry)

    def on_resize(self) -> None:
        if self._showing is not None and self.display:
            self.suggestion(self._showing)

    def render(self) -> Text:
        if self._text is None:
            entry = self._showing
            known = None
            if entry is not None:
                known = self._suggestions.get(entry.key) or self._earlier.get(entry.key)
            self._text = self._compose_text(entry, known)
        return self._text

    # -- the coach's suggestion ----------------------------------------------------
    def suggestion(self, entry: QueueEntry) -> Suggestion | None:
        """The coach's draft for ``entry``; ``None`` while it is being made (``Drafted``
        follows)."""
        queue = cast("OutreachApp", self.app).queue
        seq = queue.seq if queue is not None else 0
        if seq != self._seq:  # the data changed: so may the drafts
            self._seq = seq
            self._earlier.update(self._suggestions)
            self._suggestions = {}
        known = self._suggestions.get(entry.key)
        if known is None and self._asked != (entry.key, seq):  # not already drafting it
            self._asked = (entry.key, seq)
            self._draft(entry, seq)
        return known

    @work(thread=True, exclusive=True, group="item-draft")
    def _draft(self, entry: QueueEntry, seq: int) -> None:
        from tracker.coach.suggestions import Suggestion

        app = cast("OutreachApp", self.app)
        item, now = entry.item, app.now()
        try:
            found = app.data.run(lambda t: t.suggest(item.contact_id, item.kind, now))
        except TrackerError as exc:
            found = Suggestion(None, why_not=str(exc))
        self.post_message(self._Made(entry.key, seq, found))

    @on(_Made)
    def _made(self, message: _Made) -> None:
        message.stop()
        if message.seq != self._seq:
            return
        self._suggestions[message.key] = message.suggestion
        if self._showing is not None and self._showing.key == message.key:
            self._text = None
            self.refresh()
        self.post_message(self.Drafted(message.key, message.suggestion))

    @staticmethod
    def _compose_text(entry: QueueEntry | None, suggestion: Suggestion | None) -> Text:
        if entry is None:
            return Text()
        item = entry.item
        text = Text()
        text.append(item_title(item) + "\n", style="bold")
        text.append(one_line(item.contact), style="bold")
        if item.company:
            text.append(" · " + one_line(item.company))
        text.append("\n\nWhy: ", style="bold")
        text.append(one_line(item.reason))
        text.append("\nWhat to do: ", style="bold")
        text.append(one_line(item.action))
        if item.kind is Kind.SEQUENCE_STEP:
            _step(text, item.details)
        text.append("\nPriority: ", style="bold")
        text.append(item.priority.explain())
        if entry.preview:
            who = "you" if entry.preview_out else "them"
            text.append(f"\n\nLast message ({who}):\n", style="bold")
            text.append(one_line(entry.preview), style="italic")
        _suggestion(text, suggestion)
        return text


def _step(text: Text, details: dict[str, object]) -> None:
    """A sequence step's place in its sequence, its title and its template."""
    text.append("\nStep: ", style="bold")
    text.append(f"{details.get('step')} of {details.get('steps')} of {details.get('sequence')}")
    text.append(f" · {one_line(str(details.get('title') or ''))}")
    if details.get("template"):
        text.append("\nTemplate: ", style="bold")
        text.append(one_line(str(details["template"])))


def _suggestion(text: Text, suggestion: Suggestion | None) -> None:
    """The coach's draft (or why there is none) at the end of ``text``."""
    if suggestion is None:
        text.append("\n\nThe coach is drafting a message…", style="italic")
        return
    what = MESSAGE_WORDS[suggestion.channel]
    if not suggestion.text:
        text.append(f"\n\nNo {what} suggested (m writes another way):\n", style="bold")
        text.append(one_line(suggestion.why_not), style="red")
        return
    text.append(f"\n\nSuggested {what} (c copies, m edits):\n", style="bold")
    text.append(safe(suggestion.text))
    if suggestion.missing:
        fill = ", ".join("{" + name + "}" for name in suggestion.missing)
        text.append(f"\nFill in {fill} first.", style="italic")


def empty_text(snapshot: QueueSnapshot | None, needle: str) -> Text:
    """What Today shows instead of the list: loading, nothing matching ``needle``, the
    review closed, or all clear."""
    if snapshot is None:
        return Text("Loading today's queue…")
    if needle:
        return Text(f"Nothing matches “{one_line(needle)}”. Escape clears the filter.")
    streak = plural(snapshot.streak, "day")
    if snapshot.sequence_pause:
        paused = Text(f"\n\n{snapshot.sequence_pause}.", style="italic")
        return _empty(snapshot, streak) + paused
    return _empty(snapshot, streak)


def _empty(snapshot: QueueSnapshot, streak: str) -> Text:
    if snapshot.closed:
        return Text.assemble(
            ("Today's review is closed. ", "bold"),
            f"Streak: {streak}. Nothing more to do until tomorrow.",
        )
    return Text.assemble(
        ("All clear: nothing left in today's queue.\n\n", "bold"),
        f"Press x to close today's review (streak so far: {streak}).\n"
        "Press 2 for your contacts, n to add one, ctrl+p to find anyone.",
    )
