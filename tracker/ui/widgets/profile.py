"""A contact's profile as their screen shows it: name and role, what is due, their sequence
plan (near the top when one runs), the first name drafts greet them by, every phone and
email with its label (the primary marked ★ when there are several), LinkedIn, segment,
tags, consent, cadence, follow-up, key dates, the next meeting, invitation, and the notes.
Every piece of user text is made safe to show. Each value wraps in its own column beside
its label, to the widget's width (drawn again when the width changes)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, tzinfo

from rich.console import Console
from rich.text import Text
from textual.widgets import Static

from tracker.identity import format_phone
from tracker.insights.sequences import plan_text
from tracker.key_dates import shown as key_date_shown
from tracker.models import Contact, Identifier
from tracker.service.reads import ContactDetail
from tracker.timeutil import local_date
from tracker.words import KIND_TITLES, meeting_when, one_line, plural, short_date, words

LABEL_WIDTH = 14
_MEASURE = Console(width=200, color_system=None, legacy_windows=False)
"""Wraps values into lines (measuring cells only: nothing is printed with it)."""
PRIMARY = "★"
"""Marks the primary phone and email (the one texts and drafts use) beside its label."""
PHONE_LABELS = {"mobile": "Mobile", "work": "Work phone", "home": "Home phone"}
EMAIL_LABELS = {"work": "Work email", "home": "Home email"}


class Profile(Static):
    """The profile text of one contact (``show`` puts a contact's in)."""

    def __init__(self, content: str, *, id: str | None = None) -> None:
        super().__init__(content, id=id)
        self._shown: tuple[ContactDetail, tzinfo, date, str] | None = None
        self._drawn_at = 0

    def show(self, detail: ContactDetail, tz: tzinfo, today: date, enroll_key: str = "") -> None:
        self._shown = (detail, tz, today, enroll_key)
        self._drawn_at = 0
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """Draw the profile for the width it has (once it has one, and once per width)."""
        width = self.content_region.width
        if self._shown is not None and width and width != self._drawn_at:
            self._drawn_at = width
            self.update(profile_text(*self._shown, width=width))


def profile_text(
    detail: ContactDetail,
    tz: tzinfo,
    today: date,
    enroll_key: str = "",
    width: int | None = None,
) -> Text:
    """The profile; ``enroll_key``: the key that enrolls them, named when no plan runs;
    with ``width``, each value wraps within ``width`` cells beside its label (never under
    it)."""
    contact = detail.contact
    text = Text()
    text.append(one_line(contact.name) + "\n", style="bold")
    role = " at ".join(one_line(p) for p in (contact.title, contact.company) if p)
    text.append((role or "no title or company") + "\n\n", style="italic")
    for item in detail.due:
        text.append(f"Due today · {KIND_TITLES[item.kind]}: ", style="bold")
        text.append(one_line(item.reason) + "\n")
    if detail.due:
        text.append("\n")
    if detail.plans:  # their plan, near the top; else a line below says how to make one
        text.append_text(plan_text(detail.plans, today, tz))
        text.append("\n")

    room = max(width - LABEL_WIDTH, 12) if width else None

    def row(label: str, value: str | Text, style: str = "") -> None:
        value = value if isinstance(value, Text) else Text(value, style=style)
        lines = value.wrap(_MEASURE, room) if room else [value]
        for index, line in enumerate(lines):
            text.append(f"{label if index == 0 else '':<{LABEL_WIDTH - 1}} ", style="bold")
            text.append_text(line)
            text.append("\n")

    row("First name", one_line(contact.first_name) or "—")
    for label, value in _identifiers("phone", detail.phones, contact.phone):
        row(label, value)
    for label, value in _identifiers("email", detail.emails, contact.email):
        row(label, value)
    row("LinkedIn", one_line(contact.linkedin_url) or "—")
    row("Segment", words(contact.segment.value if contact.segment else "") or "—")
    rel = contact.relationship.value if contact.relationship else ""
    row("Relationship", words(rel) or "—")
    row("Tags", ", ".join(one_line(t) for t in contact.tags) or "—")
    row("Texts", _consent(contact, today, tz))
    cadence = contact.keep_in_touch_days
    row("Keep in touch", f"every {plural(cadence, 'day')}" if cadence else "no cadence")
    if contact.follow_up_on:
        due = short_date(contact.follow_up_on, today)
        reason = one_line(contact.follow_up_reason)
        row("Follow-up", f"{due}: {reason}" if reason else due, "bold")
    else:
        row("Follow-up", "none (f sets one)")
    dates = [f"{k.label} {key_date_shown(k)}" for k in detail.key_dates]
    row("Key dates", " · ".join(one_line(d) for d in dates) or "none (e adds a birthday)")
    state = detail.state
    if state.meeting_scheduled_at is not None:
        row("Next meeting", meeting_when(state.meeting_scheduled_at, tz, today), "bold")
    if state.invite_status:
        sent = (
            short_date(local_date(state.invite_sent_at, tz), today) if state.invite_sent_at else ""
        )
        note = "with a note" if state.invite_has_note else "without a note"
        row("Invitation", f"{state.invite_status}, sent {sent} {note}")
    if not detail.plans:
        text.append_text(plan_text(detail.plans, today, tz, enroll_key))
    if contact.created_at:
        row("Added", short_date(local_date(contact.created_at, tz), today))
    if contact.notes:
        text.append("\nNotes\n", style="bold")
        text.append(safe_block(contact.notes))
    return text


def _identifiers(kind: str, held: Sequence[Identifier], primary: str) -> list[tuple[str, Text]]:
    """(row label, value) for each phone or email, the primary first and marked when
    there are several; one "—" row when there are none."""
    noun = "Phone" if kind == "phone" else "Email"
    if not held:
        only = format_phone(primary) if kind == "phone" and primary else one_line(primary)
        return [(noun, Text(only or "—"))]
    names = PHONE_LABELS if kind == "phone" else EMAIL_LABELS
    rows = []
    for identifier in held:
        label = names.get(identifier.label, noun)
        if identifier.primary and len(held) > 1:
            label += f" {PRIMARY}"
        value = format_phone(identifier.value) if kind == "phone" else one_line(identifier.value)
        rows.append((label, Text(value)))
    return rows


def _consent(contact: Contact, today: date, tz: tzinfo) -> Text:
    if contact.opted_out():
        return Text("opted out: never text (O opts back in)", style="bold red")
    if contact.sms_opt_in_at:
        day = local_date(contact.sms_opt_in_at, tz)
        return Text(f"opted in {short_date(day, today)}")
    return Text("no consent recorded")


def safe_block(text: str) -> str:
    """Multi-line user text, every line made safe."""
    return "\n".join(one_line(line) for line in text.strip().splitlines())
