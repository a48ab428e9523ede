"""A suggested message for each kind of review item, for the "copy" action.

Short, first-name greetings, one clear ask each (DOMAIN.md, "Guardrails"). The user's own
name (setting ``my_name``) introduces texts; ``step_back`` suggests an email instead of
another text, and a re-invitation suggests a short note (or none at all).
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.identity import split_name
from tracker.models import Kind, ReviewItem


@dataclass(frozen=True)
class Suggestion:
    channel: str
    text: str


def _intro(my_name: str) -> str:
    return f"it's {my_name}. " if my_name else ""


def suggest(item: ReviewItem, my_name: str = "") -> Suggestion:
    """The message to start from for ``item``."""
    first = split_name(item.contact)[0] or "there"
    company = item.company or "your team"
    intro = _intro(my_name.strip())
    sign = f"\n{my_name.strip()}" if my_name.strip() else ""
    kind = item.kind
    if kind is Kind.THANK_NEW_CONNECTION:
        return Suggestion(
            "LinkedIn message",
            f"Thanks for connecting, {first}! I put together a short checklist on what "
            f"teams like {company} track in their first month. Want me to send it over?",
        )
    if kind is Kind.AFTER_CALL_TEXT:
        return Suggestion(
            "text",
            f"Hi {first}, {intro}thanks for the call today. I'll send the details we "
            "discussed. Does the same time next week work to pick it up?",
        )
    if kind is Kind.FOLLOW_UP_DUE:
        plan = item.action if item.action != "follow up as planned" else "where we left off"
        return Suggestion(
            "message",
            f"Hi {first}, following up as promised: {plan}. Is this still a good time "
            "to pick it up?",
        )
    if kind is Kind.NO_REPLY:
        return Suggestion(
            "text" if "by text" in item.action else "message",
            f"Hi {first}, {intro}did you see my note from last week? Happy to send a "
            "shorter version if that's easier. Worth a quick look?",
        )
    if kind is Kind.UNANSWERED_TEXT:
        return Suggestion(
            "text",
            f"Hi {first}, just bumping this in case it got buried. Would a quick call "
            "this week be easier?",
        )
    if kind is Kind.STEP_BACK:
        return Suggestion(
            "email (not another text)",
            f"Hi {first},\n\nI've sent a couple of texts and don't want to crowd your "
            "phone, so I'll leave it here. If it's still a priority, reply whenever "
            f"suits you. Is it worth picking up next quarter?{sign}",
        )
    if kind is Kind.STALE_INVITE:
        return Suggestion(
            "email",
            f"Hi {first},\n\nI sent you a LinkedIn invitation a little while back and "
            f"thought I'd reach out directly instead. Would a 15-minute call to compare "
            f"notes on what {company} is working on be useful?{sign}",
        )
    if kind is Kind.RESEND_INVITE:
        return Suggestion(
            "LinkedIn note (or send no note at all)",
            f"Hi {first}, I'm still following the work at {company} and would be glad to "
            "connect and trade notes now and then.",
        )
    return Suggestion(
        "message",
        f"Hi {first}, it's been a while! I came across something that made me think of "
        f"you. How are things at {company}?",
    )
