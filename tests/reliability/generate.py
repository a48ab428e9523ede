"""Deterministic data for the reliability checks: a database with history in it, and import
files big enough that importing them takes about a second (so a kill can land anywhere in
the transaction), written in the exact layouts of ``tests/fixtures``.
"""

from __future__ import annotations

import csv
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import quoteattr

from tracker.config import Settings
from tracker.models import Channel, Direction
from tracker.service import Tracker

TIMEZONE = "America/Chicago"
ME_URL = "https://www.linkedin.com/in/sam-seller"
AREAS = ("312", "212", "415", "617", "773")
START = datetime(2025, 1, 6, 15, 0, tzinfo=UTC)


def settings() -> Settings:
    return Settings(timezone=TIMEZONE)


def profile(i: int) -> str:
    return f"https://www.linkedin.com/in/person-{i:05d}"


def phone(i: int) -> str:
    """A valid US number (E.164), distinct for each ``i`` below 50,000."""
    return f"+1{AREAS[i % len(AREAS)]}555{i // len(AREAS):04d}"


def seed_database(db: Path, contacts: int = 120, overlap: int = 40) -> None:
    """A database with history: ``contacts`` people with phones, touches and tags, the first
    ``overlap`` of them also LinkedIn connections-to-be with a pending invitation (so an
    export import enriches them and marks those invitations accepted in place)."""
    tracker = Tracker.open(db, settings())
    try:
        for i in range(contacts):
            fields = {"name": f"Seeded Person{i}", "phone": phone(40_000 + i)}
            if i < overlap:
                fields["linkedin_url"] = profile(i * 3)
            contact = tracker.add_contact(fields, ("seeded",) if i % 2 else (), START)
            tracker.log(
                contact, Channel.EMAIL, Direction.OUT, START + timedelta(days=i % 30), f"hello {i}"
            )
            if i < overlap:
                tracker.log(
                    contact, Channel.LINKEDIN_INVITE, Direction.OUT, START + timedelta(days=1), ""
                )
    finally:
        tracker.close()


def write_linkedin_export(folder: Path, connections: int, seed: int = 7) -> None:
    """Connections.csv (with LinkedIn's preamble), Invitations.csv and messages.csv."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "Connections.csv").open("w", encoding="utf-8", newline="") as handle:
        handle.write(
            'Notes:\n"When exporting your connection data, you may notice that '
            'some of the email addresses are missing."\n\n'
        )
        writer = csv.writer(handle)
        writer.writerow(
            [
                "First Name",
                "Last Name",
                "URL",
                "Email Address",
                "Company",
                "Position",
                "Connected On",
            ]
        )
        for i in range(connections):
            day = (START + timedelta(days=rng.randrange(600))).strftime("%d %b %Y")
            email = f"person{i}@example.com" if i % 7 == 0 else ""
            writer.writerow(
                [
                    f"First{i}",
                    f"Last{i}",
                    profile(i),
                    email,
                    f"Company {i % 97}, Inc.",
                    "Director of Things",
                    day,
                ]
            )
    with (folder / "Invitations.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "From",
                "To",
                "Sent At",
                "Message",
                "Direction",
                "inviterProfileUrl",
                "inviteeProfileUrl",
            ]
        )
        for i in range(0, connections + connections // 5, 3):
            sent = START + timedelta(days=rng.randrange(600), minutes=rng.randrange(600))
            note = "" if i % 2 else f"Hi First{i},\nWe met at the expo."
            writer.writerow(
                [
                    "Sam Seller",
                    f"First{i} Last{i}",
                    sent.strftime("%-m/%-d/%y, %-I:%M %p"),
                    note,
                    "OUTGOING",
                    ME_URL,
                    profile(i),
                ]
            )
    with (folder / "messages.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "CONVERSATION ID",
                "CONVERSATION TITLE",
                "FROM",
                "SENDER PROFILE URL",
                "TO",
                "RECIPIENT PROFILE URLS",
                "DATE",
                "SUBJECT",
                "CONTENT",
                "FOLDER",
            ]
        )
        for n in range(connections // 3):
            i = rng.randrange(connections)
            when = (START + timedelta(seconds=rng.randrange(50_000_000))).strftime(
                "%Y-%m-%d %H:%M:%S UTC"
            )
            mine = n % 2 == 0
            sender = ("Sam Seller", ME_URL) if mine else (f"First{i} Last{i}", profile(i))
            recipient = (f"First{i} Last{i}", profile(i)) if mine else ("Sam Seller", ME_URL)
            writer.writerow(
                [
                    f"conv-{i}",
                    "",
                    sender[0],
                    sender[1],
                    recipient[0],
                    recipient[1],
                    when,
                    "",
                    f'Message {n}, about "things"',
                    "INBOX",
                ]
            )


def write_sms_backup(path: Path, messages: int, numbers: int, seed: int = 11) -> None:
    """An Android SMS Backup & Restore file: texts both ways with ``numbers`` people (a few
    of them the seeded contacts), some drafts, an MMS group thread now and then."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n")
        handle.write(f'<smses count="{messages}" backup_set="soak" backup_date="0" type="full">\n')
        base_ms = int(START.timestamp() * 1000)
        for n in range(messages):
            person = rng.randrange(numbers)
            number = phone(40_000 + person) if person < 20 else phone(person)
            when = base_ms + n * 61_000
            if n % 97 == 0:
                other = phone((person + 1) % numbers)
                handle.write(
                    f'  <mms date="{when}" msg_box="1" address="{number}~{other}" '
                    'contact_name="null"><parts><part seq="0" ct="text/plain" '
                    f'text="group {n}" /></parts></mms>\n'
                )
                continue
            kind = "3" if n % 50 == 0 else rng.choice("12")
            body = quoteattr(f"Text {n} & more \u00e9 \U0001f600")
            handle.write(
                f'  <sms protocol="0" address="{number}" date="{when}" type="{kind}" '
                f'body={body} read="1" status="-1" contact_name="Person {person}" />\n'
            )
        handle.write("</smses>\n")
