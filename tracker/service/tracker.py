"""The tracker's operations, shared by the CLI, the app and the importers.

Each operation validates its input completely before it writes, so bad input changes
nothing, and applies the domain rules that span tables (an inbound STOP opts the contact
out; accepting needs a pending invitation). SQL stays in the store.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.config import Settings, load_settings
from tracker.errors import AmbiguousError, BlockedError, NotFoundError, UsageError
from tracker.identity import looks_like_phone, primary_first
from tracker.models import (
    DEFAULT_LABELS,
    Channel,
    Contact,
    KeyDate,
    Kind,
    Moment,
    Touch,
)
from tracker.service.admin import AdminMixin
from tracker.service.base import ServiceBase, open_store
from tracker.service.batch import BatchMixin
from tracker.service.day import DayMixin
from tracker.service.edits import EditsMixin
from tracker.service.health import HealthMixin
from tracker.service.insights import InsightsMixin
from tracker.service.key_dates import KeyDatesMixin
from tracker.service.merge import MergeMixin
from tracker.service.reads import ReadsMixin
from tracker.service.segments import SegmentsMixin
from tracker.service.sequences import SequencesMixin
from tracker.service.values import (
    LIST_FIELDS,
    validate_contact_fields,
    validate_identifiers,
)
from tracker.service.whatif import WhatIfMixin
from tracker.timeutil import local_tz, now_utc
from tracker.words import NAMED_CANDIDATES, candidates

if TYPE_CHECKING:  # the coach loads when first used, not with the store
    from tracker.coach.findings import CheckResult
    from tracker.coach.templates import Template
    from tracker.invitations import LinkedInStanding


COACHED_CHANNELS = (
    Channel.SMS,
    Channel.LINKEDIN_INVITE,
    Channel.LINKEDIN_MESSAGE,
    Channel.EMAIL,
    Channel.WHATSAPP,
)
"""The messages the coach checks before they are logged (calls and meetings are not
drafts)."""


class Tracker(
    AdminMixin,
    BatchMixin,
    DayMixin,
    EditsMixin,
    HealthMixin,
    InsightsMixin,
    KeyDatesMixin,
    MergeMixin,
    ReadsMixin,
    SegmentsMixin,
    SequencesMixin,
    WhatIfMixin,
    ServiceBase,
):
    """The one door: every read and write of the app, the CLI and the importers."""

    @classmethod
    def open(cls, db_path: Path | str, settings: Settings | None = None) -> Tracker:
        settings = settings or load_settings()
        store = open_store(db_path, region=settings.default_region)
        return cls(store, settings, local_tz(settings.timezone))

    def close(self) -> None:
        self.store.close()

    # -- contacts --------------------------------------------------------------------
    def resolve(self, ref: str) -> Contact:
        """The one contact ``ref`` names (see ``match``)."""
        return self.match(ref)[0]

    def match(self, ref: str) -> tuple[Contact, bool]:
        """The one contact ``ref`` names, and whether it named it exactly: by id, full
        name, a phone, an email or the LinkedIn URL; else (``False``) by first name or
        the start of the name, when that is one contact. ``AmbiguousError`` lists the
        candidates (with company and phone); ``NotFoundError`` names none."""
        found = self.store.find_contacts(ref, self.settings.default_region)
        if len(found) == 1:
            return found[0], True
        if found:
            raise AmbiguousError(f"{ref!r} matches {len(found)} contacts: {candidates(found)}")
        typed = ref.strip()
        if _may_be_a_name(typed):
            close = self.store.contacts_by_name_start(typed, NAMED_CANDIDATES + 1)
            if len(close) == 1:
                return close[0], False
            if close:
                many = "more than 10" if len(close) > NAMED_CANDIDATES else str(len(close))
                raise AmbiguousError(
                    f"{ref!r} matches {many} contacts by name: {candidates(close)}"
                )
        # Echo only what was typed: an error may be pasted anywhere, so the names of
        # the contacts that merely contain it are left for `outreach list` to show.
        near = self.store.count_names_containing(typed) if typed else 0
        hint = f"; {near} close by name: outreach list --search {typed!r}" if near else ""
        raise NotFoundError(f"unknown contact {ref!r}{hint}")

    def add_contact(
        self,
        raw: Mapping[str, Any],
        tags: tuple[str, ...] | list[str] = (),
        at: datetime | None = None,
        key_dates: Mapping[str, KeyDate | None] | None = None,
    ) -> Contact:
        """Add a contact from what a user typed (``phones``/``emails`` lists allowed),
        with its ``key_dates`` by label."""
        fields = validate_contact_fields(raw, self.settings.default_region)
        if not fields.get("name"):
            raise UsageError("a contact needs a name")
        from tracker.timeutil import to_stored

        identifiers = _identifier_sets(fields)
        with self.store.write():
            contact_id = self.store.add_contact(
                fields, tags, to_stored(at) if at else None, identifiers
            )
            if key_dates:
                self.store.set_key_dates(contact_id, key_dates)
        return self.store.get_contact(contact_id)

    def edit_contact(
        self,
        contact: Contact,
        raw: Mapping[str, Any],
        tags: list[str] | None = None,
        add: Mapping[str, Sequence[str]] | None = None,
        remove: Mapping[str, Sequence[str]] | None = None,
        key_dates: Mapping[str, KeyDate | None] | None = None,
    ) -> Contact:
        """Change the fields given: ``phone``/``email`` set the primary, ``phones``/
        ``emails`` replace the whole set; ``add``/``remove`` (by kind, ``phone`` or
        ``email``) add or remove some, keeping the primary unless it is removed;
        ``key_dates`` sets (or, ``None``, removes) the key date of each label given."""
        fields = validate_contact_fields(raw, self.settings.default_region)
        identifiers = _identifier_sets(fields)
        for kind in sorted({*(add or {}), *(remove or {})}):
            if kind in identifiers:
                raise UsageError(f"replace the {kind}s or add and remove some, not both")
            identifiers[kind] = self._changed_set(
                contact, kind, (add or {}).get(kind, ()), (remove or {}).get(kind, ())
            )
        with self.store.write():
            self.store.update_contact(contact.id, fields, tags, identifiers)
            if key_dates:
                self.store.set_key_dates(contact.id, key_dates)
        return self.store.get_contact(contact.id)

    def _changed_set(
        self, contact: Contact, kind: str, add: Sequence[str], remove: Sequence[str]
    ) -> list[tuple[str, str]]:
        region = self.settings.default_region
        current = [
            (i.value, i.label) for i in self.store.identifiers_of(contact.id) if i.kind == kind
        ]
        held = {value for value, _ in current}
        removing = {value for value, _ in validate_identifiers(remove, kind, region)}
        for value in sorted(removing - held):
            raise UsageError(f"{contact.name} has no {kind} {value}")
        kept = [item for item in current if item[0] not in removing]
        new = [item for item in validate_identifiers(add, kind, region) if item[0] not in held]
        if current and current[0][0] not in removing:
            return kept + new  # the primary stays
        return primary_first(kept + new)

    # -- consent, follow-ups, snoozes -----------------------------------------------
    def opt_in(self, contact: Contact, at: datetime | None = None) -> None:
        self.store.set_consent(contact.id, opt_in_at=at or now_utc())

    def opt_out(self, contact: Contact, at: datetime | None = None) -> None:
        self.store.set_consent(contact.id, opt_out_at=at or now_utc())

    def follow_up(
        self,
        contact: Contact,
        due_on: date,
        reason: str = "",
        at: datetime | None = None,
        force: bool = False,
    ) -> None:
        """Plan a follow-up on ``due_on``; a date more than ``follow_up_max_past_days``
        before ``at`` is a likely typo, refused (``UsageError``) unless ``force``."""
        at = at or now_utc()
        limit = self.settings.follow_up_max_past_days
        today = at.astimezone(self.tz).date()
        if not force and (today - due_on).days > limit:
            raise UsageError(
                f"follow-up date {due_on.isoformat()} is more than {limit} days ago "
                "(use --force to set it anyway)"
            )
        self.store.set_follow_up(contact.id, due_on, reason.strip(), at)

    def clear_follow_up(self, contact: Contact) -> bool:
        return self.store.clear_follow_up(contact.id)

    def snooze(self, contact: Contact, kind: Kind, until: date) -> None:
        self.store.snooze(contact.id, kind, until)

    # -- the message coach -----------------------------------------------------------
    def check(
        self, contact: Contact, channel: Channel, text: str, at: datetime | None = None
    ) -> CheckResult:
        """The guardrail findings for sending ``text`` to ``contact`` at ``at``; for an
        invitation, also a warning when it would pass a LinkedIn limit."""
        from tracker.coach.checks import check

        history = self.store.touches_for(contact.id)
        result = check(channel, contact, history, text, at or now_utc(), self.settings, self.tz)
        if channel is Channel.LINKEDIN_INVITE:
            from tracker.health import limit_findings

            found = self.invitation_limits(at, bool(text.strip()))
            result.findings.extend(limit_findings((w.code, w.message) for w in found))
        return result

    def invitation_refusal(
        self, contact: Contact, at: datetime | None = None, history: list[Touch] | None = None
    ) -> str:
        """Why LinkedIn would not have sent ``contact`` an invitation at ``at`` (now when
        ``None``): already connected, one pending, or a recent withdrawal. Empty: it would."""
        from tracker.invitations import invitation_refusal

        if history is None:
            history = self.store.touches_for(contact.id)
        return invitation_refusal(contact, history, at or now_utc(), self.settings, self.tz)

    def refusals(
        self, contact: Contact, channel: Channel, text: str, at: datetime | None = None
    ) -> list[str]:
        """Why recording this outbound message by hand would be refused: every block of
        the coach, LinkedIn's rules for an invitation (``tracker.invitations``) among them."""
        if channel not in COACHED_CHANNELS:
            return []
        result = self.check(contact, channel, text, at or now_utc())
        return [f.reason for f in result.findings if f.severity == "block"]

    def guard(
        self, contact: Contact, channel: Channel, text: str, at: datetime | None, force: bool
    ) -> None:
        """Raise ``BlockedError`` when this outbound message is refused (``refusals``)."""
        reasons = self.refusals(contact, channel, text, at)
        if reasons and not force:
            raise BlockedError(f"refused: {'; '.join(reasons)} (use --force to record it anyway)")

    def linkedin_standing(
        self, contact: Contact, as_of: datetime | None = None
    ) -> LinkedInStanding:
        """Whether ``contact`` is connected on LinkedIn, and why an invitation could not
        go to them now (empty when it could), as of ``as_of`` (now)."""
        from tracker.invitations import connection_day, linkedin_standing

        history = self.store.touches_for(contact.id)
        at = as_of or now_utc()
        return linkedin_standing(history, at, self.settings, self.tz, connection_day(contact))

    def draft(
        self,
        contact: Contact,
        channel: Channel,
        template_name: str | None = None,
        moment: Moment | None = None,
        extra: Mapping[str, str] | None = None,
        as_of: datetime | None = None,
        strict: bool = False,
        kind: Kind | None = None,
    ) -> tuple[str, Template, list[str]]:
        """A draft from a template as of ``as_of`` (now): (text, template, fields left
        unfilled). The coach's choice is the first template that fits whose fields it can
        fill; with ``strict``, a draft that would leave a field unfilled raises
        ``UnfillableError`` (a ``UsageError`` naming the template and its fields)."""
        from tracker.coach.templates import (
            UnfillableError,
            best,
            candidates,
            known_fields,
            load_templates,
            render,
        )

        templates = load_templates()
        if template_name and template_name not in templates:
            names = ", ".join(sorted(templates))
            raise UsageError(f"unknown template {template_name!r} (choose from {names})")
        history = self.store.touches_for(contact.id)
        when = as_of or now_utc()
        values = known_fields(contact, self.settings, history, when, self.tz)
        values.update(self.occasion_fields(contact, when))
        values.update({k: v for k, v in (extra or {}).items() if v})
        if template_name:
            template = templates[template_name]
            if template.channel is not channel:
                raise UsageError(
                    f"template {template_name!r} is for {template.channel.value}, "
                    f"not {channel.value}"
                )
        else:
            hints = self.draft_hints(contact, channel, kind, when)
            template = best(candidates(templates, channel, contact, moment, hints), values)
        text, missing = render(template, values)
        if strict and missing:
            raise UnfillableError(template, missing)
        return text, template, missing

    def draft_hints(
        self,
        contact: Contact,
        channel: Channel,
        kind: Kind | None = None,
        as_of: datetime | None = None,
    ) -> tuple[str, ...]:
        """The templates the contact's situation calls for on ``channel``, best first
        (none: the coach chooses by moment and relationship); for the item ``kind`` (a
        key date's templates for a key date) as of ``as_of`` (now)."""
        occasion = self.occasion_hints(contact, channel, kind, as_of)
        if occasion:
            return occasion
        state = self.store.state_of(contact.id)
        if channel is Channel.SMS:
            if state.call_since is not None:
                return ("text-after-call", "text-after-call-short")
            return ("text-nudge",) if state.text_run else ("text-intro",)
        if channel is Channel.LINKEDIN_MESSAGE:
            if state.thank_since is not None:
                return ("message-thanks", "message-thanks-short")
            if state.call_since is not None:
                return ("message-after-call", "message-after-call-short")
            return ("message-nudge",)
        if channel is Channel.EMAIL and state.call_since is not None:
            return ("email-after-call", "email-after-call-short")
        if channel is Channel.WHATSAPP:
            if state.call_since is not None:
                return ("whatsapp-after-call", "whatsapp-after-call-short")
            return ("whatsapp-nudge",)
        return ()


def _identifier_sets(fields: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """Take the ``phones``/``emails`` lists out of validated ``fields``, by kind; a
    ``phone``/``email`` given beside its list leads it (the primary)."""
    sets = {}
    for key, kind in LIST_FIELDS.items():
        if key not in fields:
            continue
        items = fields.pop(key)
        single = fields.pop(kind, None)
        if single:
            label = next((lb for v, lb in items if v == single), DEFAULT_LABELS[kind])
            items = [(single, label), *[i for i in items if i[0] != single]]
        sets[kind] = items
    return sets


def _may_be_a_name(typed: str) -> bool:
    """Whether a reference that matched nothing exactly may be a first name or the start
    of a name (not a number, an email, a URL or a phone number, nor one letter)."""
    return (
        len(typed) >= 2
        and not typed.isdigit()
        and "@" not in typed
        and "linkedin.com" not in typed.lower()
        and not looks_like_phone(typed)
    )
