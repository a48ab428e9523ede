"""LinkedIn account health: how close the rep is to what LinkedIn restricts accounts for
(too many invitations a week, too many notes a month on a free account, too many
pending, too few accepted), and which pending invitations to withdraw.

Pure functions of the invitations (as the store reads them), a clock and the settings
(``[linkedin]``): the same rows and the same "as of" give the same figures. Days are
local calendar days: "the last 7 days" is today and the 6 days before it, whatever the
hour; "this month" is the local calendar month.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from tracker.config import Settings
from tracker.stats import Tally
from tracker.timeutil import Clock, from_stored, local_date

if TYPE_CHECKING:  # the coach loads with its first check, not with Today's top line
    from tracker.coach.findings import Finding

WEEK_DAYS = 7
"""The rolling window of the weekly limit, in local days (today included)."""
ACCEPTANCE_DAYS = 30
"""The window acceptance is judged over (``acceptance_30d``), by the day sent."""
HEALTH_KEYS = (
    "sent_7d",
    "weekly_invite_limit",
    "notes_month",
    "monthly_note_limit",
    "pending",
    "pending_ceiling",
    "oldest_pending_days",
    "acceptance_30d",
    "sent_30d",
    "withdraw_older_than_days",
    "withdraw_count",
    "warnings",
)
"""The keys of ``outreach health --format json``, in order."""


@dataclass(frozen=True)
class SentInvitation:
    """An invitation the rep sent, as it stood at the clock."""

    sent: datetime
    status: str
    changed: datetime | None
    has_note: bool


@dataclass(frozen=True)
class HealthWarning:
    """One warning: ``code`` names the setting it is about, ``message`` says it in full,
    ``short`` in a few words (for Today's top line)."""

    code: str
    message: str
    short: str

    def record(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


def invitations_as_of(rows: Iterable[Sequence[Any]], as_of: datetime) -> list[SentInvitation]:
    """``(at, status, status_at, has_note)`` rows as they stood at ``as_of``: sent by then,
    and a status that changed later still pending."""
    found = []
    for at_text, status, status_at, has_note in rows:
        sent = _stored(at_text)
        if sent is None or sent > as_of:
            continue
        changed = _stored(status_at)
        if changed is not None and changed > as_of:
            status, changed = "pending", None
        found.append(SentInvitation(sent, status or "pending", changed, bool(has_note)))
    return found


def _stored(text: str | None) -> datetime | None:
    """``from_stored``, fast for the store's own ``...THH:MM:SSZ`` text."""
    if not text:
        return None
    if len(text) == 20 and text[19] == "Z" and text[10] == "T":
        return datetime.fromisoformat(text)
    return from_stored(text)


def _days(invites: Iterable[SentInvitation], tz: tzinfo, notes: bool = False) -> list[date]:
    return [local_date(i.sent, tz) for i in invites if i.has_note or not notes]


def in_window(days: Iterable[date], today: date, length: int = WEEK_DAYS) -> int:
    """How many of ``days`` fall in the ``length`` days ending ``today``."""
    first = today - timedelta(days=length - 1)
    return sum(first <= day <= today for day in days)


def in_month(days: Iterable[date], today: date) -> int:
    """How many of ``days`` fall in ``today``'s calendar month, up to today."""
    return sum(day.year == today.year and day.month == today.month and day <= today for day in days)


def days_until_week_room(days: Sequence[date], today: date, limit: int, adding: int = 1) -> int:
    """Days from ``today`` until ``adding`` more invitations fit in the rolling week under
    ``limit`` (0: they fit today), as the oldest of ``days`` leave the window."""
    for ahead in range(WEEK_DAYS + 1):
        day = today + timedelta(days=ahead)
        if in_window((d for d in days if d <= today), day) + adding <= limit:
            return ahead
    return WEEK_DAYS


def next_month(today: date) -> date:
    """The first day of the month after ``today``'s."""
    return date(today.year + today.month // 12, today.month % 12 + 1, 1)


def _room(days: int, when: date | None = None) -> str:
    if days <= 0:
        return "room again now"
    return f"room again in {days} day{'s' * (days != 1)}" + (
        f" ({when:%b} {when.day})" if when else ""
    )


def invite_warnings(
    invites: Sequence[SentInvitation], at: datetime, has_note: bool, settings: Settings, tz: tzinfo
) -> list[HealthWarning]:
    """Why one more invitation sent at ``at`` (with a note when ``has_note``) would pass
    the weekly invitation limit or the monthly note limit, and when there is room again;
    empty when it would not. ``invites``: the others sent around then."""
    found: list[HealthWarning] = []
    day = local_date(at, tz)
    others = [i for i in invites if local_date(i.sent, tz) <= day]
    limit = settings.weekly_invite_limit
    sent_days = _days(others, tz)
    count = in_window(sent_days, day) + 1
    if limit and count > limit:
        wait = days_until_week_room(sent_days, day, limit)
        found.append(
            HealthWarning(
                "weekly_invite_limit",
                f"this is invitation {count:,} in 7 days, over your weekly limit of {limit:,} "
                f"([linkedin] weekly_invite_limit): {_room(wait)}",
                f"invitation {count:,} of {limit:,} this week",
            )
        )
    notes = settings.monthly_note_limit
    if has_note and notes:
        note_count = in_month(_days(others, tz, notes=True), day) + 1
        if note_count > notes:
            first = next_month(day)
            found.append(
                HealthWarning(
                    "monthly_note_limit",
                    f"this is note {note_count} this month, over your monthly limit of {notes} "
                    f"([linkedin] monthly_note_limit): {_room((first - day).days, first)}; "
                    "an invitation without a note is not counted",
                    f"note {note_count} of {notes} this month",
                )
            )
    return found


def acceptance_ages(invites: Iterable[SentInvitation], tz: tzinfo) -> list[int]:
    """Local days from sending to accepting, for every invitation accepted, in order."""
    return sorted(
        (local_date(i.changed, tz) - local_date(i.sent, tz)).days
        for i in invites
        if i.status == "accepted" and i.changed is not None
    )


def withdraw_after(ages: Sequence[int], settings: Settings) -> int:
    """The age by which nine in ten of the rep's own acceptances came (the nearest rank),
    or ``stale_invite_days`` while there are fewer than ``min_sample`` of them."""
    if len(ages) < max(settings.min_sample, 1):
        return settings.stale_invite_days
    ordered = sorted(ages)
    return ordered[max(0, -(-len(ordered) * 9 // 10) - 1)]


def _share(count: int, limit: int, settings: Settings) -> bool:
    return bool(limit) and count * 100 >= limit * settings.warn_at_percent


@dataclass(frozen=True)
class HealthReport:
    """Account health as of one moment: the figures (``HEALTH_KEYS`` but ``warnings``),
    the warnings, and how many of the rep's own acceptances the withdraw age comes from
    (0: too few, so it is ``stale_invite_days``)."""

    figures: dict[str, Any]
    warnings: tuple[HealthWarning, ...]
    acceptances: int

    def record(self) -> dict[str, Any]:
        """What ``outreach health --format json`` prints: exactly ``HEALTH_KEYS``."""
        found = {**self.figures, "warnings": [w.record() for w in self.warnings]}
        return {key: found[key] for key in HEALTH_KEYS}


def assess(
    invites: Sequence[SentInvitation],
    clock: Clock,
    settings: Settings,
    withdrawable: Callable[[int], int] | None = None,
    ages: Sequence[int] | None = None,
) -> HealthReport:
    """Every figure of ``outreach health`` as of ``clock``, and the warnings: at
    ``warn_at_percent`` of a limit or past it, and acceptance below ``min_acceptance``
    once ``min_acceptance_decided`` invitations are decided. ``withdrawable(days)``: how
    many invitations ``withdraw --older-than days`` would withdraw (the contacts whose
    latest invitation is pending and older), the ``withdraw_count``; without it (the top
    line, which shows only the warnings) the count is ``None``. ``ages``: the days to
    accept of every acceptance as of the clock, in order (``acceptance_ages`` of
    ``invites`` when not given)."""
    tz, today = clock.tz, clock.today
    sent_days = _days(invites, tz)
    sent_7d = in_window(sent_days, today)
    notes_month = in_month(_days(invites, tz, notes=True), today)
    pending_ages = sorted(clock.age(i.sent) for i in invites if i.status == "pending")
    tally = Tally()
    for invite in invites:
        age = clock.age(invite.sent)
        if age < ACCEPTANCE_DAYS:
            young = invite.status == "pending" and age < settings.stale_invite_days
            tally.add(invite.status, young)
    ages = acceptance_ages(invites, tz) if ages is None else list(ages)
    withdraw_days = withdraw_after(ages, settings)
    figures: dict[str, Any] = {
        "sent_7d": sent_7d,
        "weekly_invite_limit": settings.weekly_invite_limit,
        "notes_month": notes_month,
        "monthly_note_limit": settings.monthly_note_limit,
        "pending": len(pending_ages),
        "pending_ceiling": settings.pending_ceiling,
        "oldest_pending_days": pending_ages[-1] if pending_ages else None,
        "acceptance_30d": tally.as_dict(settings.min_sample),
        "sent_30d": tally.sent,
        "withdraw_older_than_days": withdraw_days,
        "withdraw_count": withdrawable(withdraw_days) if withdrawable else None,
    }
    own = len(ages) if len(ages) >= max(settings.min_sample, 1) else 0
    return HealthReport(figures, tuple(warnings(figures, sent_days, today, settings)), own)


def warnings(
    figures: dict[str, Any], sent_days: Sequence[date], today: date, settings: Settings
) -> list[HealthWarning]:
    """The warnings ``figures`` call for (``health``)."""
    found: list[HealthWarning] = []
    sent, limit = figures["sent_7d"], settings.weekly_invite_limit
    if _share(sent, limit, settings):
        wait = days_until_week_room(sent_days, today, limit)
        over = "at" if sent == limit else "over" if sent > limit else "near"
        found.append(
            HealthWarning(
                "weekly_invite_limit",
                f"{sent:,} invitations in the last 7 days: {over} your weekly limit of {limit:,}"
                + (f"; {_room(wait)}" if sent >= limit else ""),
                f"{sent:,}/{limit:,} invitations this week",
            )
        )
    notes, note_limit = figures["notes_month"], settings.monthly_note_limit
    if _share(notes, note_limit, settings):
        first = next_month(today)
        over = "at" if notes == note_limit else "over" if notes > note_limit else "near"
        found.append(
            HealthWarning(
                "monthly_note_limit",
                f"{notes:,} notes this month: {over} your monthly limit of {note_limit:,}"
                + (f"; {_room((first - today).days, first)}" if notes >= note_limit else ""),
                f"{notes:,}/{note_limit:,} notes this month",
            )
        )
    pending, ceiling = figures["pending"], settings.pending_ceiling
    if _share(pending, ceiling, settings):
        found.append(
            HealthWarning(
                "pending_ceiling",
                f"{pending:,} invitations pending (ceiling {ceiling:,}): withdraw the oldest "
                f"(outreach withdraw --older-than {figures['withdraw_older_than_days']})",
                f"{pending:,}/{ceiling:,} pending",
            )
        )
    accepted = figures["acceptance_30d"]
    rate = accepted["rate"]
    judged = accepted["decided"] >= settings.min_acceptance_decided
    if judged and rate is not None and rate < settings.min_acceptance:
        found.append(
            HealthWarning(
                "min_acceptance",
                f"{rate:.0%} of {accepted['decided']} invitations decided in the last 30 "
                f"days were accepted, below {settings.min_acceptance:.0%}: send fewer, "
                "to people who know you",
                f"acceptance {rate:.0%}",
            )
        )
    return found


def limit_findings(found: Iterable[tuple[str, str]], has_note: bool = True) -> list[Finding]:
    """Limit warnings, ``(code, message)``, as the coach shows them (warnings, never
    blocks); a note limit only when the invitation carries a note."""
    from tracker.coach.findings import Finding, Severity

    return [
        Finding(Severity.WARN, code, message)
        for code, message in found
        if has_note or code != "monthly_note_limit"
    ]


def withdraw_command(days: int) -> str:
    """The one command that records withdrawing the invitations older than ``days``."""
    return f"outreach withdraw --older-than {days}"
