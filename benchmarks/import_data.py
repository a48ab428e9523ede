"""The data ``bench_import.py`` generates (a LinkedIn export, SMS backups) and its floors:
SQLite alone writing the touch rows an SMS import writes, expat alone parsing the backup.
Each floor runs in a child process of its own, like the imports beside it."""

from __future__ import annotations

import resource
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ME = "https://www.linkedin.com/in/bench-me"
NUMBERS = 2000


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_linkedin(folder: Path, connections: int) -> None:
    folder.mkdir(parents=True)
    start = date(2020, 1, 1)
    with (folder / "Connections.csv").open("w", encoding="utf-8", newline="") as out:
        out.write('Notes:\n"Some email addresses are missing."\n\n')
        out.write("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n")
        for n in range(connections):
            day = (start + timedelta(days=n % 2000)).strftime("%d %b %Y")
            out.write(
                f"Person{n},Bench,https://www.linkedin.com/in/person-{n},,"
                f'"Company {n % 900}, Inc.",Title {n % 40},{day}\n'
            )
    with (folder / "Invitations.csv").open("w", encoding="utf-8", newline="") as out:
        out.write("From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n")
        for n in range(connections // 10):
            target = n * 10 if n % 2 else connections + n  # half accepted, half pending
            sent = (start + timedelta(days=n % 2000)).strftime("%-m/%-d/%y")
            out.write(
                f'Me Bench,Person{target} Bench,"{sent}, 9:15 AM",,OUTGOING,{ME},'
                f"https://www.linkedin.com/in/person-{target}\n"
            )
    with (folder / "messages.csv").open("w", encoding="utf-8", newline="") as out:
        out.write(
            "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,"
            "RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER\n"
        )
        for n in range(connections // 3):
            other = f"https://www.linkedin.com/in/person-{n}"
            sender, recipient = (ME, other) if n % 2 else (other, ME)
            out.write(
                f"conv-{n},,X,{sender},Y,{recipient},"
                f"2024-05-01 12:00:{n % 60:02d} UTC,,Hi {n},INBOX\n"
            )


def write_sms(path: Path, texts: int, first: int = 0, people: int = 0, plain: bool = False) -> None:
    """``texts`` messages (the ``first``-th on) with ``NUMBERS`` people, the ``people``-th
    number on; ``plain``: every number in E.164 and no emoji (nothing to recover)."""
    with path.open("w", encoding="utf-8") as out:
        out.write("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n")
        out.write(f'<smses count="{texts}" backup_date="1710367200000" type="full">\n')
        for n in range(first, first + texts):
            who = n % NUMBERS + 1000 + people
            address = f"+1312555{who:04d}" if n % 3 or plain else f"(312) 555-{who:04d}"
            kind = 1 if (n // NUMBERS) % 3 == 0 else 2
            emoji = " &#55357;&#56832;" if n % 10 == 0 and not plain else ""
            out.write(
                f'  <sms protocol="0" address="{address}" date="{1600000000000 + n * 1000}" '
                f'type="{kind}" subject="null" body="Text number {n}, see you then{emoji}" '
                f'toa="null" sc_toa="null" service_center="null" read="1" status="-1" '
                f'locked="0" date_sent="{1600000000000 + n * 1000 - 2000}" '
                f'readable_date="Sep 13, 2020 7:26:40 AM" contact_name="Person {who}" />\n'
            )
        out.write("</smses>\n")


def floor_sms(texts: int, db: Path) -> dict[str, Any]:
    """SQLite alone: the touch rows an import of ``write_sms(texts)`` writes (built here,
    untimed), inserted as the import sends them (batches of 5,000 on one thread, a bulk
    load: the two deferred indexes built at the end) and committed."""
    from hashlib import sha1

    from tracker.config import Settings
    from tracker.service import Tracker
    from tracker.service.touch_batch import payload

    tracker = Tracker.open(db, Settings(timezone="America/Chicago"))
    store = tracker.store
    with store.write():
        store.conn.executemany(
            "INSERT INTO contacts (id, name, created_at, updated_at) VALUES (?, ?, '', '')",
            [(i + 1, f"Person {i + 1000}") for i in range(NUMBERS)],
        )
    batches = []
    for start in range(0, texts, 5000):
        rows = []
        for n in range(start, min(start + 5000, texts)):
            body = f"Text number {n}, see you then" + (" \U0001f600" if n % 10 == 0 else "")
            ms = 1600000000000 + n * 1000
            at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ms // 1000))
            kind = 1 if (n // NUMBERS) % 3 == 0 else 2
            phone = f"+1312555{n % NUMBERS + 1000:04d}"
            source = f"sms:{phone}:{ms}:{kind}:{sha1(body.encode()).hexdigest()[:16]}"
            direction = "in" if kind == 1 else "out"
            rows.append((n % NUMBERS + 1, "sms", direction, at, body, None, None, None, None, 0,
                         source, None))  # fmt: skip
        batches.append(payload(rows))
    started = time.perf_counter()
    with store.write():
        load = store.begin_bulk_load()
        for batch in batches:
            store.insert_touch_rows(
                batch.values, batch.varying, batch.shared, batch.size, "2026-01-01T00:00:00Z", True
            )
            store.keep_up(load)
        store.end_bulk_load(load)
    elapsed = time.perf_counter() - started
    tracker.close()
    return {"times": [elapsed], "touches": texts, "peak_mb": peak_mb()}


def floor_expat(path: Path) -> dict[str, Any]:
    """Expat alone on the backup, as the import feeds it (chunks, surrogate references
    recovered, attributes as lists) to a handler that does nothing."""
    from xml.parsers import expat

    from tracker.importers.xml_stream import recovered_chunks

    started = time.perf_counter()
    parser = expat.ParserCreate(intern=None)
    parser.ordered_attributes = True
    elements = [0]

    def start(tag: str, attrs: list[str]) -> None:
        elements[0] += 1

    parser.StartElementHandler = start
    with path.open("rb") as handle:
        for chunk, _ in recovered_chunks(handle):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)
    elapsed = time.perf_counter() - started
    return {"times": [elapsed], "elements": elements[0], "peak_mb": peak_mb()}
