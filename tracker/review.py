"""The daily review: which items are due, why, and in what order (DOMAIN.md).

Pure functions of (contact, state, as_of, settings): the clock is always an argument, so
the same data and the same "as of" give the same items in the same order.

An item due for more than ``[review] horizon_days`` has *lapsed* (DOMAIN.md, "Lapsed
items"): each rule says how many days its item has been due, so telling a lapsed item
costs one comparison; ``build_review`` keeps the lapsed apart from the day's queue.
"""

from __future__ import annotations

import functools
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
)
from tracker.priority import score
from tracker.sequences.plan import Plan, step_item_words
from tracker.timeutil import Clock, days_in_words, local_date, start_of_day

Snoozes = Mapping[tuple[int, Kind], date]
Plans = Mapping[int, Plan]
"""Each contact's enrollment in a sequence (as of the review's moment), by contact id."""
HELD_BY_MEETING = frozenset(
    {Kind.NO_REPLY, Kind.UNANSWERED_TEXT, Kind.STEP_BACK, Kind.KEEP_IN_TOUCH}
)
"""Kinds a scheduled meeting holds back until it starts (DOMAIN.md, "Scheduled meetings")."""
HELD_BY_SEQUENCE = frozenset({Kind.NO_REPLY, Kind.UNANSWERED_TEXT, Kind.KEEP_IN_TOUCH})
"""Kinds a running sequence holds for its contact (DOMAIN.md, "Quiet while planned"), with
``stale_invite`` for the sequence's own invitation."""
_NO_REPLY_WORDS = {Channel.EMAIL.value: "email", Channel.WHATSAPP.value: "WhatsApp message"}
"""What a ``no_reply`` item waits on, in its reason (otherwise a LinkedIn message)."""

# The members the rules name, looked up once: an enum's class attribute costs more than
# a module global, thousands of times a review.
_THANK, _AFTER_CALL = Kind.THANK_NEW_CONNECTION, Kind.AFTER_CALL_TEXT
_FOLLOW_UP = Kind.FOLLOW_UP_DUE
_NO_REPLY, _UNANSWERED, _STEP_BACK = Kind.NO_REPLY, Kind.UNANSWERED_TEXT, Kind.STEP_BACK
_STALE, _RESEND, _KEEP = Kind.STALE_INVITE, Kind.RESEND_INVITE, Kind.KEEP_IN_TOUCH
_PENDING, _WITHDRAWN = InviteStatus.PENDING.value, InviteStatus.WITHDRAWN.value
_KEY_DATE, _SEQUENCE_STEP = Kind.KEY_DATE, Kind.SEQUENCE_STEP
_new = object.__new__
_new_ctx = tuple.__new__


@functools.cache  # a few dozen ages in a whole review, each worded once
def _ago(days: int) -> str:
    return "today" if days == 0 else f"{days_in_words(days)} ago"


_said = functools.cache(str.format)
"""``template.format(*words)``, each sentence made once: a review's thousands of items
say a few dozen things, and the same text object again is cheaper to make and to write."""


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
    """What every rule reads for one contact, and where its items go."""

    contact: Contact
    state: ContactState
    clock: Clock
    settings: Settings
    found: list[ReviewItem]


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
) -> None:
    """Add the item to ``ctx.found``. ``due_days``: how many days the item has been due
    (``None``: it never lapses). Filled without ``ReviewItem.__init__`` (its fields set
    one by one through the frozen ``__setattr__``), thousands of times a review."""
    contact = ctx.contact
    item = _new(ReviewItem)
    item.__dict__.update(
        kind=kind,
        contact_id=contact.id,
        contact=contact.name,
        company=contact.company,
        since=since,
        age_days=age,
        action=action,
        reason=reason,
        last_message=last_message,
        lapsed=due_days is not None and due_days > ctx.settings.horizon_days,
        details=details,
        priority=score(kind, age, contact, ctx.state, ctx.clock, ctx.settings),
    )
    ctx.found.append(item)


