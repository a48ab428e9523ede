"""Insights: the note question answered beside the study, periods and filters, segments
set from job titles after an import; and Today sorted by priority with its parts."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from tests.ui.conftest import NOW, SIZE, opened, settle, until
from tracker.ahead import Ahead
from tracker.config import Settings
from tracker.importers import run_import
from tracker.service import Tracker
from tracker.ui.dialogs.choice import SEARCH_FROM, ChoiceDialog
from tracker.ui.dialogs.confirm import ConfirmDialog
from tracker.ui.screens.insights import InsightsScreen
from tracker.ui.screens.today import TodayScreen
from tracker.ui.widgets.item_detail import ItemHint
from tracker.ui.widgets.queue_list import QueueList

EXPORT = Path(__file__).resolve().parent.parent / "fixtures" / "linkedin" / "export"


def panel(screen: InsightsScreen, name: str) -> str:
    console = Console(width=110, file=io.StringIO(), record=True)
    console.print(screen.query_one(f"#panel-{name}", Static).content)
    return console.export_text()


def rows(text: str, first: str) -> list[list[str]]:
    """The table row starting with ``first`` and the row under it, split into cells."""
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(first))
    return [lines[at].split(), lines[at + 1].split()]


def figures_for(db: Path, settings: Settings, **filters: object) -> dict[str, object]:
    tracker = Tracker.open(db, settings)
    try:
        return tracker.stats(as_of=NOW, **filters)  # type: ignore[arg-type]
    finally:
        tracker.close()


async def open_insights(pilot: Pilot[None]) -> InsightsScreen:
    app = pilot.app
    await opened(pilot)
    await pilot.press("3")
    await until(pilot, lambda: isinstance(app.screen, InsightsScreen), "Insights")
    screen = app.screen
    assert isinstance(screen, InsightsScreen)
    await until(pilot, lambda: screen.figures is not None, "the figures")
    return screen


async def test_decision_makers_beside_the_study_with_sample_sizes(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_insights(pilot)
        text = panel(screen, "invitations")
        with_note, without = rows(text, "decision maker")
        # segment, note, bar (┃ the study), rate, of (decided), new, sent, study, too few:
        # the rate is of the invitations decided, the new ones beside it
        assert with_note == [
            *("decision", "maker", "with", "████┃·····"),
            *("50%", "4", "1", "5", "41%", "too", "few"),
        ]
        assert without == ["without", "······┃···", "0%", "2", "0", "2", "63%", "too", "few"]
        assert (
            "Decision makers: too few to tell yet (50% of 4 with a note (1 new), 0% of 2 "
            "without). The study: 41% with a note, 63% without, so for now: no note."
            in " ".join(text.split())
        )
        assert rows(text, "other")[0][-2:] == ["none", "sent"]


async def test_period_keys_change_the_figures(make_app, demo_db, settings):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_insights(pilot)
        assert screen.figures is not None and screen.figures["invitations"]["sent"] == 15
        await pilot.press("p")
        await until(pilot, lambda: screen.figures is not None and screen.figures["since"])
        thirty = figures_for(demo_db, settings, since=NOW.date() - timedelta(days=29))
        assert screen.figures["since"] == "2026-10-25"
        assert screen.figures["invitations"] == thirty["invitations"]
        assert screen.figures["invitations"]["sent"] == 11
        assert "In all: 44% of the 9 decided accepted (2 more too new to count)" in " ".join(
            panel(screen, "invitations").split()
        )
        header = str(screen.query_one("#insights-filters", Static).content)
        assert header.startswith("Period (p): last 30 days from Oct 25 · Segment (s): all")
        await pilot.press("p", "p", "p")  # 90, 365, all time
        await until(pilot, lambda: screen.figures is not None and not screen.figures["since"])
        assert screen.figures["invitations"]["sent"] == 15


async def test_a_tag_filter_changes_the_figures(make_app, demo_db, settings):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_insights(pilot)
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog), "the tag picker")
        choices = app.screen.query_one(OptionList)
        choices.highlighted = 1 + screen.tags.index("saas")
        await pilot.press("enter")
        await until(pilot, lambda: screen.figures is not None and screen.figures["tag"] == "saas")
        expected = figures_for(demo_db, settings, tag="saas")
        assert screen.figures["invitations"] == expected["invitations"]
        assert screen.figures["invitations"]["sent"] == 3
        assert "In all: 100% of the 3 decided accepted;" in panel(screen, "invitations")
        assert "Tag (t): saas" in str(screen.query_one("#insights-filters", Static).content)


async def test_the_tag_picker_filters_as_you_type(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_insights(pilot)
        assert len(screen.tags) + 1 > SEARCH_FROM  # the demo has many tags
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog), "the tag picker")
        dialog = app.screen
        assert dialog.focused is dialog.query_one("#choice-filter", Input)
        await pilot.press(*"SaA")
        choices = dialog.query_one(OptionList)
        await until(pilot, lambda: choices.option_count == 1, "one tag left")
        assert str(choices.get_option_at_index(0).prompt) == "saas"
        await pilot.press("enter")
        await until(pilot, lambda: screen.figures is not None and screen.figures["tag"] == "saas")
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog), "the picker again")
        await pilot.press(*"zzz-none")
        choices = app.screen.query_one(OptionList)
        await until(pilot, lambda: choices.option_count == 0, "nothing left")
        await pilot.press("enter")  # nothing to pick: the picker stays
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        for _ in range(8):
            await pilot.press("backspace")
        await until(pilot, lambda: choices.option_count == len(screen.tags) + 1, "all again")
        await pilot.press("down", "enter")  # the first tag, under "All tags"
        first = screen.tags[0]
        await until(pilot, lambda: screen.figures is not None and screen.figures["tag"] == first)


async def test_after_an_import_segments_from_titles_answer_the_note_question(
    make_app, tmp_path, settings
):
    db = tmp_path / "outreach.db"
    tracker = Tracker.open(db, settings)
    run_import(tracker, EXPORT)
    tracker.close()
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_insights(pilot)
        text = " ".join(panel(screen, "invitations").split())
        assert "Decision makers: no invitations to them yet." in text
        assert "3 invitations went to contacts with no segment: press g" in text
        await pilot.press("g")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, InsightsScreen))
        await until(pilot, lambda: "too few to tell" in panel(screen, "invitations"))
        text = " ".join(panel(screen, "invitations").split())
        assert (
            "Decision makers: too few to tell yet (100% of 1 with a note, 100% of 1 "
            "without). The study: 41% with a note, 63% without, so for now: no note." in text
        )
        await pilot.press("u")
        await settle(pilot)
        await until(pilot, lambda: "no invitations to them yet" in panel(screen, "invitations"))


async def test_priority_sort_on_today_reorders_and_shows_the_parts(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        assert isinstance(app.screen, TodayScreen)
        queue = app.screen.query_one(QueueList)
        by_kind = [e.key for e in queue.entries]
        await pilot.press("p")
        await settle(pilot)
        scores = [e.item.priority.score for e in queue.entries]
        assert scores == sorted(scores, reverse=True)
        assert [e.key for e in queue.entries] != by_kind
        assert sorted(e.key for e in queue.entries) == sorted(by_kind)
        top = queue.entries[0].item
        assert queue.cursor == 0
        hint = app.screen.query_one(ItemHint).render().plain
        assert hint.startswith(f"priority {top.priority.score} (kind +")
        assert top.priority.explain() in hint
        await pilot.press("p")
        await settle(pilot)
        assert [e.key for e in queue.entries] == by_kind
        assert not app.screen.query_one(ItemHint).render().plain.startswith("priority")


def test_snapshot_of_insights(snap_compare, tmp_path, monkeypatch, settings):
    """The demo's insights, all time, with the clock frozen."""
    from tests.ui.conftest import FrozenClock
    from tracker.demo import build_demo
    from tracker.ui.app import OutreachApp

    monkeypatch.chdir(tmp_path)
    tracker = Tracker.open(Path("outreach.db"), settings)
    build_demo(tracker, NOW)
    tracker.close()
    app = OutreachApp(Path("outreach.db"), settings, now=FrozenClock(), demo_path=Path("demo.db"))

    async def run_before(pilot: Pilot[None]) -> None:
        await open_insights(pilot)
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def _cell(sent: int, accepted: int, pending: int = 0) -> dict[str, object]:
    """A figure whose pending invitations are all too young to count (not decided)."""
    decided = sent - pending
    return {
        "sent": sent,
        "accepted": accepted,
        "pending": pending,
        "decided": decided,
        "pending_young": pending,
        "rate": round(accepted / decided, 4) if decided else None,
        "too_few": decided < 10,
    }


