"""The review rules for what falls due on a day (DOMAIN.md): a planned follow-up
(``follow_up_due``), a key date (``key_date``), the keep-in-touch cadence
(``keep_in_touch``) and a sequence's step (``sequence_step``).

Each rule is a pure function of one contact's ``Ctx`` that adds its items there
(``review.items_for`` runs it only when the contact holds what it starts from). The enum
members a rule names are bound to module globals once: an enum's class attribute costs
more than a module global, thousands of times a review.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from tracker.key_dates import occasion_words, occasions
from tracker.models import BIRTHDAY, Channel, KeyDate, Kind
from tracker.review_items import Ctx, add_item, days_ago, may_text, said, thanks_channel
from tracker.sequences.plan import Plan, step_item_words
from tracker.timeutil import days_in_words, local_date, start_of_day

_FOLLOW_UP, _KEEP = Kind.FOLLOW_UP_DUE, Kind.KEEP_IN_TOUCH
_KEY_DATE, _SEQUENCE_STEP = Kind.KEY_DATE, Kind.SEQUENCE_STEP


def follow_up_item(ctx: Ctx, due: date) -> None:
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
    add_item(_FOLLOW_UP, ctx, start_of_day(due, clock.tz), overdue, reason, action)


def key_date_item(ctx: Ctx, key_dates: Sequence[KeyDate]) -> None:
    """The most recent key date that fell in the last ``key_date_days`` days with nothing
    sent since the day it fell (DOMAIN.md, "Key dates")."""
    clock, last_out = ctx.clock, ctx.state.last_outbound_at
    sent_on = local_date(last_out, clock.tz) if last_out is not None else None
    for occasion in occasions(key_dates, clock.today, ctx.settings.key_date_days):
        if sent_on is not None and sent_on >= occasion.on:
            continue
        label = occasion.key_date.label
        extra = occasion_words(occasion)
        when = "yesterday" if occasion.age == 1 else days_ago(occasion.age)
        reason = f"{label} {when}" + (f" ({extra})" if extra else "") + "; nothing sent since"
        can_text = may_text(ctx.contact, clock)
        if label == BIRTHDAY:
            action = f"send a short, personal birthday {'text' if can_text else 'message'}"
        else:
            action = f"send a short note of congratulation on their {label}"
        channel = Channel.SMS if can_text else thanks_channel(ctx.contact)
        add_item(
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


def keep_in_touch_item(ctx: Ctx, cadence: int) -> None:
    contact, state, clock = ctx.contact, ctx.state, ctx.clock
    since = state.last_touch_at or contact.created_at
    if since is None:
        return
    age = clock.age(since)
    if age <= cadence:
        return
    if state.last_touch_at:
        last = said("last touch {}", days_ago(age))
    else:
        last = said("added {}, no touch yet", days_ago(age))
    add_item(
        _KEEP,
        ctx,
        since,
        age,
        said("{}; you keep in touch every {}", last, days_in_words(cadence)),
        "a light touch: comment on a post, share an article, say hello",
    )


def sequence_item(ctx: Ctx, plan: Plan) -> None:
    """The step of the contact's sequence that is due (DOMAIN.md, "Sequences"): ``since``
    is its due day (the day ``max_per_day`` put it on), and it never lapses."""
    step = plan.due(ctx.clock.today)
    if step is None or step.slot_on is None:
        return
    overdue = (ctx.clock.today - step.slot_on).days
    reason, action = step_item_words(plan, step, overdue)
    add_item(
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
