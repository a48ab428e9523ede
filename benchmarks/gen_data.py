"""A deterministic synthetic outreach history for benchmarks: N contacts, M touches.

Everything goes in through the store's bulk API (no SQL here). The mix looks like a rep
who works the daily review: most contacts are "cold" (their history ended answered long
ago), a minority are active in the last weeks and leave open items (pending and stale
invitations, unanswered texts and runs, emails waiting for a reply, calls with no text
after them), some contacts keep a cadence or have a follow-up date, a few opted out.
Texts include the awkward values an export must survive (quotes, commas, newlines, cells
that look like formulas, phone numbers).

As a script it writes one such database (the benchmarks build theirs this way, and so can
anyone reproducing a figure)::

    python benchmarks/gen_data.py --contacts 100000 --touches 1000000 --out big.db
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

if not __package__:  # run as a script: the checkout's tracker package, not an installed one
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker.models import Kind, Moment
from tracker.store import Store

END = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
"""The newest moment in the generated history."""
AS_OF = "2026-11-20"
"""The review date the benchmarks use (the end of that local day)."""
TIMEZONE = "America/Chicago"
GENERATOR_VERSION = 1
"""Bump when the generated data changes, so cached databases are rebuilt."""

DAY = 86_400.0
FIRST = [
    "Ana",
    "Ben",
    "Chloé",
    "Dev",
    "Erin",
    "Farah",
    "Gus",
    "Hana",
    "Ivan",
    "Jo",
    "Kenji",
    "Lena",
    "Mo",
    "Nia",
    "Omar",
    "Pia",
    "Quinn",
    "Raj",
    "Sara",
    "Tom",
    "Uma",
    "Vic",
    "Wen",
    "Xavi",
    "Yara",
    "Zoë",
    "José",
    "Amélie",
    "Björn",
    "Siobhán",
]
LAST = [
    "Ng",
    "Okafor",
    "Smith",
    "Garcia",
    "Müller",
    "Rossi",
    "Kim",
    "Nowak",
    "Silva",
    "Haddad",
    "O'Brien",
    "Patel",
    "Cohen",
    "Larsen",
    "Ito",
    "Dubois",
    "Kowalski",
    "Nguyen",
    "Brown",
    "Da-Silva",
]
COMPANIES = (
    "Acme",
    "Globex, Inc.",
    "Initech",
    'The "Best" Co',
    "Umbrella",
    "Hooli",
    "Stark Industries",
    "Wayne & Sons",
    "=Cyberdyne",
    "Tyrell Corp",
    "",
)
TITLES = ("VP Sales", "Director of Marketing", "CTO", "Account Executive", "Founder", "")
AREAS = ("312", "415", "646", "617", "206", "512", "303", "404", "713", "305")
SEGMENTS = ("decision_maker", "influencer", "champion", "mirror", "other", None)
RELATIONSHIPS = ("stranger", "met_briefly", "introduced", "former_colleague", "friend", None)
NOTES = (
    "Hi {first}, we met at the SaaS meetup last week. Would love to stay in touch.",
    "Hi {first}, {mutual} suggested I reach out: we both work on outbound at {company}.",
    "Hi {first}, enjoyed your post on pipeline reviews, especially the part on follow-ups.",
)
TEXTS_OUT = (
    "Hi {first}, it's Sam Lee from Northwind. Does Tuesday at 10 work for a quick call?",
    "Thanks for the chat today, {first}! I'll send the deck by Friday. Sound good?",
    "Quick nudge, {first}: did you see my email about the pilot?",
    "Great meeting you, {first}. Want me to set up the demo for your team?",
    'He said "maybe next quarter", so checking in: still on for Q1?',
    "Notes, as promised:\n- pricing\n- timeline, next steps",
)
TEXTS_IN = (
    "Sounds good, thanks!",
    "Can we do Thursday instead?",
    "Yes please send it over 👍",
    "Busy this week, ping me next Monday",
    "Who is this?",
)
TRICKY = (
    '=HYPERLINK("http://example.com","click")',
    "+13125550142",
    "-5",
    "@channel see thread",
    "-- call back after 3pm",
    "\tindented note",
    "line one\r\nline two",
    "",
)
FOLLOW_UPS = ("sms", "email", "linkedin_message")
EMAILS = (
    "Re: pilot proposal",
    "Following up on our call",
    "Intro: {first} <> Sam",
    "Deck and pricing, as discussed",
)


def _stored(ts: float) -> str:
    """The store's UTC text for a timestamp, to the second."""
    return datetime.fromtimestamp(int(ts), UTC).isoformat()[:19] + "Z"