def _answer(with_note: dict[str, object], without: dict[str, object]) -> str:
    from tracker.insights.panels import note_answer

    segment = {
        "segment": "decision_maker",
        "with_note": with_note,
        "without_note": without,
        "study": {"with_note": 0.41, "without_note": 0.63},
    }
    return note_answer(segment).plain


def test_the_note_answer_in_every_case():
    study = "The study: 41% with a note, 63% without"
    assert _answer(_cell(20, 5), _cell(12, 9)) == (
        "Decision makers: you do better without a note: 25% of 20 with a note, "
        f"75% of 12 without. {study}."
    )
    assert _answer(_cell(10, 8), _cell(10, 3)).startswith("Decision makers: a note helps you: ")
    assert _answer(_cell(50, 25), _cell(40, 19)).startswith(
        "Decision makers: about the same with a note or without: 50% of 50 with a note, "
        "48% of 40 without."
    )
    assert _answer(_cell(0, 0), _cell(0, 0)) == (
        f"Decision makers: no invitations to them yet. {study}, so for now: no note."
    )
    assert _answer(_cell(3, 1, 1), _cell(0, 0)) == (
        "Decision makers: only invitations with a note so far (50% of 2 (1 new), too few). "
        f"{study}, so for now: no note."
    )
    assert _answer(_cell(12, 0, 12), _cell(10, 5)) == (  # none of those with one decided
        "Decision makers: too few to tell yet (none decided yet with a note (12 new), 50% of 10 "
        f"without). {study}, so for now: no note."
    )


