"""Make the SVG screenshots in ``screenshots/`` from the demo database, with a frozen clock.

Run from the repository root::

    python scripts/screenshots.py            # every picture
    python scripts/screenshots.py compose    # just the ones named

It works in a temporary folder (``OUTREACH_HOME`` points there), so it never reads or
writes your own data, and the same code always draws the same pictures.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "screenshots"
ZONE = "America/Chicago"
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=ZoneInfo(ZONE))
SIZE = (120, 36)


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    app = pilot.app
    for _ in range(50):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers):
            return


async def wait_for(pilot, condition: Callable[[], bool]) -> None:  # type: ignore[no-untyped-def]
    for _ in range(200):
        if condition():
            return
        await settle(pilot)
        await pilot.pause(0.02)
    raise RuntimeError("the app did not get there")


def select(pilot, name: str) -> None:  # type: ignore[no-untyped-def]
    from tracker.ui.widgets.queue_list import QueueList

    queue = pilot.app.screen.query_one(QueueList)
    queue.cursor = next(i for i, e in enumerate(queue.entries) if e.item.contact == name)


async def today(pilot) -> None:  # type: ignore[no-untyped-def]
    select(pilot, "Ben Schultz")


async def today_marked(pilot) -> None:  # type: ignore[no-untyped-def]
    """A range of stale invitations marked, to withdraw them all with one key."""
    select(pilot, "Nora Quinn")
    await pilot.press("v", "down", "down")


async def today_light(pilot) -> None:  # type: ignore[no-untyped-def]
    pilot.app.theme = "textual-light"
    select(pilot, "Chris Palmer")


async def contacts(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("2")
    await settle(pilot)


async def contact(pilot) -> None:  # type: ignore[no-untyped-def]
    select(pilot, "Hannah Lindqvist")
    await pilot.press("enter")
    await settle(pilot)


async def contact_plan(pilot) -> None:  # type: ignore[no-untyped-def]
    """A contact halfway through the built-in LinkedIn-first sequence: invited, accepted,
    thanked, and the next message due today."""
    from datetime import date, timedelta

    from tracker.models import Channel, Direction, InviteStatus

    zone = ZoneInfo(ZONE)

    def moment(day: int, hour: int) -> datetime:
        return datetime(2026, 11, day, hour, tzinfo=zone)

    def job(tracker) -> int:  # type: ignore[no-untyped-def]
        nadia = tracker.add_contact(
            {
                "name": "Nadia Kowalski",
                "company": "Harborview Analytics",
                "title": "Head of Data",
                "phone": "(312) 555-0199",
                "email": "nadia@harborview.example",
                "linkedin_url": "linkedin.com/in/nadia-kowalski-demo",
                "segment": "decision_maker",
                "relationship": "met_briefly",
            },
            at=moment(10, 9),
        )
        tracker.enroll([nadia.id], "linkedin-first", date(2026, 11, 12), moment(12, 9))
        note = (
            "Hi Nadia, good to meet you at the Chicago data meetup. I enjoyed your point "
            "about dashboards nobody opens. I would be glad to stay in touch here."
        )
        tracker.log(nadia, Channel.LINKEDIN_INVITE, Direction.OUT, moment(12, 10), note)
        tracker.set_invitation(nadia, InviteStatus.ACCEPTED, moment(16, 8))
        thanks = "Thanks for connecting, Nadia! Here is the write-up I mentioned."
        tracker.log(nadia, Channel.LINKEDIN_MESSAGE, Direction.OUT, moment(17, 11), thanks)
        return int(nadia.id)

    contact_id = pilot.app.data.run(job)
    assert NOW - timedelta(days=11) < moment(12, 10)
    pilot.app.refresh_queue()
    await settle(pilot)
    pilot.app.open_contact(contact_id)
    await settle(pilot)


async def log_form(pilot) -> None:  # type: ignore[no-untyped-def]
    select(pilot, "Tomás Herrera")
    await pilot.press("c")
    await wait_for(pilot, lambda: bool(pilot.app.clipboard))  # the coach drafts in a worker
    await pilot.press("l")


async def compose(pilot) -> None:  # type: ignore[no-untyped-def]
    select(pilot, "Chris Palmer")
    await pilot.press("m")
    await wait_for(pilot, lambda: getattr(pilot.app.screen, "result", None) is not None)


async def palette(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+p", *"555-0134")
    await pilot.pause(0.6)


async def help_keys(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("question_mark")


async def import_export(pilot) -> None:  # type: ignore[no-untyped-def]
    """From the welcome screen: the fixture LinkedIn export, copied here (a relative path)."""
    import shutil

    shutil.copytree(ROOT / "tests" / "fixtures" / "linkedin" / "export", "linkedin-export")
    await pilot.press("i")
    await settle(pilot)
    pilot.app.screen.query_one("#path").value = "linkedin-export"
    await wait_for(pilot, lambda: pilot.app.screen.found is not None)
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: pilot.app.screen.query_one("#summary").display)


async def insights(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("3")
    await wait_for(pilot, lambda: getattr(pilot.app.screen, "figures", None) is not None)


SHOTS: dict[str, Callable[..., Awaitable[None]] | None] = {
    "welcome": None,
    "today": today,
    "today-marked": today_marked,
    "today-light": today_light,
    "contacts": contacts,
    "contact": contact,
    "contact-plan": contact_plan,
    "log-form": log_form,
    "compose": compose,
    "palette": palette,
    "help": help_keys,
    "import": import_export,
    "insights": insights,
}
FRESH = {"welcome", "import"}
"""Shots that start from an empty database (the welcome screen)."""


async def shoot(name: str, action: Callable[..., Awaitable[None]] | None, folder: Path) -> None:
    from textual.widgets import Input, TextArea

    from tracker.config import Settings
    from tracker.demo import build_demo
    from tracker.service import Tracker
    from tracker.ui.app import OutreachApp

    settings = Settings(timezone=ZONE, my_name="Sam Seller")  # the demo's rep
    here = Path(name)
    here.mkdir()
    os.chdir(here)
    db = Path("outreach.db")
    if name not in FRESH:
        tracker = Tracker.open(db, settings)
        build_demo(tracker, NOW)
        tracker.close()
    app = OutreachApp(db, settings, now=lambda: NOW, demo_path=Path("demo.db"))
    app.home.demo = name not in FRESH  # the demo's people: the app says so (DEMO)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(app.screen_stack) > 1)
        await settle(pilot)
        if action is not None:
            await action(pilot)
        await settle(pilot)
        for widget in app.screen.query("Input, TextArea"):
            if isinstance(widget, Input | TextArea):
                widget.cursor_blink = False
        await pilot.pause()
        app.save_screenshot(filename=f"{name}.svg", path=str(folder))
    os.chdir("..")
    print(f"screenshots/{name}.svg")


def main() -> None:
    sys.path.insert(0, str(ROOT))
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["OUTREACH_HOME"] = scratch
        os.chdir(scratch)
        wanted = sys.argv[1:] or list(SHOTS)
        unknown = [name for name in wanted if name not in SHOTS]
        if unknown:
            sys.exit(f"no screenshot {', '.join(unknown)}: one of {', '.join(SHOTS)}")
        for name in wanted:
            asyncio.run(shoot(name, SHOTS[name], OUT))


if __name__ == "__main__":
    main()
