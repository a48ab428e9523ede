"""Shared fixtures: every test runs against a temporary data folder, never the user's."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tracker.config import Settings
from tracker.service import Tracker, open_store
from tracker.store import Store

TZ_NAME = "America/Chicago"
TZ = ZoneInfo(TZ_NAME)


@pytest.fixture(autouse=True)
def outreach_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point OUTREACH_HOME at a fresh folder with a config fixing the time zone."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text(f'[review]\ntimezone = "{TZ_NAME}"\n', encoding="utf-8")
    monkeypatch.setenv("OUTREACH_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def no_desktop(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test copies to the real clipboard or opens a browser: the system's clipboard
    tool and link opener are absent unless a test puts a stand-in there."""
    import tracker.system

    monkeypatch.setattr(tracker.system, "clipboard_tool", lambda *a, **k: None)
    monkeypatch.setattr(tracker.system, "link_opener", lambda *a, **k: None)


@pytest.fixture
def settings() -> Settings:
    return Settings(timezone=TZ_NAME)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "test.db")
    yield opened
    opened.close()


@pytest.fixture
def tracker(store: Store, settings: Settings) -> Tracker:
    return Tracker(store, settings, TZ)


def local(text: str) -> datetime:
    """A local (America/Chicago) moment from ISO text, for readable tests."""
    return datetime.fromisoformat(text).replace(tzinfo=TZ)
