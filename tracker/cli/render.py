"""Plain-text rendering for the CLI: the review table, a contact's profile and timeline,
JSON. Tables come from ``tables`` (sized to the terminal)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo
from typing import Any

from tracker.cli.tables import table
from tracker.models import Contact, Identifier, KeyDate, ReviewItem, Touch
from tracker.review import explain
from tracker.text import safe
from tracker.timeutil import days_in_words
from tracker.words import CHANNEL_LABELS, item_title, words

__all__ = ["dumps", "dumps_records", "local", "profile", "review_table", "table", "touch_line"]

_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def local(moment: datetime | None, tz: tzinfo, with_time: bool = True) -> str:
    if moment is None:
        return ""
    shown = moment.astimezone(tz)
    return shown.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def review_table(items: Sequence[ReviewItem], show_priority: bool = False) -> str:
    if not items:
        return "Nothing due. The review is clear."
    headers: tuple[str, ...] = ("KIND", "CONTACT", "COMPANY", "AGE", "WHY AND WHAT TO DO")
    rows: list[tuple[str, ...]] = [
        (
            item_title(item),
            f"{item.contact} (#{item.contact_id})",
            item.company,
            days_in_words(item.age_days) + (" · lapsed" if item.lapsed else ""),
            explain(item),
        )
        for item in items
    ]
    if not show_priority:
        return table(headers, rows)
    headers = ("PRIORITY", *headers)
    rows = [(item.priority.explain(), *row) for item, row in zip(items, rows, strict=True)]
    return table(headers, rows, wrap=(0, -1))


def _record_encoder() -> Callable[[Any], str]:
    """``json.JSONEncoder(ensure_ascii=False).encode`` for a record, with the C encoder
    made once rather than once per record (as ``encode`` does)."""
    from json import encoder

    base = json.JSONEncoder(ensure_ascii=False)
    make = getattr(encoder, "c_make_encoder", None)
    if make is None:  # no C accelerator: the plain encoder
        return base.encode
    chunks = make(
        None,  # no check for circular references: records are flat
        base.default,
        encoder.encode_basestring,
        None,
        base.key_separator,
        base.item_separator,
        False,
        False,
        True,
    )
    return lambda record: "".join(chunks(record, 0))


_RECORD = _record_encoder()


def dumps(data: Any) -> str:
    """JSON with every value exact, readable (not ASCII-escaped), and still safe to print:
    the characters JSON may carry raw but a terminal would act on (C1 controls, bidi
    overrides) are written as ``\\u`` escapes, which parse back to the same text.

    A list of records (the review, the contacts list) is written one record per line, by
    the C encoder: indenting takes Python's own, three times slower on a long review."""
    if isinstance(data, list) and data and all(isinstance(row, dict) for row in data):
        return dumps_records(list(map(_RECORD, data)))
    return _safe(json.dumps(data, ensure_ascii=False, indent=2))


def dumps_records(records: Sequence[str]) -> str:
    """A list of records already encoded as JSON, written as ``dumps`` writes a list of
    records (one per line)."""
    if not records:
        return "[]"
    # Of ASCII, only DEL is to escape: other records are searched (the search costs
    # more than the encoding, on a long list).
    safe = [
        record if record.isascii() and "\x7f" not in record else _safe(record) for record in records
    ]
    return "[\n  " + ",\n  ".join(safe) + "\n]"


def _safe(text: str) -> str:
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def touch_line(touch: Touch, tz: tzinfo, now: datetime | None = None) -> str:
    """One touch of a timeline; a meeting after ``now`` is marked scheduled."""
    arrow = "→" if touch.direction.value == "out" else "←"
    extras = []
    if now is not None and touch.channel.value == "meeting" and touch.at > now:
        extras.append("scheduled")
    if touch.status:
        status = words(touch.status)
        extras.append(status + (f" {local(touch.status_at, tz)}" if touch.status_at else ""))
    if touch.has_note is not None and touch.is_invitation:
        extras.append("with a note" if touch.has_note else "no note")
    if touch.moment:
        extras.append(words(touch.moment.value))
    if touch.is_group:
        extras.append("group")
    head = f"#{touch.id:<5} {local(touch.at, tz)}  {arrow} {CHANNEL_LABELS[touch.channel]}"
    if extras:
        head += f" [{', '.join(extras)}]"
    text = safe(touch.text)
    if not text:
        return head
    indented = "\n".join("        " + line for line in text.splitlines())
    return f"{head}\n{indented}"


def _plain(phone: str) -> str:
    from tracker.identity import format_phone

    return format_phone(phone) if phone else ""


def _labelled(identifiers: Sequence[Identifier], kind: str, show: Callable[[str], str]) -> str:
    """Each of the contact's ``kind`` with its label, one per line, the primary first and
    marked so when there are several."""
    mine = [i for i in identifiers if i.kind == kind]
    several = len(mine) > 1
    return "\n".join(
        f"{show(i.value)} ({i.label}{', primary' if i.primary and several else ''})" for i in mine
    )


def profile(
    contact: Contact,
    tz: tzinfo,
    identifiers: Sequence[Identifier] = (),
    key_dates: Sequence[KeyDate] = (),
    next_meeting: datetime | None = None,
) -> str:
    """A contact's fields, one per line (every phone and email, labelled, when given, the
    key dates and the next scheduled meeting)."""
    from tracker.identity import format_phone
    from tracker.key_dates import typed

    consent = "not recorded"
    if contact.opted_out():
        consent = f"opted out {local(contact.sms_opt_out_at, tz)}"
    elif contact.sms_opt_in_at:
        consent = f"opted in {local(contact.sms_opt_in_at, tz)}"
    follow = ""
    if contact.follow_up_on:
        follow = contact.follow_up_on.isoformat()
        if contact.follow_up_reason:
            follow += f" ({contact.follow_up_reason})"
    fields = [
        ("Name", contact.name),
        ("Company", contact.company),
        ("Title", contact.title),
        ("Phone", _labelled(identifiers, "phone", format_phone) or _plain(contact.phone)),
        ("Email", _labelled(identifiers, "email", str) or contact.email),
        ("LinkedIn", contact.linkedin_url),
        ("Segment", words(contact.segment.value) if contact.segment else ""),
        ("Relationship", words(contact.relationship.value) if contact.relationship else ""),
        ("Tags", ", ".join(contact.tags)),
        ("SMS consent", consent),
        (
            "Keep in touch",
            days_in_words(contact.keep_in_touch_days) if contact.keep_in_touch_days else "",
        ),
        ("Next follow-up", follow),
        ("Next meeting", local(next_meeting, tz) if next_meeting else ""),
        ("Key dates", "\n".join(f"{k.label}: {typed(k)}" for k in key_dates)),
        ("Notes", contact.notes),
        ("Added", local(contact.created_at, tz)),
    ]
    lines = [f"Contact #{contact.id}"]
    for label, value in fields:
        if value:
            several = label in ("Phone", "Email", "Key dates")
            first, *more = safe(value).split("\n") if several else [safe(value)]
            lines.append(f"  {label + ':':<15} {first}")
            lines.extend(f"  {'':<15} {line}" for line in more)
    return "\n".join(lines)
