"""The guardrails (DOMAIN.md, "Guardrails" and "How the checks behave") applied to one
draft, for one contact, at one moment. Pure functions: history and clock come in."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from tracker.coach.findings import CheckResult, Counters, Finding, Severity
from tracker.coach.sms import measure
from tracker.coach.templates import FIELD
from tracker.coach.when import day_word_findings
from tracker.config import Settings
from tracker.identity import phone_regions, split_name
from tracker.invitations import connection_day, linkedin_standing
from tracker.models import Channel, Contact, Direction, Relationship, Touch
from tracker.state import summarize

BLOCK, WARN, TIP = Severity.BLOCK, Severity.WARN, Severity.TIP
DEFAULT_TEXT = re.compile(
    r"i[’']?d\s+like\s+to\s+(add\s+you\s+to|join)\s+my\s+professional\s+network", re.I
)
ABBREVIATIONS = re.compile(r"\b(u|ur|pls|plz|thx|thnx|tx|r|b4|msg|ty|bc|cuz)\b", re.I)
DOUBLED = re.compile(r"\b(\w+)\s+(\1)\b", re.I)
ASKS_CONTACT = re.compile(
    r"\b(your|ur)\s+(personal\s+|work\s+|best\s+)?(e-?mail|email\s+address|phone|"
    r"(phone|cell|mobile)\s+number|number|cell|mobile|whatsapp)\b",
    re.I,
)
PITCH = re.compile(
    r"\b(demo|our (product|platform|solution|software|service|tool|offer|pricing)|discount|"
    r"free trial|buy|purchase|book a (call|meeting)|schedule a (call|demo)|sales pitch|"
    r"special offer|limited time|roi)\b",
    re.I,
)
CONTEXT = re.compile(
    r"\b(met|meet|meeting|event|conference|expo|summit|meetup|webinar|talk|panel|session|"
    r"introduc\w*|intro|mutual|referred|recommended|saw your|read your|your (post|article|"
    r"talk|work|profile|comment)|we both|also (in|at)|worked (together|with)|colleague|"
    r"alumni|alum|classmate|group|viewed|noticed|enjoyed|listened|going to|attending|"
    r"speaking at|see you at)\b",
    re.I,
)
CALL_TO_ACTION = re.compile(
    r"\?|\b(let me know|call me|text me|reply|can you|could you|would you|are you free|"
    r"does .{1,30} work|shall we|let's|lets|please confirm|send me)\b",
    re.I,
)
RECONNECTING = {Relationship.FORMER_COLLEAGUE, Relationship.FRIEND}


def counters(text: str, sms: bool = False) -> Counters:
    """Characters and words; for a text (``sms``), its encoding and the segments it costs
    (``None`` for any other channel: an email or a LinkedIn message has no segments)."""
    if not sms:
        return Counters(characters=len(text), words=len(text.split()), encoding=None, segments=None)
    length = measure(text)
    return Counters(
        characters=len(text),
        words=len(text.split()),
        encoding=length.encoding,
        segments=length.segments,
    )


def _span_of(match: re.Match[str], group: int = 0) -> tuple[int, int]:
    return match.start(group), match.end(group)


def _unfilled(text: str) -> Iterator[Finding]:
    """A block for each template field still in the text (``{event}``): it would go out
    as it is. Only names a field could have count, so ``{1}`` or a lone brace do not."""
    for match in FIELD.finditer(text):
        name = match.group(1)
        how = (
            "set your name ([coach] my_name) or write it in"
            if name in ("my_name", "my_first_name")
            else "fill it in or take it out"
        )
        yield Finding(
            BLOCK, "unfilled_field", f"{{{name}}} is not filled in: {how}", _span_of(match)
        )


def _writing(text: str) -> Iterator[Finding]:
    for match in ABBREVIATIONS.finditer(text):
        yield Finding(
            WARN,
            "abbreviation",
            f"lazy abbreviation {match.group()!r} reads as unprofessional: write the word out",
            _span_of(match),
        )
    for match in DOUBLED.finditer(text):
        yield Finding(
            WARN,
            "doubled_word",
            f"doubled word {match.group(1)!r}: take one out",
            (match.start(2), match.end(2)),
        )


def _recipient_zones(contact: Contact, user_tz: tzinfo) -> list[tzinfo]:
    names = phone_regions(contact.phone) if contact.phone else ()
    zones: list[tzinfo] = []
    for name in names:
        try:
            zones.append(ZoneInfo(name))
        except (KeyError, ValueError):
            continue
    return zones or [user_tz]


def _hhmm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def check_text(
    contact: Contact,
    history: Sequence[Touch],
    text: str,
    as_of: datetime,
    settings: Settings,
    user_tz: tzinfo,
) -> CheckResult:
    """Findings for a text to ``contact`` sent at ``as_of`` (history: sorted touches)."""
    seen = [t for t in history if t.at <= as_of]
    findings: list[Finding] = []
    if contact.opted_out(as_of):
        when = contact.sms_opt_out_at.astimezone(user_tz).date() if contact.sms_opt_out_at else ""
        findings.append(
            Finding(
                BLOCK, "opted_out", f"{contact.name} opted out of texts on {when}: never text them"
            )
        )
    if not contact.phone:
        findings.append(
            Finding(
                WARN,
                "no_phone",
                f"{contact.name} has no phone number on file: add one before texting, or "
                "write by email or LinkedIn",
            )
        )
    state = summarize(contact.id, seen, as_of)
    if state.text_run >= settings.step_back_run:
        findings.append(
            Finding(
                BLOCK,
                "step_back",
                f"{state.text_run} texts in a row unanswered: stop texting, switch channel or "
                "let it rest",
            )
        )
    if contact.sms_opt_in_at and not contact.opted_out(as_of):
        fresh = as_of - contact.sms_opt_in_at < timedelta(hours=settings.opt_in_wait_hours)
        talked = any(t.channel in (Channel.CALL, Channel.EMAIL) for t in seen if not t.is_group)
        if fresh and not talked and contact.sms_opt_in_at <= as_of:
            findings.append(
                Finding(
                    WARN,
                    "fresh_opt_in",
                    f"opted in under {settings.opt_in_wait_hours} hours ago with no call or email "
                    "yet: build the relationship first (call or email before texting)",
                )
            )
    length = measure(text)
    if length.segments > 1:
        findings.append(
            Finding(
                WARN,
                "length",
                f"{length.segments} SMS segments ({length.units} {length.encoding} units; "
                f"{length.per_segment} per segment): keep texts short",
            )
        )
    if length.first_ucs2 is not None:
        index = length.first_ucs2
        findings.append(
            Finding(
                TIP,
                "encoding",
                f"{text[index]!r} is not GSM-7, so the whole text is UCS-2 "
                f"(70 characters per segment, not 160): use a plain character to fit more",
                (index, index + 1),
            )
        )
    replied = any(t.direction is Direction.IN and not t.is_group for t in seen)
    if not replied and text.strip():
        findings.extend(_name_check(text, settings))
    if text.strip() and not CALL_TO_ACTION.search(text):
        findings.append(
            Finding(
                WARN,
                "call_to_action",
                "no clear call to action: end with one question or one concrete ask",
            )
        )
    findings.extend(_quiet_hours(contact, as_of, settings, user_tz))
    findings.extend(_unfilled(text))
    findings.extend(day_word_findings(text, seen, as_of, user_tz))
    findings.extend(_writing(text))
    return CheckResult(counters(text, sms=True), findings)


def _name_check(text: str, settings: Settings) -> Iterator[Finding]:
    name = settings.my_name.strip()
    if not name:
        yield Finding(
            TIP, "your_name", "set [coach] my_name so drafts can name you with first and last name"
        )
        return
    parts = name.split()
    lowered = text.casefold()
    if not all(part.casefold() in lowered for part in parts):
        yield Finding(
            WARN,
            "your_name",
            f"say who you are with first and last name ({name}) until they have replied once",
        )


def _quiet_hours(
    contact: Contact, as_of: datetime, settings: Settings, user_tz: tzinfo
) -> Iterator[Finding]:
    start, end = _hhmm(settings.quiet_start), _hhmm(settings.quiet_end)
    for zone in _recipient_zones(contact, user_tz):
        local = as_of.astimezone(zone)
        if not (start <= local.time().replace(second=0, microsecond=0) <= end):
            yield Finding(
                WARN,
                "quiet_hours",
                f"it is {local.strftime('%H:%M')} for them ({getattr(zone, 'key', 'your zone')}):"
                f" text between {settings.quiet_start} and {settings.quiet_end}",
            )
            return


def check_note(
    contact: Contact,
    text: str,
    settings: Settings,
    history: Sequence[Touch] = (),
    as_of: datetime | None = None,
    user_tz: tzinfo | None = None,
) -> CheckResult:
    """Findings for a LinkedIn connection note to ``contact`` (with ``as_of``, also
    whether LinkedIn would take an invitation to them then, from ``history``)."""
    findings: list[Finding] = []
    if as_of is not None and user_tz is not None:
        standing = linkedin_standing(history, as_of, settings, user_tz, connection_day(contact))
        if standing.why_no_invite:
            findings.append(Finding(BLOCK, standing.rule, standing.why_no_invite))
    if len(text) > settings.note_limit:
        findings.append(
            Finding(
                BLOCK,
                "note_limit",
                f"{len(text)} characters: over LinkedIn's {settings.note_limit}-character note "
                f"limit; cut {len(text) - settings.note_limit}",
                (settings.note_limit, len(text)),
            )
        )
    default = DEFAULT_TEXT.search(text)
    if default:
        findings.append(
            Finding(
                WARN,
                "default_text",
                "LinkedIn's default text reads as lazy: say how you know them instead",
                _span_of(default),
            )
        )
    words = len(text.split())
    reconnecting = contact.relationship in RECONNECTING
    low, high = (
        (settings.reconnect_words_min, settings.reconnect_words_max)
        if reconnecting
        else (settings.stranger_words_min, settings.stranger_words_max)
    )
    who = contact.relationship.value.replace("_", " ") if contact.relationship else "a stranger"
    if text.strip() and not low <= words <= high:
        findings.append(
            Finding(
                WARN,
                "word_count",
                f"{words} words: aim for {low}-{high} words to {who}",
            )
        )
    if text.strip():
        findings.extend(_note_content(contact, text))
    findings.extend(_unfilled(text))
    if as_of is not None and user_tz is not None:
        findings.extend(day_word_findings(text, history, as_of, user_tz))
    findings.extend(_writing(text))
    return CheckResult(counters(text), findings)


def _note_content(contact: Contact, text: str) -> Iterator[Finding]:
    first = contact.first_name or split_name(contact.name)[0]
    opening = " ".join(text.split()[:4]).casefold()
    if first and first.casefold() not in opening:
        yield Finding(
            WARN,
            "greeting",
            f'greet them by first name ("Hi {first},")',
            (0, min(len(text), 20)),
        )
    if not CONTEXT.search(text):
        yield Finding(
            WARN, "context", "no context: say where you met, who introduced you, or why now"
        )
    pitch = PITCH.search(text)
    if pitch:
        yield Finding(
            WARN, "pitch", "no pitch in a connection note: connect first", _span_of(pitch)
        )
    asks = ASKS_CONTACT.search(text)
    if asks:
        yield Finding(
            WARN,
            "asks_contact_info",
            "never ask for their email or phone number in a note",
            _span_of(asks),
        )


def check_message(
    contact: Contact,
    text: str,
    history: Sequence[Touch] = (),
    as_of: datetime | None = None,
    user_tz: tzinfo | None = None,
) -> CheckResult:
    """Findings for a LinkedIn message or an email: unfilled fields, the day a call or
    meeting was (with ``as_of``), and the writing checks."""
    findings = [*_unfilled(text)]
    if as_of is not None and user_tz is not None:
        findings.extend(day_word_findings(text, history, as_of, user_tz))
    findings.extend(_writing(text))
    return CheckResult(counters(text), findings)


def check(
    channel: Channel,
    contact: Contact,
    history: Sequence[Touch],
    text: str,
    as_of: datetime,
    settings: Settings,
    user_tz: tzinfo,
) -> CheckResult:
    """Dispatch to the checks for ``channel``."""
    if channel is Channel.SMS:
        return check_text(contact, history, text, as_of, settings, user_tz)
    if channel is Channel.LINKEDIN_INVITE:
        return check_note(contact, text, settings, history, as_of, user_tz)
    return check_message(contact, text, history, as_of, user_tz)
