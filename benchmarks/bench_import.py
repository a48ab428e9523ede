"""How long imports take: 30,000 LinkedIn connections (plus invitations and messages),
imported into an empty database and then again (the idempotent re-import), and an SMS
backup of many messages. Generates its own data in a temporary folder.

    python benchmarks/bench_import.py [--connections 30000] [--texts 200000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from tracker.config import Settings
from tracker.importers import ImportOptions, run_import
from tracker.service import Tracker

ME = "https://www.linkedin.com/in/bench-me"


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
    invitations = connections // 10
    with (folder / "Invitations.csv").open("w", encoding="utf-8", newline="") as out:
        out.write("From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n")
        for n in range(invitations):
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


def write_sms(path: Path, texts: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n")
        out.write(f'<smses count="{texts}">\n')
        for n in range(texts):
            out.write(
                f'  <sms protocol="0" address="+1312555{n % 2000 + 1000:04d}" '
                f'date="{1700000000000 + n * 1000}" type="{1 + n % 2}" '
                f'body="Text {n} &#55357;&#56832;" read="1" status="-1" '
                f'contact_name="Person {n % 2000}" />\n'
            )
        out.write("</smses>\n")


def timed(label: str, tracker: Tracker, path: Path, **options: object) -> None:
    started = time.perf_counter()
    summary = run_import(tracker, path, options=ImportOptions(**options))  # type: ignore[arg-type]
    elapsed = time.perf_counter() - started
    print(f"{label}: {elapsed:.2f} s")
    for line in summary.lines()[1:]:
        print(f"    {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=30_000)
    parser.add_argument("--texts", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        export = root / "export"
        write_linkedin(export, args.connections)
        tracker = Tracker.open(root / "bench.db", Settings(timezone="America/Chicago"))
        try:
            timed(f"LinkedIn export, {args.connections} connections", tracker, export)
            timed("the same export again", tracker, export)
            backup = root / "sms.xml"
            write_sms(backup, args.texts)
            size = backup.stat().st_size / 1e6
            timed(
                f"SMS backup, {args.texts} texts ({size:.0f} MB)",
                tracker,
                backup,
                create_contacts=True,
            )
        finally:
            tracker.close()


if __name__ == "__main__":
    main()
