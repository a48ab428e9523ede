"""What the Today screen says about the selected item: a one-line hint above the footer
(what to do, and the keys special to its kind; sorted by priority, the score and its
parts first), and on wide screens a side panel with the whole reason, the priority's
parts, the last message and the suggested message that ``c`` copies."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from tracker.models import Kind
from tracker.ui.data import QueueEntry
from tracker.ui.format import KIND_TITLES, one_line
from tracker.ui.suggestions import suggest

KIND_KEYS = {
    Kind.STALE_INVITE: "w withdraw · a accepted · i ignored",
    Kind.RESEND_INVITE: "l logs the new invitation",
    Kind.STEP_BACK: "s lets it rest (snooze) · r logs their reply",
    Kind.FOLLOW_UP_DUE: "f moves the date · F clears it",
}


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
            if item.kind in KIND_KEYS:
                text.append(KIND_KEYS[item.kind] + " — ", style="bold")
            text.append("to do: ", style="bold")
            text.append(one_line(item.action))
        self._text = text
        self.refresh()


class ItemDetail(Widget):
    """A panel of fixed size (wide terminals only): redrawn, never re-laid out, as the
    cursor moves; not drawn at all while hidden."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._showing: tuple[QueueEntry | None, str] = (None, "")
        self._text: Text | None = None

    def show(self, entry: QueueEntry | None, my_name: str) -> None:
        self._showing = (entry, my_name)
        self._text = None
        if self.display:
            self.refresh()

    def render(self) -> Text:
        if self._text is None:
            self._text = self._compose_text(*self._showing)
        return self._text

    @staticmethod
    def _compose_text(entry: QueueEntry | None, my_name: str) -> Text:
        if entry is None:
            return Text()
        item = entry.item
        suggestion = suggest(item, my_name)
        text = Text()
        text.append(KIND_TITLES[item.kind] + "\n", style="bold")
        text.append(one_line(item.contact), style="bold")
        if item.company:
            text.append(" · " + one_line(item.company))
        text.append("\n\nWhy: ", style="bold")
        text.append(one_line(item.reason))
        text.append("\nWhat to do: ", style="bold")
        text.append(one_line(item.action))
        text.append("\nPriority: ", style="bold")
        text.append(item.priority.explain())
        if entry.preview:
            who = "you" if entry.preview_out else "them"
            text.append(f"\n\nLast message ({who}):\n", style="bold")
            text.append(one_line(entry.preview), style="italic")
        text.append(f"\n\nSuggested {suggestion.channel} (c copies it):\n", style="bold")
        text.append(suggestion.text)
        return text
