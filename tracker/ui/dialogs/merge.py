"""Merging two contacts from the app: pick the other one, then confirm.

``MergePicker`` lists the contact's likely duplicates (the service's ``merge_candidates``,
each with its reason) and has a search box to find any other contact by name, company,
phone or email. ``MergeConfirm`` shows what would move (the service's dry run) and which
contact is kept; ``k`` swaps which one is kept. Nothing is written here: the screen runs
the merge, so ``u`` undoes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from tracker.duplicates import Duplicate
from tracker.errors import TrackerError
from tracker.identity import format_phone
from tracker.models import ContactRow
from tracker.service.merge import MergeResult
from tracker.ui.dialogs.base import Dialog, title
from tracker.words import one_line

SEARCH_LIMIT = 20


class MergePicker(Dialog[int]):
    """The other contact to merge with ``contact_id`` (its id), or ``None``."""

    BINDINGS = [
        Binding("down", "move(1)", "Next contact", show=False, id="merge.down"),
        Binding("up", "move(-1)", "Previous contact", show=False, id="merge.up"),
    ]

    class Candidates(Message):
        def __init__(self, found: list[Duplicate]) -> None:
            super().__init__()
            self.found = found

    class Found(Message):
        def __init__(self, query: str, rows: list[ContactRow]) -> None:
            super().__init__()
            self.query, self.rows = query, rows

    def __init__(self, contact_id: int, name: str) -> None:
        super().__init__()
        self.contact_id = contact_id
        self.who = name
        self.reasons: dict[int, str] = {}
        self.candidates: list[tuple[int, str]] = []
        """(id, name) of the likely duplicates, in the service's order."""
        self.loaded = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog merge"):
            yield title("Merge with…", one_line(self.who))
            yield Input(
                placeholder="find another contact: name, company, phone or email",
                compact=True,
                id="merge-search",
            )
            yield OptionList(
                Option(Text("Looking for likely duplicates…"), disabled=True), id="merge-choices"
            )
            yield Static(Text("↑ ↓ choose · enter picks · escape closes"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#merge-search", Input).focus()
        self._candidates()

    @work(thread=True, exclusive=True, group="merge-candidates")
    def _candidates(self) -> None:
        contact_id = self.contact_id
        try:
            found = self.app.data.run(lambda t: t.merge_candidates(contact_id))  # type: ignore[attr-defined]
        except TrackerError:
            found = []
        self.post_message(self.Candidates(found))

    @on(Candidates)
    def _candidates_loaded(self, message: Candidates) -> None:
        for duplicate in message.found:
            for other_id, name in zip(duplicate.ids, duplicate.names, strict=True):
                if other_id != self.contact_id:
                    self.reasons[other_id] = duplicate.reason
                    self.candidates.append((other_id, name))
        self.loaded = True
        if not self.query_one("#merge-search", Input).value.strip():
            self._show_candidates()

    def _show_candidates(self) -> None:
        if not self.loaded:
            return
        if not self.candidates:
            none = "No likely duplicates. Type to find the contact to merge with."
            self._show([Option(Text(none, style="italic"), disabled=True)])
            return
        heading = Option(Text("Likely duplicates", style="bold"), disabled=True)
        self._show([heading, *(self._option(i, n, self.reasons[i]) for i, n in self.candidates)])

    def _option(self, contact_id: int, name: str, detail: str) -> Option:
        text = Text(one_line(name, 60), style="bold")
        text.append(f"  #{contact_id}", style="dim")
        if detail:
            text.append("\n  " + one_line(detail, 120), style="dim")
        return Option(text, id=str(contact_id))

    def _show(self, options: Sequence[Option]) -> None:
        choices = self.query_one("#merge-choices", OptionList)
        choices.clear_options()
        choices.add_options(options)
        enabled = [n for n, option in enumerate(options) if not option.disabled]
        choices.highlighted = enabled[0] if enabled else None

    @on(Input.Changed, "#merge-search")
    def _search(self, event: Input.Changed) -> None:
        query = event.value.strip()
        if not query:
            self._show_candidates()
            return
        self._find(query)

    @work(thread=True, exclusive=True, group="merge-search")
    def _find(self, query: str) -> None:
        try:
            rows = self.app.data.find_contacts(query, SEARCH_LIMIT + 1)  # type: ignore[attr-defined]
        except TrackerError:
            rows = []
        self.post_message(self.Found(query, rows))

    @on(Found)
    def _found(self, message: Found) -> None:
        if message.query != self.query_one("#merge-search", Input).value.strip():
            return  # typed on since: a newer search is on its way
        rows = [row for row in message.rows if row.id != self.contact_id][:SEARCH_LIMIT]
        if not rows:
            nobody = f"No other contact matches “{one_line(message.query, 40)}”."
            self._show([Option(Text(nobody, style="italic"), disabled=True)])
            return
        options = []
        for row in rows:
            details = [
                one_line(row.company),
                format_phone(row.phone) if row.phone else "",
                one_line(row.email),
            ]
            said = " · ".join(d for d in details if d)
            if row.id in self.reasons:
                said = f"{said} · {self.reasons[row.id]}" if said else self.reasons[row.id]
            options.append(self._option(row.id, row.name, said))
        self._show(options)

    def action_move(self, step: int) -> None:
        choices = self.query_one("#merge-choices", OptionList)
        if step > 0:
            choices.action_cursor_down()
        else:
            choices.action_cursor_up()

    @on(Input.Submitted, "#merge-search")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        choices = self.query_one("#merge-choices", OptionList)
        if choices.highlighted is not None:
            option = choices.get_option_at_index(choices.highlighted)
            if not option.disabled and option.id:
                self.dismiss(int(option.id))

    @on(OptionList.OptionSelected, "#merge-choices")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.dismiss(int(event.option.id))


@dataclass(frozen=True)
class MergePlan:
    """The merge the user confirmed: ``other`` goes into ``keep``."""

    keep_id: int
    other_id: int
    keep_name: str
    other_name: str


class MergeConfirm(Dialog[MergePlan]):
    """What merging ``other_id`` into ``keep_id`` would move (a dry run), and which one
    is kept; ``k`` keeps the other one instead. The result is the ``MergePlan``."""

    BINDINGS = [
        Binding("y", "merge", "Merge", id="merge.yes"),
        Binding("k", "swap", "Keep the other", id="merge.swap"),
        Binding("n", "cancel", "Cancel", id="merge.no"),
    ]

    class Planned(Message):
        def __init__(self, result: MergeResult | None, error: str = "") -> None:
            super().__init__()
            self.result, self.error = result, error

    def __init__(self, keep_id: int, other_id: int, on_screen: int) -> None:
        super().__init__()
        self.keep_id = keep_id
        self.other_id = other_id
        self.on_screen = on_screen
        self.result: MergeResult | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog merge"):
            yield title("Merge two contacts")
            yield Static(Text("Reading what would move…"), classes="dialog-text", id="merge-plan")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Merge (y)", variant="primary", compact=True, id="merge")
                yield Button("Keep the other (k)", compact=True, id="swap")
                yield Button("Cancel (n)", compact=True, id="cancel")

    def on_mount(self) -> None:
        self._replan()

    def _replan(self) -> None:
        self.result = None
        self._ready(False)
        self._plan()

    def _ready(self, ready: bool) -> None:
        for button in ("#merge", "#swap"):
            self.query_one(button, Button).disabled = not ready
        if ready:
            self.query_one("#merge", Button).focus()
        else:
            self.query_one("#cancel", Button).focus()

    @work(thread=True, exclusive=True, group="merge-plan")
    def _plan(self) -> None:
        keep_id, other_id = self.keep_id, self.other_id

        def dry_run(tracker: Any) -> MergeResult:
            keep, other = tracker.contact(keep_id), tracker.contact(other_id)
            return tracker.merge(keep, other, dry_run=True)  # type: ignore[no-any-return]

        try:
            result = self.app.data.run(dry_run)  # type: ignore[attr-defined]
        except TrackerError as exc:
            self.post_message(self.Planned(None, str(exc)))
            return
        self.post_message(self.Planned(result))

    @on(Planned)
    def _planned(self, message: Planned) -> None:
        plan = self.query_one("#merge-plan", Static)
        self.result = message.result
        if message.result is None:
            plan.update(Text(f"Cannot merge: {one_line(message.error)}", style="bold"))
            return
        result = message.result
        text = Text()
        text.append("Keep    ", style="bold")
        text.append(_who(result.keep.name, result.keep.id, result.keep.company))
        if result.keep.id == self.on_screen:
            text.append("  (on screen)", style="dim")
        text.append("\nRemove  ", style="bold")
        text.append(_who(result.other.name, result.other.id, result.other.company))
        if result.other.id == self.on_screen:
            text.append("  (on screen)", style="dim")
        text.append("\n")
        for line in result.lines()[1:]:  # the service's own words (its heading said above)
            text.append("\n" + one_line(line[0].upper() + line[1:]))
        text.append("\n\nu undoes the merge.", style="dim italic")
        plan.update(text)
        self._ready(True)

    def action_swap(self) -> None:
        if self.result is None:
            return
        self.keep_id, self.other_id = self.other_id, self.keep_id
        self.query_one("#merge-plan", Static).update(Text("Reading what would move…"))
        self._replan()

    def action_merge(self) -> None:
        result = self.result
        if result is not None:
            self.dismiss(
                MergePlan(result.keep.id, result.other.id, result.keep.name, result.other.name)
            )

    @on(Button.Pressed, "#merge")
    def _merge_pressed(self) -> None:
        self.action_merge()

    @on(Button.Pressed, "#swap")
    def _swap_pressed(self) -> None:
        self.action_swap()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)


def _who(name: str, contact_id: int, company: str) -> str:
    """A contact as the confirmation names them: name, id and company."""
    who = f"{one_line(name, 50)} (#{contact_id})"
    return f"{who} · {one_line(company, 40)}" if company else who