def _invitation_items(ctx: _Ctx) -> None:
    contact, state, clock, settings = ctx.contact, ctx.state, ctx.clock, ctx.settings
    status = state.invite_status
    if status == _PENDING and state.invite_sent_at is not None:
        age = clock.age(state.invite_sent_at)
        if age >= settings.stale_invite_days:
            note = "with a note" if state.invite_has_note else "without a note"
            elsewhere = "by email" if contact.email else "by text" if contact.phone else "elsewhere"
            _item(
                _STALE,
                ctx,
                state.invite_sent_at,
                age,
                _said("invited {} {}, still pending", _ago(age), note),
                _said("withdraw it (and maybe resend later), or follow up {}", elsewhere),
                has_note=state.invite_has_note,
                overdue=age >= settings.invite_overdue_days,
            )
    if status == _WITHDRAWN and state.invite_status_at is not None:
        age = clock.age(state.invite_status_at)
        if age >= settings.resend_invite_days:
            ago = _ago(age)
            _item(
                _RESEND,
                ctx,
                state.invite_status_at,
                age,
                _said("invitation withdrawn {}; LinkedIn's re-invite lockout has passed", ago),
                "resend the invitation, perhaps without a note, and record which",
                due_days=age - settings.resend_invite_days,
                had_note=state.invite_has_note,
            )
    if state.thank_since is not None:
        age = clock.age(state.thank_since)
        if 0 <= age < settings.thank_window_days:
            _item(
                _THANK,
                ctx,
                state.thank_since,
                age,
                _said("accepted your invitation {}; nothing sent since", _ago(age)),
                "thank them for accepting, and add something of value",
                due_days=age,
            )


