"""Insights: what works for this rep, from their own history, in tables and charts.

The figures come from ``Tracker.stats()`` in a thread worker, in two steps when the
screen opens or a filter changes: every panel but the replies first, then the replies
(``Tracker.reply_stats_ahead``, the dearest part, counted on a connection of its own
while the rest is worked out), so the first figures show as soon as they are known
(all at once when the replies were counted by then); the panels are drawn by
``tracker.insights.panels``. ``p`` steps through the periods (30 / 90 / 365 days, all
time), ``s`` and ``t`` filter by segment and tag, and the first panel answers "should I
add a note?" for each audience beside the study's figures. The page scrolls at 80x24 and
lays its panels out in two columns on wide terminals.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from rich.console import RenderableType
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

from tracker.ahead import Ahead
from tracker.errors import TrackerError, UsageError
from tracker.health import HealthReport
from tracker.insights import health_panel, panels
from tracker.insights.sequences import sequences_panel
from tracker.models import Segment
from tracker.replies import REPLY_KEYS
from tracker.service import Tracker
from tracker.service.edits import UndoStep
from tracker.timeutil import local_date
from tracker.ui.screens.base import MainScreen, keys
from tracker.ui.widgets.key_footer import KeyFooter
from tracker.ui.widgets.status_bar import StatusBar
from tracker.words import one_line, plural, short_date, words

PERIODS: tuple[tuple[int | None, str], ...] = (
    (30, "last 30 days"),
    (90, "last 90 days"),
    (365, "last 365 days"),
    (None, "all time"),
)
PANEL_FIGURES: dict[str, tuple[str, ...]] = {
    "invitations": ("min_sample", "acceptance_by_segment", "invitations"),
    "time": ("min_sample", "time_to_accept"),
    "moments": ("acceptance_by_moment",),
    "templates": ("acceptance_by_template",),
    "resends": ("first_vs_resend",),
    "replies": REPLY_KEYS,
    "pipeline": ("pipeline",),
    "ritual": ("as_of", "ritual"),
    "sequences": ("sequences",),
}
"""The figures each panel is drawn from (``tracker.insights.panels``)."""
COLUMNS = (
    ("health", "invitations", "time", "moments", "templates", "resends"),
    ("replies", "pipeline", "ritual", "sequences"),
)


@dataclass(frozen=True)
class Filters:
    """What the figures are computed for."""

    days: int | None = None
    segment: str = ""
    tag: str = ""

    def since(self, today: date) -> date | None:
        """The first day of the period: ``days`` days up to and including today."""
        return None if self.days is None else today - timedelta(days=self.days - 1)


class InsightsScreen(MainScreen):
    WHERE = "Insights"
    # Two columns only where the acceptance table fits in the first one.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (150, "-wide")]
    TIPS = (
        "A rate is of the invitations decided; New ones (pending, younger than "
        "stale_invite_days) are counted apart. Fewer than [insights] min_sample (10) "
        "decided are marked too few.",
        "Account health is always as of now; its limits are the [linkedin] settings.",
        "A period counts invitations and messages by the day they were sent; the pipeline "
        "and the ritual are always as of now.",
    )
    # fmt: off
    BINDINGS = keys("insights", [
        ("question_mark", "app.help", "Help", "Every key on this screen", "help"),
        ("p", "period(1)", "Period", "Next period: 30, 90, 365 days, all time", "period"),
        ("P", "period(-1)", "Previous period", "Previous period", "period_back", False),
        ("s", "pick_segment", "Segment", "Only contacts in one segment (or all)", "segment"),
        ("t", "pick_tag", "Tag", "Only contacts with one tag (or all)", "tag"),
        ("g", "guess_segments", "Guess segments",
         "Set empty segments from job titles (asks first; u undoes)", "guess", False),
        ("1", "app.today", "Today", "Back to today's queue", "today"),
        ("2", "app.contacts", "Contacts", "All contacts", "contacts"),
        ("ctrl+r,f5", "refresh", "Refresh", "Compute the figures again", "refresh", False),
        ("q", "back", "Back", "Back to where you were", "back"),
    ])
    # fmt: on

    class Computed(Message):
        def __init__(
            self,
            filters: Filters,
            figures: dict[str, Any],
            tags: list[str],
            health: HealthReport | None = None,
            complete: bool = True,
        ) -> None:
            super().__init__()
            self.filters, self.figures, self.tags = filters, figures, tags
            self.health = health
            self.complete = complete
            """``False``: every figure but the replies, which follow."""

    class Failed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(self) -> None:
        super().__init__()
        self.filters = Filters()
        self.figures: dict[str, Any] | None = None
        """Every figure of the filters shown (once the replies have come too)."""
        self.shown: dict[str, Any] | None = None
        """The figures on screen: ``figures``, or all but the replies while they come."""
        self.health: HealthReport | None = None
        self._drawn: dict[str, Any] = {}
        """What each panel was last drawn from (a panel is redrawn only when it moves)."""
        self.tags: list[str] = []

    def compose(self) -> ComposeResult:
        yield StatusBar("Insights")
        yield Static(Text("Working out your numbers…"), id="insights-filters")
        with VerticalScroll(id="insights"), Horizontal(id="insights-columns"):
            for column in COLUMNS:
                with Vertical(classes="insights-column"):
                    for name in column:
                        yield Static("", id=f"panel-{name}", classes="panel")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#insights", VerticalScroll).focus()
        self.watch(self.app, "data_version", self._recompute, init=False)
        self._compute()

    # -- computing -------------------------------------------------------------------
    def _compute(self, *_: object) -> None:
        self._show_filters(working=True)
        self._figures(self.filters, True)

    def _recompute(self) -> None:
        """The data changed: the same figures again, quietly, in one step (the panels are
        redrawn only if a figure moved)."""
        self._figures(self.filters, False)

    @work(thread=True, exclusive=True, group="insights")
    def _figures(self, filters: Filters, stepwise: bool) -> None:
        app = self.outreach
        now = app.now()
        worker = get_current_worker()

        def job(
            tracker: Tracker,
        ) -> tuple[dict[str, Any], list[str], HealthReport, Ahead[dict[str, Any]] | None]:
            clock = tracker.clock(now)
            since = filters.since(clock.today)
            figures = tracker.stats(since, filters.tag, filters.segment, now, replies=not stepwise)
            # The replies' count starts once the first figures' own reads are done (begun
            # earlier, it slowed them on a busy machine), and runs on a connection of its
            # own while the rest is read and the first figures are drawn.
            replying = (
                tracker.reply_stats_ahead(since, filters.tag, filters.segment, now)
                if stepwise
                else None
            )
            try:
                figures["sequences"] = tracker.sequence_report(clock, since)
            except UsageError as exc:  # a broken sequences.toml: the panel says so
                figures["sequences"] = str(exc)
            return figures, tracker.all_tags(), tracker.health(now), replying

        try:
            figures, tags, health, replying = app.data.run(job)
            if replying is not None and not worker.is_cancelled:
                if not replying.ready:  # the others first, the replies when counted
                    self.post_message(self.Computed(filters, figures, tags, health, False))
                figures = {**figures, **app.data.run(lambda _: replying.result())}
        except TrackerError as exc:
            self.post_message(self.Failed(str(exc)))
            return
        if not worker.is_cancelled:
            self.post_message(self.Computed(filters, figures, tags, health))

    @on(Computed)
    def _computed(self, message: Computed) -> None:
        if message.filters != self.filters:
            return  # an older request; the current one is on its way
        self.tags, self.health = message.tags, message.health
        self.shown = message.figures
        if message.complete:
            self.figures = message.figures
            self._show_filters()
        self._draw(message.figures, replies=message.complete)
        self.refresh_bindings()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.outreach.say(message.error, "error")

    def _draw(self, figures: dict[str, Any], replies: bool = True) -> None:
        """Draw the panels whose figures changed (the others stay as drawn); without
        ``replies``, the replies panel says they are being worked out."""
        settings = self.outreach.settings
        painters: dict[str, Callable[[], RenderableType]] = {
            "invitations": lambda: panels.invitations(figures, settings.stale_invite_days),
            "time": lambda: panels.time_to_accept(figures, settings.stale_invite_days),
            "moments": lambda: panels.tallies(
                "By moment", "Moment", figures["acceptance_by_moment"], "moment"
            ),
            "templates": lambda: panels.tallies(
                "By template", "Template", figures["acceptance_by_template"], "template"
            ),
            "resends": lambda: panels.first_vs_resend(figures),
            "replies": lambda: (
                panels.replies(figures, settings.step_back_run)
                if replies
                else Text("Working out the replies…", style="italic")
            ),
            "pipeline": lambda: panels.pipeline(figures),
            "ritual": lambda: panels.ritual(figures),
            "sequences": lambda: sequences_panel(figures["sequences"]),
        }
        drawn: dict[str, Any] = {
            name: (tuple(figures.get(key) for key in keys), settings)
            for name, keys in PANEL_FIGURES.items()
        }
        drawn["replies"] = (drawn["replies"], replies)
        health = self.health
        if health is not None:
            painters["health"] = lambda: health_panel.health(
                health, settings.warn_at_percent, settings.min_acceptance
            )
            drawn["health"] = (health, settings)
        with self.app.batch_update():
            for name, paint in painters.items():
                if self._drawn.get(name) != drawn[name]:
                    self.query_one(f"#panel-{name}", Static).update(paint())
                    self._drawn[name] = drawn[name]

    def _show_filters(self, working: bool = False) -> None:
        filters = self.filters
        today = local_date(self.outreach.now(), self.outreach.tz)
        first = filters.since(today)
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("Period (p): ", style="dim")
        text.append(dict(PERIODS)[filters.days], style="bold")
        if first is not None:
            text.append(f" from {short_date(first, today)}", style="dim")
        text.append(" · Segment (s): ", style="dim")
        text.append(words(filters.segment) or "all", style="bold")
        text.append(" · Tag (t): ", style="dim")
        text.append(one_line(filters.tag, 24) or "all", style="bold")
        if working:
            text.append("  working…", style="italic")
        self.query_one("#insights-filters", Static).update(text)

    # -- filters ---------------------------------------------------------------------
    def _set(self, filters: Filters) -> None:
        if filters != self.filters:
            self.filters = filters
            self._compute()

    def action_period(self, step: int) -> None:
        days = [d for d, _ in PERIODS]
        index = (days.index(self.filters.days) + step) % len(days)
        self._set(Filters(days[index], self.filters.segment, self.filters.tag))

    def set_period(self, days: int | None) -> None:
        """Show the figures for the last ``days`` days (``None``: all time)."""
        self._set(Filters(days, self.filters.segment, self.filters.tag))

    def set_filters(self, segment: str = "", tag: str = "") -> None:
        self._set(Filters(self.filters.days, segment, tag))

    def action_pick_segment(self) -> None:
        options: list[tuple[str, Hashable]] = [("All segments", "")]
        options += [(words(s.value), s.value) for s in Segment]

        def chosen(value: Hashable | None) -> None:
            if isinstance(value, str):
                self.set_filters(value, self.filters.tag)

        from tracker.ui.dialogs.choice import ChoiceDialog

        self.app.push_screen(
            ChoiceDialog("Only contacts in", options, self.filters.segment), chosen
        )

    def action_pick_tag(self) -> None:
        if not self.tags:
            self.outreach.say("No contact has a tag yet: add tags on a contact (e).")
            return
        options: list[tuple[str, Hashable]] = [("All tags", "")]
        options += [(one_line(tag, 40), tag) for tag in self.tags]

        def chosen(value: Hashable | None) -> None:
            if isinstance(value, str):
                self.set_filters(self.filters.segment, value)

        from tracker.ui.dialogs.choice import ChoiceDialog

        self.app.push_screen(
            ChoiceDialog("Only contacts tagged", options, self.filters.tag), chosen
        )

    def action_refresh(self) -> None:
        self._compute()

    def action_back(self) -> None:
        self.outreach.go_back()

    # -- segments from job titles ----------------------------------------------------
    def action_guess_segments(self) -> None:
        self._guesses()

    @work(thread=True, exclusive=True, group="guess")
    def _guesses(self) -> None:
        try:
            guesses = self.outreach.data.run(lambda t: t.segment_guesses())
        except TrackerError as exc:
            self.post_message(self.Failed(str(exc)))
            return
        self.app.call_from_thread(self._ask, guesses)

    def _ask(self, guesses: dict[int, Segment]) -> None:
        if not guesses:
            self.outreach.say("No contact without a segment has a title that says one.")
            return
        counts = {s: sum(g is s for g in guesses.values()) for s in Segment}
        listing = ", ".join(
            f"{plural(n, 'decision maker' if s is Segment.DECISION_MAKER else words(s.value))}"
            for s, n in counts.items()
            if n
        )
        question = (
            f"From their job titles: {listing}. Directors, heads, VPs, founders and chiefs "
            "count as decision makers; managers and marketers as influencers. Only contacts "
            "with no segment change, and u takes it back."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.outreach.write(
                    f"Set the segment of {plural(len(guesses), 'contact')} from job titles.",
                    lambda t: _apply(t, guesses),
                )

        from tracker.ui.dialogs.confirm import ConfirmDialog

        self.app.push_screen(ConfirmDialog("Set segments from job titles?", question), answered)


def _apply(tracker: Tracker, guesses: dict[int, Segment]) -> UndoStep | None:
    changed = tracker.apply_segments(guesses)
    if not changed:
        return None
    return UndoStep(
        f"segments set from job titles ({len(changed)})",
        lambda t: t.clear_segments(changed),
    )
