"""The contact fields an import carries beyond names and identifiers: segment,
relationship, keep-in-touch cadence, SMS consent and the next follow-up (our own contacts
export writes them all; ``--map`` can point any CSV column at them).

Values are read leniently, like identifiers: a bad one is left out and counted, never
fatal. Merging follows the enrichment rules (empty fields only), with one exception that
keeps consent safe: an opt-out is never lost. A file can add one (or a later one), never
clear one, and an opt-in from a file never makes an opted-out contact textable again.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from tracker.errors import UsageError
from tracker.models import CONTACT_FIELDS, Relationship, Segment
from tracker.service.values import MAX_CADENCE_DAYS, choice
from tracker.timeutil import check_year, parse_when, to_stored

EXTRA_FIELDS = (
    "segment",
    "relationship",
    "keep_in_touch_days",
    "sms_opt_in_at",
    "sms_opt_out_at",
    "follow_up_on",
    "follow_up_reason",
    "follow_up_set_at",
)
"""The ``Person`` fields read here rather than as text (``read_extras``)."""
ENRICHED_FIELDS = tuple(key for key in CONTACT_FIELDS if key != "name")
"""A contact's fields an import fills when empty (consent and follow-ups: see above)."""
CONSENT_FIELDS = ("sms_opt_in_at", "sms_opt_out_at")
_YES = frozenset({"yes", "y", "true", "1", "x", "opted out", "opted in", "stop"})
_NO = frozenset({"no", "n", "false", "0", "-", "none"})


@dataclass(frozen=True)
class FollowUpRow:
    """A follow-up a file carries, as stored: due date, reason, when it was set."""

    due_on: str
    reason: str
    set_at: str


def _time(raw: str, tz: tzinfo) -> datetime | None:
    """A moment written in a file (ISO 8601, ours ends in ``Z``; a date means 00:00
    local), or ``None`` when it is not one."""
    try:
        return parse_when(raw, tz)
    except UsageError:
        return None


def _consent(raw: str, tz: tzinfo, now: datetime, opt_out: bool) -> datetime | None:
    """When a consent cell says the contact opted in (or out): its time, or ``now`` for a
    plain "yes". An opt-out cell that is neither a time nor a "no" still opts out (a
    consent flag is never dropped for its spelling); an unreadable opt-in is dropped."""
    text = raw.strip()
    if not text or text.casefold() in _NO:
        return None
    moment = _time(text, tz)
    if moment is not None:
        return min(moment, now)
    if opt_out or text.casefold() in _YES:
        return now
    raise ValueError(text)


def read_extras(
    raw: dict[str, str], tz: tzinfo, now: datetime, dropped: Counter[str]
) -> tuple[dict[str, Any], FollowUpRow | None]:
    """The stored values of segment, relationship, cadence and consent in ``raw`` (field
    name → cell), and its follow-up; bad values are left out and counted in ``dropped``."""
    fields: dict[str, Any] = {}
    for key, enum in (("segment", Segment), ("relationship", Relationship)):
        text = raw.get(key, "").strip()
        if text:
            try:
                fields[key] = choice(enum, text, key)
            except UsageError:
                dropped[f"invalid {key}"] += 1
    cadence = raw.get("keep_in_touch_days", "").strip()
    if cadence:
        if cadence.isdigit() and 1 <= int(cadence) <= MAX_CADENCE_DAYS:
            fields["keep_in_touch_days"] = int(cadence)
        else:
            dropped["invalid keep-in-touch days"] += 1
    for key in CONSENT_FIELDS:
        text = raw.get(key, "")
        try:
            moment = _consent(text, tz, now, opt_out=key == "sms_opt_out_at")
        except ValueError:
            dropped["invalid SMS opt-in time"] += 1
            continue
        if moment is not None:
            fields[key] = to_stored(moment)
    return fields, _follow_up(raw, tz, now, dropped)


def _follow_up(
    raw: dict[str, str], tz: tzinfo, now: datetime, dropped: Counter[str]
) -> FollowUpRow | None:
    due_text = raw.get("follow_up_on", "").strip()
    if not due_text:
        return None
    try:
        due = date.fromisoformat(due_text[:10])
        check_year(due, due_text)
    except (ValueError, UsageError):
        dropped["invalid follow-up date"] += 1
        return None
    set_at = _time(raw.get("follow_up_set_at", ""), tz) or now
    reason = " ".join(raw.get("follow_up_reason", "").split())
    return FollowUpRow(due.isoformat(), reason, to_stored(min(set_at, now)))


def _opted_out(opt_in: str | None, opt_out: str | None) -> bool:
    """``Contact.opted_out`` on stored times (same-format text compares as time)."""
    return bool(opt_out) and not (opt_in and opt_out and opt_in > opt_out)


def consent_changes(current: dict[str, Any], found: dict[str, Any]) -> dict[str, str]:
    """The consent times to write on a contact holding ``current`` from a record that
    says ``found`` (stored times): a later opt-out always; an opt-in only where there is
    none and only if it leaves an opted-out contact opted out."""
    now_in, now_out = current.get("sms_opt_in_at"), current.get("sms_opt_out_at")
    new_in, new_out = found.get("sms_opt_in_at"), found.get("sms_opt_out_at")
    changes: dict[str, str] = {}
    if new_out and (not now_out or new_out > now_out):
        changes["sms_opt_out_at"] = new_out
    out_after = changes.get("sms_opt_out_at", now_out)
    if new_in and not now_in:
        made_textable = _opted_out(now_in, now_out) and not _opted_out(new_in, out_after)
        if not made_textable:
            changes["sms_opt_in_at"] = new_in
    return changes