def _episode(rng: random.Random, first: str) -> list[dict[str, Any]]:
    """One exchange: what went out and what, if anything, came back."""

    def text(pool: tuple[str, ...]) -> str:
        if rng.random() < 0.02:
            return rng.choice(TRICKY)
        return rng.choice(pool).format(first=first)

    def touch(channel: str, direction: str, **extra: Any) -> dict[str, Any]:
        return {"channel": channel, "direction": direction, "is_group": False, **extra}

    roll = rng.random()
    out: list[dict[str, Any]] = []
    if roll < 0.40:
        out.append(touch("sms", "out", text=text(TEXTS_OUT)))
        while rng.random() < 0.2:
            out.append(touch("sms", "out", text=text(TEXTS_OUT)))
        if rng.random() < 0.8:
            out.append(touch("sms", "in", text=text(TEXTS_IN)))
    elif roll < 0.58:
        out.append(touch("email", "out", text=text(EMAILS)))
        if rng.random() < 0.65:
            out.append(touch("email", "in", text=text(EMAILS)))
    elif roll < 0.70:
        out.append(touch("linkedin_message", "out", text=text(TEXTS_OUT)))
        if rng.random() < 0.6:
            out.append(touch("linkedin_message", "in", text=text(TEXTS_IN)))
    elif roll < 0.84:
        status = rng.choices(("connected", "no_answer", "voicemail"), (6, 3, 1))[0]
        notes = text(("Talked budget, next step: demo", "")) if status == "connected" else None
        out.append(touch("call", rng.choice(("out", "out", "in")), status=status, text=notes))
        if status == "connected" and rng.random() < 0.85:
            out.append(touch("sms", "out", text=text(TEXTS_OUT)))
            if rng.random() < 0.5:
                out.append(touch("sms", "in", text=text(TEXTS_IN)))
    elif roll < 0.88:
        out.append(touch("meeting", rng.choice(("out", "in")), text="Coffee at the conference"))
    elif roll < 0.94:
        out.append(
            touch(rng.choice(("sms", "email", "linkedin_message")), "in", text=text(TEXTS_IN))
        )
        if rng.random() < 0.7:
            out.append(touch("email", "out", text=text(EMAILS)))
    elif roll < 0.98:
        out.append(touch("sms", rng.choice(("in", "out")), text=text(TEXTS_IN), is_group=True))
    else:
        out.append(touch("other", "out", text="Sent a birthday card"))
    return out


def _close_history(rng: random.Random, events: list[dict[str, Any]]) -> None:
    """A worked contact's history ends answered: the review was acted on at the time."""
    personal = [e for e in events if not e["is_group"]]
    last = personal[-1] if personal else None
    if last and last["direction"] == "out" and last["channel"] != "linkedin_invite":
        last["direction"] = "in"
    followed = False
    for event in reversed(personal):
        if event["direction"] == "out" and event["channel"] in FOLLOW_UPS:
            followed = True
        elif event["channel"] == "call" and event.get("status") == "connected" and not followed:
            event["status"] = rng.choice(("no_answer", "voicemail"))


def _contact(rng: random.Random, i: int) -> dict[str, Any]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    row: dict[str, Any] = {
        "name": f"{first} {last}",
        "first_name": first,
        "last_name": last,
        "company": rng.choice(COMPANIES),
        "title": rng.choice(TITLES),
        "segment": rng.choice(SEGMENTS),
        "relationship": rng.choice(RELATIONSHIPS),
    }
    if rng.random() < 0.7:
        row["phone"] = f"+1{AREAS[i % len(AREAS)]}{2_000_000 + i:07d}"
    if rng.random() < 0.8:
        slug = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
        row["email"] = f"{slug}{i}@example.com"
    if rng.random() < 0.75:
        row["linkedin_url"] = f"https://www.linkedin.com/in/{i:x}-{len(first)}"
    if rng.random() < 0.1:
        row["notes"] = rng.choice(("Met at SaaStr.\nLikes golf, two kids", *TRICKY))
    return row


def _timeline(
    rng: random.Random, contact_id: int, first: str, count: int, cadence: int | None
) -> tuple[float, list[dict[str, Any]]]:
    """(created_at, touches) for one contact, oldest first."""
    end = END.timestamp()
    active = rng.random() < 0.012
    if cadence:
        last = end - rng.uniform(0.1, cadence * 1.2) * DAY
    elif active:
        last = end - rng.uniform(0.1, 40) * DAY
    else:
        last = end - rng.uniform(45, 1000) * DAY
    first_at = last - min(rng.expovariate(1 / 150) * DAY, 1500 * DAY)
    created = first_at - rng.uniform(0, 30) * DAY
    if count == 0:
        return (end - rng.uniform(0, 900) * DAY if cadence is None else created), []
    times = sorted(rng.uniform(first_at, last) for _ in range(count))
    times[-1] = last
    events: list[dict[str, Any]] = []
    if rng.random() < 0.6:
        has_note = rng.random() < 0.5
        events.append(
            {
                "channel": "linkedin_invite",
                "direction": "out",
                "is_group": False,
                "has_note": has_note,
                "moment": rng.choice(list(Moment)).value,
                "text": rng.choice(NOTES).format(first=first, mutual="Kim", company="Acme")
                if has_note
                else None,
            }
        )
    while len(events) < count:
        events.extend(_episode(rng, first))
    del events[count:]
    if not active:
        _close_history(rng, events)
    rows = []
    for position, (at, event) in enumerate(zip(times, events, strict=True)):
        event["contact_id"] = contact_id
        event["at"] = _stored(at)
        if event["channel"] == "linkedin_invite":
            _invitation_status(rng, event, at, times[position + 1 :], active or bool(cadence))
        rows.append(event)
    return created, rows