def test_charts_draw_in_eighths_with_a_mark():
    from tracker.insights.charts import bar, sparkline

    assert bar(0.5, 1.0, 10).plain == "█████·····"
    assert bar(0.41, 1.0, 10, mark=0.63).plain == "████▏·┃···"
    assert bar(None, 1.0, 4).plain == "····"
    assert bar(3, 0, 4).plain == "····"  # nothing to scale against
    assert bar(120, 100, 5, mark=100).plain == "████┃"  # over budget: the mark stays in
    assert sparkline([0, 1, 4, 8]).plain == "▁▂▅█"
    assert sparkline([0, 0]).plain == "▁▁"


async def test_the_first_figures_show_while_the_replies_are_worked_out(
    make_app, demo_db, settings, monkeypatch
):
    """Every panel but the replies shows as soon as its figures are known; the replies
    (the dearest to count) follow, and the figures are then exactly the one-step ones."""
    import threading

    gate = threading.Event()
    count = Tracker.reply_stats_ahead

    def held(self: Tracker, *args: object, **kwargs: object) -> Ahead[dict[str, Any]]:
        figures = count(self, *args, **kwargs)  # type: ignore[arg-type]

        def wait() -> dict[str, Any]:
            gate.wait(30)
            return figures.result()

        return Ahead.start(wait, "held-replies")

    monkeypatch.setattr(Tracker, "reply_stats_ahead", held)
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("3")
        await until(pilot, lambda: isinstance(app.screen, InsightsScreen), "Insights")
        screen = app.screen
        assert isinstance(screen, InsightsScreen)
        await until(pilot, lambda: screen.shown is not None, "the first figures")
        assert screen.figures is None
        assert "Working out the replies" in panel(screen, "replies")
        assert "decision maker" in panel(screen, "invitations")
        assert "replies_by_channel" not in (screen.shown or {})
        gate.set()
        await until(pilot, lambda: screen.figures is not None, "the replies")
        assert "Working out the replies" not in panel(screen, "replies")
        expected = figures_for(demo_db, settings)
        assert {k: v for k, v in screen.figures.items() if k in expected} == expected
        await pilot.press("p")
        await until(pilot, lambda: screen.figures is not None and screen.figures["since"])
        thirty = figures_for(demo_db, settings, since=NOW.date() - timedelta(days=29))
        assert {k: v for k, v in screen.figures.items() if k in thirty} == thirty


async def test_replies_counted_by_the_first_figures_come_with_them(
    make_app, demo_db, settings, monkeypatch
):
    """When the replies are counted by the time the other figures are known, every
    figure is drawn at once (no "working out" step in between)."""
    count = Tracker.reply_stats_ahead

    def counted(self: Tracker, *args: object, **kwargs: object) -> Ahead[dict[str, Any]]:
        return Ahead.known(count(self, *args, **kwargs).result())  # type: ignore[arg-type]

    monkeypatch.setattr(Tracker, "reply_stats_ahead", counted)
    drawn: list[bool] = []
    draw = InsightsScreen._draw

    def recorded(screen: InsightsScreen, figures: dict[str, Any], replies: bool = True) -> None:
        drawn.append(replies)
        draw(screen, figures, replies)

    monkeypatch.setattr(InsightsScreen, "_draw", recorded)
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("3")
        await until(pilot, lambda: isinstance(app.screen, InsightsScreen), "Insights")
        screen = app.screen
        assert isinstance(screen, InsightsScreen)
        await until(pilot, lambda: screen.figures is not None, "the figures")
        assert drawn == [True]
        assert "Working out the replies" not in panel(screen, "replies")
        expected = figures_for(demo_db, settings)
        assert {k: v for k, v in screen.figures.items() if k in expected} == expected
