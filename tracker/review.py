"""The daily review: which items are due, why, and in what order (DOMAIN.md).

Pure functions of (contact, state, as_of, settings): the clock is always an argument, so
the same data and the same "as of" give the same items in the same order.

An item due for more than ``[review] horizon_days`` has *lapsed* (DOMAIN.md, "Lapsed
items"): each rule says how many days its item has been due, so telling a lapsed item
costs one comparison; ``build_review`` keeps the lapsed apart from the day's queue.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import NamedTuple

from tracker.config import Settings
from tracker.key_dates import occasion_words, occasions
from tracker.models import (
    BIRTHDAY,
    Channel,
    Contact,
    ContactState,
    InviteStatus,
    KeyDate,
    Kind,
    ReviewItem,
    dataclass_builder,
)
from tracker.priority import score
from tracker.timeutil import Clock, days_in_words, local_date, start_of_day

Snoozes = Mapping[tuple[int, Kind], date]
_make_item = dataclass_builder(ReviewItem)
HELD_BY_MEETING = frozenset(
    {Kind.NO_REPLY, Kind.UNANSWERED_TEXT, Kind.STEP_BACK, Kind.KEEP_IN_TOUCH}
)
"""Kinds a scheduled meeting holds back until it starts (DOMAIN.md, "Scheduled meetings")."""
_NO_REPLY_WORDS = {Channel.EMAIL.value: "email", Channel.WHATSAPP.value: "WhatsApp message"}
"""What a ``no_reply`` item waits on, in its reason (otherwise a LinkedIn message)."""


def _ago(days: int) -> str:
    return "today" if days == 0 else f"{days_in_words(days)} ago"


def _can_text(contact: Contact, clock: Clock) -> bool:
    return bool(contact.phone) and not contact.opted_out(clock.as_of)


def thanks_channel(contact: Contact) -> Channel:
    """How to thank a contact with no phone for a call: by email when they have an email,
    else by LinkedIn message."""
    return Channel.EMAIL if contact.email else Channel.LINKEDIN_MESSAGE


def _thanks_words(contact: Contact) -> str:
    if contact.email:
        return "by email"
    return "by LinkedIn message" if contact.linkedin_url else "by email or LinkedIn message"


class _Ctx(NamedTuple):
    """What every rule reads for one contact."""

    contact: Contact
    state: ContactState
    clock: Clock
    settings: Settings


def _item(
    kind: Kind,
    ctx: _Ctx,
    since: datetime,
    age: int,
    reason: str,
    action: str,
    last_message: str = "",
    due_days: int | None = None,
    **details: object,
) -> ReviewItem:
    """``due_days``: how many days the item has been due (``None``: it never lapses)."""
    contact = ctx.contact
    return _make_item(
        {
            "kind": kind,
            "contact_id": contact.id,
            "contact": contact.name,
            "company": contact.company,
            "since": since,
            "age_days": age,
            "reason": reason,
            "action": action,
            "last_message": last_message,
            "lapsed": due_days is not None and due_days > ctx.settings.horizon_days,
            "details": details,
            "priority": score(kind, age, contact, ctx.state, ctx.clock, ctx.settings),
        }
    )


def _invitation_items(ctx: _Ctx) -> Iterable[ReviewItem]:
    contact, state, clock, settings = ctx.contact, ctx.state, ctx.clock, ctx.settings
    note = "with a note" if state.invite_has_note else "without a note"
    if state.invite_status == InviteStatus.PENDING and state.invite_sent_at is not None:
        age = clock.age(state.invite_sent_at)
        if age >= settings.stale_invite_days:
            elsewhere = "by email" if contact.email else "by text" if contact.phone else "elsewhere"
            yield _item(
                Kind.STALE_INVITE,
                ctx,
                state.invite_sent_at,
                age,
                f"invited {_ago(age)} {note}, still pending",
                f"withdraw it (and maybe resend later), or follow up {elsewhere}",
                has_note=state.invite_has_note,
                overdue=age >= settings.invite_overdue_days,
            )
    if state.invite_status == InviteStatus.WITHDRAWN and state.invite_status_at is not None:
        age = clock.age(state.invite_status_at)
        if age >= settings.resend_invite_days:
            yield _item(
                Kind.RESEND_INVITE,
                ctx,
                state.invite_status_at,
                age,
                f"invitation withdrawn {_ago(age)}; LinkedIn's re-invite lockout has passed",
                "resend the invitation, perhaps without a note, and record which",
                due_days=age - settings.resend_invite_days,
                had_note=state.invite_has_note,
            )
    if state.thank_since is not None:
        age = clock.age(state.thank_since)
        if 0 <= age < settings.thank_window_days:
            yield _item(
                Kind.THANK_NEW_CONNECTION,
                ctx,
                state.thank_since,
                age,
                f"accepted your invitation {_ago(age)}; nothing sent since",
                "thank them for accepting, and add something of value",
                due_days=age,
            )


def _text_items(ctx: _Ctx) -> Iterable[ReviewItem]:
    contact, state, clock, settings = ctx.contact, ctx.state, ctx.clock, ctx.settings
    if contact.opted_out(clock.as_of):
        return
    if state.call_since is not None:
        age = clock.age(state.call_since)
        reason = f"spoke on the phone {_ago(age)}; no text or message since"
        if contact.phone:
            action, channel = "send a short thank-you text confirming the next step", {}
        else:  # no number to text: thank them where they can be reached
            how = _thanks_words(contact)
            action = f"no phone number to text: thank them {how}, confirming the next step"
            channel = {"channel": thanks_channel(contact).value}
        yield _item(
            Kind.AFTER_CALL_TEXT,
            ctx,
            state.call_since,
            age,
            reason,
            action,
            due_days=age,
            **channel,
        )
    if state.text_run and state.text_run_last is not None and state.text_run_first is not None:
        last_age = clock.age(state.text_run_last)
        if last_age < settings.unanswered_text_days:
            return
        due_days = last_age - settings.unanswered_text_days
        if state.text_run >= settings.step_back_run:
            if state.text_run_switched_at is not None:
                return  # the rep switched channel, as step_back advised

            age = clock.age(state.text_run_first)
            yield _item(
                Kind.STEP_BACK,
                ctx,
                state.text_run_first,
                age,
                f"{state.text_run} texts in a row unanswered, the first {_ago(age)}",
                "stop texting: switch channel or let it rest",
                state.last_text_out,
                due_days,
                run=state.text_run,
            )
        else:
            yield _item(
                Kind.UNANSWERED_TEXT,
                ctx,
                state.text_run_last,
                last_age,
                f"texted {_ago(last_age)}, no reply yet",
                "send one short nudge, or try another channel",
                state.last_text_out,
                due_days,
            )


def _follow_up_item(ctx: _Ctx) -> ReviewItem | None:
    contact, state, clock = ctx.contact, ctx.state, ctx.clock
    due = contact.follow_up_on
    if due is None or due > clock.today:
        return None
    if contact.follow_up_set_at is not None and contact.follow_up_set_at > clock.as_of:
        return None
    last_out = state.last_outbound_at
    if last_out is not None and local_date(last_out, clock.tz) >= due:
        return None
    overdue = (clock.today - due).days
    reason = (
        "follow-up due today" if overdue == 0 else f"follow-up {days_in_words(overdue)} overdue"
    )
    action = contact.follow_up_reason or "follow up as planned"
    return _item(Kind.FOLLOW_UP_DUE, ctx, start_of_day(due, clock.tz), overdue, reason, action)


def _key_date_item(ctx: _Ctx, key_dates: Sequence[KeyDate]) -> ReviewItem | None:
    """The most recent key date that fell in the last ``key_date_days`` days with nothing
    sent since the day it fell (DOMAIN.md, "Key dates")."""
    if not key_dates:
        return None
    clock, last_out = ctx.clock, ctx.state.last_outbound_at
    sent_on = local_date(last_out, clock.tz) if last_out is not None else None
    for occasion in occasions(key_dates, clock.today, ctx.settings.key_date_days):
        if sent_on is not None and sent_on >= occasion.on:
            continue
        label = occasion.key_date.label
        extra = occasion_words(occasion)
        when = "yesterday" if occasion.age == 1 else _ago(occasion.age)
        reason = f"{label} {when}" + (f" ({extra})" if extra else "") + "; nothing sent since"
        can_text = _can_text(ctx.contact, clock)
        if label == BIRTHDAY:
            action = f"send a short, personal birthday {'text' if can_text else 'message'}"
        else:
            action = f"send a short note of congratulation on their {label}"
        channel = Channel.SMS if can_text else thanks_channel(ctx.contact)
        return _item(
            Kind.KEY_DATE,
            ctx,
            start_of_day(occasion.on, clock.tz),
            occasion.age,
            reason,
            action,
            label=label,
            on=occasion.on.isoformat(),
            channel=channel.value,
        )
    return None


def _no_reply_item(ctx: _Ctx) -> ReviewItem | None:
    contact, state, clock, settings = ctx.contact, ctx.state, ctx.clock, ctx.settings
    if state.no_reply_since is None:
        return None
    age = clock.age(state.no_reply_since)
    if age < settings.no_reply_days:
        return None
    what = _NO_REPLY_WORDS.get(state.no_reply_channel or "", "LinkedIn message")
    nudge = (
        'send a short nudge by text ("did you see my email?")'
        if _can_text(contact, clock) and what == "email"
        else "send a short nudge by text"
        if _can_text(contact, clock)
        else "send a short nudge"
    )
    return _item(
        Kind.NO_REPLY,
        ctx,
        state.no_reply_since,
        age,
        f"{what} sent {_ago(age)}, no reply",
        nudge,
        due_days=age - settings.no_reply_days,
        channel=state.no_reply_channel,
    )


def _keep_in_touch_item(ctx: _Ctx) -> ReviewItem | None:
    contact, state, clock = ctx.contact, ctx.state, ctx.clock
    cadence = contact.keep_in_touch_days
    since = state.last_touch_at or contact.created_at
    if not cadence or since is None:
        return None
    age = clock.age(since)
    if age <= cadence:
        return None
    last = f"last touch {_ago(age)}" if state.last_touch_at else f"added {_ago(age)}, no touch yet"
    return _item(
        Kind.KEEP_IN_TOUCH,
        ctx,
        since,
        age,
        f"{last}; you keep in touch every {days_in_words(cadence)}",
        "a light touch: comment on a post, share an article, say hello",
    )


def items_for(
    contact: Contact,
    state: ContactState,
    clock: Clock,
    settings: Settings,
    snoozes: Snoozes | None = None,
    key_dates: Sequence[KeyDate] = (),
) -> list[ReviewItem]:
    """Every item due for one contact as of ``clock.as_of``, snoozed ones removed
    (``key_dates``: the contact's, or at least those near the day)."""
    ctx = _Ctx(contact, state, clock, settings)
    found: list[ReviewItem] = [*_invitation_items(ctx), *_text_items(ctx)]
    maybes = (_follow_up_item(ctx), _key_date_item(ctx, key_dates), _no_reply_item(ctx))
    for maybe in (*maybes, _keep_in_touch_item(ctx)):
        if maybe is not None:
            found.append(maybe)
    if state.meeting_scheduled_at is not None:
        found = [item for item in found if item.kind not in HELD_BY_MEETING]
    if snoozes:
        today = clock.today
        found = [
            item
            for item in found
            if not ((until := snoozes.get((contact.id, item.kind))) and today < until)
        ]
    return found


def sort_key(item: ReviewItem) -> tuple[int, datetime, int]:
    """Kind in the table's order, then oldest ``since`` first, then contact id."""
    return (item.kind.rank, item.since, item.contact_id)


def full_sort_key(item: ReviewItem) -> tuple[int, bool, datetime, int]:
    """The review's order with the lapsed items too: within a kind, the day's items
    first, then the lapsed ones (each part oldest first)."""
    return (item.kind.rank, item.lapsed, item.since, item.contact_id)


class Review(NamedTuple):
    """The review as of one moment: the day's queue, and the lapsed items kept apart,
    each in review order."""

    queue: list[ReviewItem]
    lapsed: list[ReviewItem]

    def everything(self) -> list[ReviewItem]:
        """Every item due, lapsed ones included (``full_sort_key`` order)."""
        return sorted(self.queue + self.lapsed, key=full_sort_key)


def build_review(
    entries: Iterable[tuple[Contact, ContactState]],
    clock: Clock,
    settings: Settings,
    snoozes: Snoozes | None = None,
    key_dates: Mapping[int, Sequence[KeyDate]] | None = None,
) -> Review:
    """The review for ``entries`` as of ``clock``: the day's queue and the lapsed items
    (``key_dates`` by contact id: at least every key date near the day)."""
    queue: list[ReviewItem] = []
    lapsed: list[ReviewItem] = []
    near = key_dates or {}
    for contact, state in entries:
        found = items_for(contact, state, clock, settings, snoozes, near.get(contact.id, ()))
        for item in found:
            (lapsed if item.lapsed else queue).append(item)
    queue.sort(key=sort_key)
    lapsed.sort(key=sort_key)
    return Review(queue, lapsed)


def build_queue(
    entries: Iterable[tuple[Contact, ContactState]],
    clock: Clock,
    settings: Settings,
    snoozes: Snoozes | None = None,
    key_dates: Mapping[int, Sequence[KeyDate]] | None = None,
) -> list[ReviewItem]:
    """The day's queue for ``entries`` as of ``clock``, in review order (lapsed items
    left out: ``build_review`` keeps them)."""
    return build_review(entries, clock, settings, snoozes, key_dates).queue


def explain(item: ReviewItem) -> str:
    """The one-line explanation: why it is here, then what to do."""
    return f"{item.reason}; {item.action}"