def _text_items(ctx: _Ctx) -> None:
    contact, state, clock, settings = ctx.contact, ctx.state, ctx.clock, ctx.settings
    if contact.opted_out(clock.as_of):
        return
    if state.call_since is not None:
        age = clock.age(state.call_since)
        reason = _said("spoke on the phone {}; no text or message since", _ago(age))
        if contact.phone:
            action, channel = "send a short thank-you text confirming the next step", {}
        else:  # no number to text: thank them where they can be reached
            how = _thanks_words(contact)
            action = f"no phone number to text: thank them {how}, confirming the next step"
            channel = {"channel": thanks_channel(contact).value}
        _item(
            _AFTER_CALL,
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
            _item(
                _STEP_BACK,
                ctx,
                state.text_run_first,
                age,
                _said("{} texts in a row unanswered, the first {}", state.text_run, _ago(age)),
                "stop texting: switch channel or let it rest",
                state.last_text_out,
                due_days,
                run=state.text_run,
            )
        else:
            _item(
                _UNANSWERED,
                ctx,
                state.text_run_last,
                last_age,
                _said("texted {}, no reply yet", _ago(last_age)),
                "send one short nudge, or try another channel",
                state.last_text_out,
                due_days,
            )


def _follow_up_item(ctx: _Ctx, due: date) -> None:
    contact, state, clock = ctx.contact, ctx.state, ctx.clock
    if due > clock.today:
        return
    if contact.follow_up_set_at is not None and contact.follow_up_set_at > clock.as_of:
        return
    last_out = state.last_outbound_at
    if last_out is not None and local_date(last_out, clock.tz) >= due:
        return
    overdue = (clock.today - due).days
    reason = (
        "follow-up due today" if overdue == 0 else f"follow-up {days_in_words(overdue)} overdue"
    )
    action = contact.follow_up_reason or "follow up as planned"
    _item(_FOLLOW_UP, ctx, start_of_day(due, clock.tz), overdue, reason, action)


def _key_date_item(ctx: _Ctx, key_dates: Sequence[KeyDate]) -> None:
    """The most recent key date that fell in the last ``key_date_days`` days with nothing
    sent since the day it fell (DOMAIN.md, "Key dates")."""
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
        _item(
            _KEY_DATE,
            ctx,
            start_of_day(occasion.on, clock.tz),
            occasion.age,
            reason,
            action,
            label=label,
            on=occasion.on.isoformat(),
            channel=channel.value,
        )
        return


def _no_reply_item(ctx: _Ctx, since: datetime) -> None:
    contact, state, clock, settings = ctx.contact, ctx.state, ctx.clock, ctx.settings
    age = clock.age(since)
    if age < settings.no_reply_days:
        return
    what = _NO_REPLY_WORDS.get(state.no_reply_channel or "", "LinkedIn message")
    can_text = _can_text(contact, clock)
    nudge = (
        'send a short nudge by text ("did you see my email?")'
        if can_text and what == "email"
        else "send a short nudge by text"
        if can_text
        else "send a short nudge"
    )
    _item(
        _NO_REPLY,
        ctx,
        since,
        age,
        _said("{} sent {}, no reply", what, _ago(age)),
        nudge,
        due_days=age - settings.no_reply_days,
        channel=state.no_reply_channel,
    )


def _keep_in_touch_item(ctx: _Ctx, cadence: int) -> None:
    contact, state, clock = ctx.contact, ctx.state, ctx.clock
    since = state.last_touch_at or contact.created_at
    if since is None:
        return
    age = clock.age(since)
    if age <= cadence:
        return
    if state.last_touch_at:
        last = _said("last touch {}", _ago(age))
    else:
        last = _said("added {}, no touch yet", _ago(age))
    _item(
        _KEEP,
        ctx,
        since,
        age,
        _said("{}; you keep in touch every {}", last, days_in_words(cadence)),
        "a light touch: comment on a post, share an article, say hello",
    )


def _sequence_item(ctx: _Ctx, plan: Plan) -> None:
    """The step of the contact's sequence that is due (DOMAIN.md, "Sequences"): ``since``
    is its due day (the day ``max_per_day`` put it on), and it never lapses."""
    step = plan.due(ctx.clock.today)
    if step is None or step.slot_on is None:
        return
    overdue = (ctx.clock.today - step.slot_on).days
    reason, action = step_item_words(plan, step, overdue)
    _item(
        _SEQUENCE_STEP,
        ctx,
        start_of_day(step.slot_on, ctx.clock.tz),
        overdue,
        reason,
        action,
        sequence=plan.sequence,
        step=step.number,
        steps=plan.progress.total,
        title=step.title,
        channel=step.channel,
        template=plan.template(step),
        step_action=step.action,
        enrollment=plan.enrollment_id,
    )


def _held_by_sequence(item: ReviewItem, state: ContactState, plan: Plan) -> bool:
    if item.kind is _STALE:
        return state.invite_id is not None and state.invite_id in plan.progress.invitations
    return item.kind in HELD_BY_SEQUENCE


def items_for(
    contact: Contact,
    state: ContactState,
    clock: Clock,
    settings: Settings,
    snoozes: Snoozes | None = None,
    key_dates: Sequence[KeyDate] = (),
    plan: Plan | None = None,
) -> list[ReviewItem]:
    """Every item due for one contact as of ``clock.as_of``, snoozed ones removed
    (``key_dates``: the contact's, or at least those near the day; ``plan``: the
    contact's enrollment in a sequence, if any)."""
    found: list[ReviewItem] = []
    # A named tuple's own __new__ is Python code: the tuple is made directly.
    ctx = _new_ctx(_Ctx, (contact, state, clock, settings, found))
    # Each rule runs only when the summary holds what it starts from: most contacts
    # a review reads are due for one reason, and a call costs more than the test.
    if state.invite_status is not None or state.thank_since is not None:
        _invitation_items(ctx)
    if state.call_since is not None or state.text_run:
        _text_items(ctx)
    if contact.follow_up_on is not None:
        _follow_up_item(ctx, contact.follow_up_on)
    if key_dates:
        _key_date_item(ctx, key_dates)
    if state.no_reply_since is not None:
        _no_reply_item(ctx, state.no_reply_since)
    if contact.keep_in_touch_days:
        _keep_in_touch_item(ctx, contact.keep_in_touch_days)
    if plan is not None:
        _sequence_item(ctx, plan)
    if state.meeting_scheduled_at is not None:
        found = [item for item in found if item.kind not in HELD_BY_MEETING]
    if plan is not None and plan.live:
        found = [item for item in found if not _held_by_sequence(item, state, plan)]
    if snoozes:
        today = clock.today
        found = [
            item
            for item in found
            if not ((until := snoozes.get((contact.id, item.kind))) and today < until)
        ]
    return found


_RANK = {kind: kind.rank for kind in Kind}


def sort_key(item: ReviewItem) -> tuple[int, datetime, int]:
    """Kind in the table's order, then oldest ``since`` first, then contact id."""
    return (_RANK[item.kind], item.since, item.contact_id)


def full_sort_key(item: ReviewItem) -> tuple[int, bool, datetime, int]:
    """The review's order with the lapsed items too: within a kind, the day's items
    first, then the lapsed ones (each part oldest first)."""
    return (_RANK[item.kind], item.lapsed, item.since, item.contact_id)


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
    plans: Plans | None = None,
) -> Review:
    """The review for ``entries`` as of ``clock``: the day's queue and the lapsed items
    (``key_dates`` by contact id: at least every key date near the day; ``plans``: the
    contacts' enrollments in sequences)."""
    queue: list[ReviewItem] = []
    lapsed: list[ReviewItem] = []
    near = key_dates or {}
    plans = plans or {}
    for contact, state in entries:
        plan = plans.get(contact.id)
        dates = near.get(contact.id, ())
        for item in items_for(contact, state, clock, settings, snoozes, dates, plan):
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
    plans: Plans | None = None,
) -> list[ReviewItem]:
    """The day's queue for ``entries`` as of ``clock``, in review order (lapsed items
    left out: ``build_review`` keeps them)."""
    return build_review(entries, clock, settings, snoozes, key_dates, plans).queue


def explain(item: ReviewItem) -> str:
    """The one-line explanation: why it is here, then what to do."""
    return f"{item.reason}; {item.action}"
