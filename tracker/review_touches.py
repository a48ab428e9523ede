"""The review rules for what was sent and is waiting on the other side (DOMAIN.md):
invitations (``stale_invite``, ``resend_invite``, ``thank_new_connection``), calls and
texts (``after_call_text``, ``unanswered_text``, ``step_back``) and messages with no reply
(``no_reply``).

Each rule is a pure function of one contact's ``Ctx`` that adds its items there
(``review.items_for`` runs it only when the contact's summary holds what it starts
from). The enum members a rule names are bound to module globals once: an enum's class
attribute costs more than a module global, thousands of times a review.
"""

from __future__ import annotations

from datetime import datetime

from tracker.models import Channel, InviteStatus, Kind
from tracker.review_items import (
    Ctx,
    add_item,
    days_ago,
    may_text,
    said,
    thanks_channel,
    thanks_words,
)

_NO_REPLY_WORDS = {Channel.EMAIL.value: "email", Channel.WHATSAPP.value: "WhatsApp message"}
"""What a ``no_reply`` item waits on, in its reason (otherwise a LinkedIn message)."""

_THANK, _AFTER_CALL = Kind.THANK_NEW_CONNECTION, Kind.AFTER_CALL_TEXT
_NO_REPLY, _UNANSWERED, _STEP_BACK = Kind.NO_REPLY, Kind.UNANSWERED_TEXT, Kind.STEP_BACK
_STALE, _RESEND = Kind.STALE_INVITE, Kind.RESEND_INVITE
_PENDING, _WITHDRAWN = InviteStatus.PENDING.value, InviteStatus.WITHDRAWN.value


def invitation_items(ctx: Ctx) -> None:
    contact, state, clock, settings = ctx.contact, ctx.state, ctx.clock, ctx.settings
    status = state.invite_status
    if status == _PENDING and state.invite_sent_at is not None:
        age = clock.age(state.invite_sent_at)
        if age >= settings.stale_invite_days:
            note = "with a note" if state.invite_has_note else "without a note"
            elsewhere = "by email" if contact.email else "by text" if contact.phone else "elsewhere"
            add_item(
                _STALE,
                ctx,
                state.invite_sent_at,
                age,
                said("invited {} {}, still pending", days_ago(age), note),
                said("withdraw it (and maybe resend later), or follow up {}", elsewhere),
                has_note=state.invite_has_note,
                overdue=age >= settings.invite_overdue_days,
            )
    if status == _WITHDRAWN and state.invite_status_at is not None:
        age = clock.age(state.invite_status_at)
        if age >= settings.resend_invite_days:
            ago = days_ago(age)
            add_item(
                _RESEND,
                ctx,
                state.invite_status_at,
                age,
                said("invitation withdrawn {}; LinkedIn's re-invite lockout has passed", ago),
                "resend the invitation, perhaps without a note, and record which",
                due_days=age - settings.resend_invite_days,
                had_note=state.invite_has_note,
            )
    if state.thank_since is not None:
        age = clock.age(state.thank_since)
        if 0 <= age < settings.thank_window_days:
            add_item(
                _THANK,
                ctx,
                state.thank_since,
                age,
                said("accepted your invitation {}; nothing sent since", days_ago(age)),
                "thank them for accepting, and add something of value",
                due_days=age,
            )


def text_items(ctx: Ctx) -> None:
    contact, state, clock, settings = ctx.contact, ctx.state, ctx.clock, ctx.settings
    if contact.opted_out(clock.as_of):
        return
    if state.call_since is not None:
        age = clock.age(state.call_since)
        reason = said("spoke on the phone {}; no text or message since", days_ago(age))
        if contact.phone:
            action, channel = "send a short thank-you text confirming the next step", {}
        else:  # no number to text: thank them where they can be reached
            how = thanks_words(contact)
            action = f"no phone number to text: thank them {how}, confirming the next step"
            channel = {"channel": thanks_channel(contact).value}
        add_item(
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
            add_item(
                _STEP_BACK,
                ctx,
                state.text_run_first,
                age,
                said("{} texts in a row unanswered, the first {}", state.text_run, days_ago(age)),
                "stop texting: switch channel or let it rest",
                state.last_text_out,
                due_days,
                run=state.text_run,
            )
        else:
            add_item(
                _UNANSWERED,
                ctx,
                state.text_run_last,
                last_age,
                said("texted {}, no reply yet", days_ago(last_age)),
                "send one short nudge, or try another channel",
                state.last_text_out,
                due_days,
            )


def no_reply_item(ctx: Ctx, since: datetime) -> None:
    contact, state, clock, settings = ctx.contact, ctx.state, ctx.clock, ctx.settings
    age = clock.age(since)
    if age < settings.no_reply_days:
        return
    what = _NO_REPLY_WORDS.get(state.no_reply_channel or "", "LinkedIn message")
    can_text = may_text(contact, clock)
    nudge = (
        'send a short nudge by text ("did you see my email?")'
        if can_text and what == "email"
        else "send a short nudge by text"
        if can_text
        else "send a short nudge"
    )
    add_item(
        _NO_REPLY,
        ctx,
        since,
        age,
        said("{} sent {}, no reply", what, days_ago(age)),
        nudge,
        due_days=age - settings.no_reply_days,
        channel=state.no_reply_channel,
    )
