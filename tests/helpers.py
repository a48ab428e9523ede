"""Small builders for readable tests: add contacts and touches at local times."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from tracker.models import Channel, Contact, Direction, Kind, ReviewItem
from tracker.service import Tracker

TZ = ZoneInfo("America/Chicago")


def at(text: str) -> datetime:
    """A local (America/Chicago) moment from ISO text."""
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=TZ) if moment.tzinfo is None else moment


def person(tracker: Tracker, name: str = "Dana Fictional", **fields: Any) -> Contact:
    created = fields.pop("created", "2026-01-01T09:00")
    tags = fields.pop("tags", ())
    return tracker.add_contact({"name": name, **fields}, tags, at=at(created))


def touch(
    tracker: Tracker,
    contact: Contact,
    channel: str,
    when: str,
    inbound: bool = False,
    text: str = "",
    **extra: Any,
) -> int:
    return tracker.log(
        contact,
        Channel(channel),
        Direction.IN if inbound else Direction.OUT,
        at(when),
        text,
        **extra,
    ).id


def review(tracker: Tracker, as_of: str) -> list[ReviewItem]:
    """The queue as of a local date (end of day) or a local date and time."""
    if len(as_of) == 10:
        return tracker.review(as_of)
    return tracker.review(at(as_of))


def kinds(items: list[ReviewItem], contact: Contact | None = None) -> list[Kind]:
    return [i.kind for i in items if contact is None or i.contact_id == contact.id]
