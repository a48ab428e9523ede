"""Menus: pick one of a few options (a sort column, a snooze length, the day an invitation
was accepted), or of many (a tag).

Arrow keys and enter, a digit for the n-th option, or the mouse; escape closes. A menu of
more than ``SEARCH_FROM`` options opens with a filter box instead of digits: typing keeps
the options that contain the text, the arrows move, enter picks.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from datetime import UTC, date, timedelta

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from tracker.dates import next_week
from tracker.errors import DateError
from tracker.timeutil import parse_date
from tracker.ui.dialogs.base import Dialog, title
from tracker.ui.widgets.field import Field
from tracker.words import long_date

PICK_DATE = "pick-date"
SEARCH_FROM = 9


class ChoiceDialog(Dialog[Hashable]):
    """``options`` are (label, value); the result is the chosen value."""

    BINDINGS = [
        *(
            Binding(
                str(n),
                f"pick({n - 1})",
                f"Option {n}",
                tooltip="Pick the option with that number",
                show=False,
                id=f"choice.{n}",
            )
            for n in range(1, 10)
        ),
        Binding("down", "move(1)", "Next option", show=False, id="choice.down"),
        Binding("up", "move(-1)", "Previous option", show=False, id="choice.up"),
    ]

    def __init__(
        self,
        heading: str,
        options: Sequence[tuple[str, Hashable]],
        current: Hashable | None = None,
        subtitle: str = "",
    ) -> None:
        super().__init__()
        self.heading = heading
        self.subtitle = subtitle
        self.options = list(options)
        self.current = current
        self.searchable = len(self.options) > SEARCH_FROM
        self._shown = list(range(len(self.options)))
        """Indexes into ``options`` of what the list shows (all, or those the filter keeps)."""

    def _items(self) -> list[Option]:
        if self.searchable:
            return [Option(Text(self.options[i][0]), id=str(i)) for i in self._shown]
        return [
            Option(Text(f"{n}  {label}"), id=str(n - 1))
            for n, (label, _) in enumerate(self.options, 1)
        ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog narrow"):
            yield title(self.heading, self.subtitle)
            if self.searchable:
                yield Input(placeholder="type to filter", compact=True, id="choice-filter")
            yield OptionList(*self._items(), id="choices")

    def on_mount(self) -> None:
        choices = self.query_one("#choices", OptionList)
        values = [value for _, value in self.options]
        choices.highlighted = values.index(self.current) if self.current in values else 0
        if self.searchable:
            self.query_one("#choice-filter", Input).focus()
        else:
            choices.focus()

    @on(Input.Changed, "#choice-filter")
    def _filter(self, event: Input.Changed) -> None:
        needle = event.value.strip().casefold()
        self._shown = [i for i, (label, _) in enumerate(self.options) if needle in label.casefold()]
        choices = self.query_one("#choices", OptionList)
        choices.clear_options()
        choices.add_options(self._items())
        choices.highlighted = 0 if self._shown else None

    @on(Input.Submitted, "#choice-filter")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        choices = self.query_one("#choices", OptionList)
        if choices.highlighted is not None and self._shown:
            option = choices.get_option_at_index(choices.highlighted)
            self.action_pick(int(option.id or 0))

    def action_move(self, step: int) -> None:
        choices = self.query_one("#choices", OptionList)
        if choices.option_count:
            at = (choices.highlighted or 0) + step
            choices.highlighted = max(0, min(at, choices.option_count - 1))

    def action_pick(self, index: int) -> None:
        if 0 <= index < len(self.options):
            self.chosen(self.options[index][1])

    def chosen(self, value: Hashable) -> None:
        self.dismiss(value)

    @on(OptionList.OptionSelected, "#choices")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.action_pick(int(event.option.id or 0))


class SnoozeDialog(ChoiceDialog):
    """Tomorrow, in 3 days, next week, or a date typed in. The result is a ``date``."""

    def __init__(self, today: date, who: str) -> None:
        self.today = today
        choices: list[tuple[str, Hashable]] = [
            (f"Tomorrow          {long_date(today + timedelta(days=1))}", today + timedelta(1)),
            (f"In 3 days         {long_date(today + timedelta(days=3))}", today + timedelta(3)),
            (f"Next week         {long_date(next_week(today))}", next_week(today)),
            ("On a date…", PICK_DATE),
        ]
        super().__init__("Snooze until", choices, subtitle=who)

    def on_mount(self) -> None:
        super().on_mount()
        box = self.query_one(".dialog", Vertical)
        box.mount(
            Field(
                "Snooze until",
                Input(placeholder="friday, +5d, next mon, 2026-12-04", compact=True, id="until"),
                hint="Enter to snooze; it comes back on that day.",
                id="until-field",
            )
        )
        self.query_one("#until-field", Field).display = False

    def chosen(self, value: Hashable) -> None:
        if value == PICK_DATE:
            self.query_one("#until-field", Field).display = True
            self.query_one("#until", Input).focus()
            return
        self.dismiss(value)

    @on(Input.Submitted, "#until")
    def _typed(self, event: Input.Submitted) -> None:
        field = self.query_one("#until-field", Field)
        try:
            until = parse_date(event.value, UTC, today=self.today)
        except DateError as exc:
            field.set_error(exc.for_field("Snooze until"))
            return
        if until <= self.today:
            field.set_error("pick a day after today")
            return
        self.dismiss(until)


class AcceptedDialog(ChoiceDialog):
    """When an invitation was accepted: today, yesterday, or a date typed in (from the day
    it was sent to today). The result is a ``date``; today's means now."""

    def __init__(self, today: date, sent_on: date, who: str) -> None:
        self.today = today
        self.sent_on = sent_on
        yesterday = today - timedelta(days=1)
        choices: list[tuple[str, Hashable]] = [(f"Today             {long_date(today)}", today)]
        if sent_on <= yesterday:
            choices.append((f"Yesterday         {long_date(yesterday)}", yesterday))
        choices.append(("On a date…", PICK_DATE))
        super().__init__("Accepted when?", choices, subtitle=who)

    def on_mount(self) -> None:
        super().on_mount()
        box = self.query_one(".dialog", Vertical)
        box.mount(
            Field(
                "Accepted on",
                Input(
                    placeholder="yesterday, last fri, 3 days ago, 2026-11-20",
                    compact=True,
                    id="accepted-on",
                ),
                hint=f"Enter to record it; sent {long_date(self.sent_on)}.",
                id="accepted-on-field",
            )
        )
        self.query_one("#accepted-on-field", Field).display = False

    def chosen(self, value: Hashable) -> None:
        if value == PICK_DATE:
            self.query_one("#accepted-on-field", Field).display = True
            self.query_one("#accepted-on", Input).focus()
            return
        self.dismiss(value)

    @on(Input.Submitted, "#accepted-on")
    def _typed(self, event: Input.Submitted) -> None:
        field = self.query_one("#accepted-on-field", Field)
        try:
            day = parse_date(event.value, UTC, today=self.today, direction="behind")
        except DateError as exc:
            field.set_error(exc.for_field("Accepted on"))
            return
        if day > self.today:
            field.set_error("pick today or an earlier day")
            return
        if day < self.sent_on:
            field.set_error(f"it was sent on {long_date(self.sent_on)}: pick that day or later")
            return
        self.dismiss(day)