def _invitation_status(
    rng: random.Random, event: dict[str, Any], at: float, later: list[float], active: bool
) -> None:
    age_days = (END.timestamp() - at) / DAY
    if active and age_days < 30 and rng.random() < 0.7:
        status = "pending"
    elif active:
        status = rng.choices(("accepted", "ignored", "withdrawn", "pending"), (6, 2, 1, 1))[0]
    else:
        status = rng.choices(("accepted", "ignored", "withdrawn", "pending"), (800, 196, 2, 2))[0]
    event["status"] = status
    if status != "pending":
        limit = later[0] if later else END.timestamp()
        event["status_at"] = _stored(rng.uniform(at, max(at, limit - 60)))


def _allocate(rng: random.Random, contacts: int, touches: int) -> list[int]:
    """How many touches each contact gets: skewed, summing to ``touches``."""
    weights = [min(rng.paretovariate(1.3), 60.0) for _ in range(contacts)]
    counts = [0] * contacts
    for index in rng.choices(range(contacts), weights=weights, k=touches):
        counts[index] += 1
    return counts


def build(store: Store, contacts: int, touches: int, seed: int = 7) -> dict[str, int]:
    """Fill an empty store with ``contacts`` contacts and exactly ``touches`` touches."""
    rng = random.Random(seed)
    counts = _allocate(rng, contacts, touches)
    rows = [_contact(rng, i) for i in range(contacts)]
    cadences = [rng.choice((14, 30, 60, 90)) if rng.random() < 0.015 else None for _ in rows]
    timelines = []
    for i, row in enumerate(rows):
        created, events = _timeline(rng, i, row["first_name"], counts[i], cadences[i])
        row["created_at"] = _stored(created)
        if cadences[i]:
            row["keep_in_touch_days"] = cadences[i]
        timelines.append(events)
    tags = [
        tuple(rng.sample(("prospect", "customer", "partner", "2026-q4", "conf"), 2))
        if rng.random() < 0.3
        else ()
        for _ in rows
    ]
    ids = store.insert_contacts_bulk(rows, tags)

    def all_touches() -> Iterator[dict[str, Any]]:
        for contact_id, events in zip(ids, timelines, strict=True):
            for event in events:
                event["contact_id"] = contact_id
                yield event

    added = store.insert_touches_bulk(all_touches())
    today = END.date()
    with store.write():
        for contact_id, row in zip(ids, rows, strict=True):
            if rng.random() < 0.03:
                due = today + timedelta(days=rng.randint(-6, 60))
                reason = rng.choice(("send the proposal", "ask about Q1 budget", ""))
                store.set_follow_up(contact_id, due, reason, END - timedelta(days=30))
            if row.get("phone") and rng.random() < 0.3:
                opt_out = END - timedelta(days=rng.uniform(1, 400)) if rng.random() < 0.03 else None
                store.set_consent(contact_id, END - timedelta(days=500), opt_out)
            if rng.random() < 0.003:
                until = today + timedelta(days=rng.randint(1, 10))
                store.snooze(contact_id, rng.choice(list(Kind)), until)
    return {"contacts": len(ids), "touches": added}


def as_of_date() -> date:
    return date.fromisoformat(AS_OF)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write a synthetic outreach database: N contacts and M touches, the same "
        "for the same numbers and seed (the data every benchmark uses).",
    )
    parser.add_argument("--contacts", type=int, default=30_000, help="default: 30,000")
    parser.add_argument("--touches", type=int, default=300_000, help="default: 300,000")
    parser.add_argument("--seed", type=int, default=7, help="default: 7")
    parser.add_argument("--out", type=Path, required=True, metavar="FILE", help="database to write")
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")
    args = parser.parse_args(argv)
    if args.contacts < 1 or args.touches < 0:
        parser.error("--contacts must be 1 or more and --touches 0 or more")
    out: Path = args.out.expanduser()
    if out.exists() and not args.force:
        parser.error(f"{out} exists; pass --force to replace it")
    if out.parent and not out.parent.is_dir():
        parser.error(f"{out.parent} is not a folder")
    from tracker.service import open_store

    # Built under a temporary name, so FILE only ever holds a finished database.
    partial = out.with_name(out.name + ".building")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    started = time.perf_counter()
    store = open_store(partial)
    try:
        made = build(store, args.contacts, args.touches, args.seed)
    finally:
        store.close()
    partial.replace(out)
    elapsed = time.perf_counter() - started
    print(
        f"wrote {out}: {made['contacts']:,} contacts, {made['touches']:,} touches "
        f"(seed {args.seed}) in {elapsed:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
