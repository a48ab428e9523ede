"""The reads the app's screens make beyond the review: a contact, their history and
summary, pages of the contacts list, every tag, the app's own settings (the theme), the
rows of an export, and the coach's suggestions for an item or a message being written.
Each is one call through the door, never a reach into the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast

from tracker.coach.channels import default_channel
from tracker.key_dates import sorted_key_dates
from tracker.models import (
    Channel,
    Contact,
    ContactRow,
    ContactState,
    Identifier,
    KeyDate,
    Kind,
    ReviewItem,
    Touch,
)
from tracker.review import items_for
from tracker.service.search import SearchMixin
from tracker.state import summarize
from tracker.timeutil import Clock

if TYPE_CHECKING:
    from tracker.coach.suggestions import ComposeContext, Suggestion
    from tracker.sequences.plan import Plan
    from tracker.service.tracker import Tracker

THEME_KEY = "app.theme"
"""The setting that holds the app's theme (dark or light) between runs."""


@dataclass(frozen=True)
class ContactDetail:
    """One contact as their page shows them: the history newest first, the summary, what
    is due for them now, their phones and emails (the primary first), and their
    enrollments in sequences (the latest, their plan, first)."""

    contact: Contact
    touches: tuple[Touch, ...]
    state: ContactState
    due: tuple[ReviewItem, ...]
    phones: tuple[Identifier, ...] = ()
    emails: tuple[Identifier, ...] = ()
    key_dates: tuple[KeyDate, ...] = ()
    plans: tuple[Plan, ...] = ()


class ReadsMixin(SearchMixin):
    """Contacts, their touches and summaries, tags, app settings, export rows, and the
    coach's suggestions."""

    @property
    def _tracker(self) -> Tracker:
        """This part as the whole ``Tracker`` it belongs to (the coach's operations)."""
        return cast("Tracker", self)

    def is_empty(self) -> bool:
        """Whether the database holds nothing yet (the app then welcomes the user)."""
        return self.store.is_empty()

    def contact(self, contact_id: int) -> Contact:
        """The contact with this id (``NotFoundError`` when there is none)."""
        return self.store.get_contact(contact_id)

    def touches(self, contact_id: int, newest_first: bool = False) -> list[Touch]:
        """Every touch with the contact, oldest first unless ``newest_first``."""
        return self.store.touches_for(contact_id, newest_first=newest_first)

    def contact_state(self, contact_id: int) -> ContactState:
        """The contact's history boiled down to what the review and the coach read."""
        return self.store.state_of(contact_id)

    def contact_detail(self, contact_id: int, clock: Clock) -> ContactDetail:
        """The contact, their touches newest first, their summary, and their items due
        as of ``clock`` (snoozed ones left out)."""
        contact = self.store.get_contact(contact_id)
        state = self.store.state_of(contact_id)
        snoozes = self.store.active_snoozes(clock.today)
        touches = tuple(self.store.touches_for(contact_id, newest_first=True))
        if state.last_event_at is not None and state.last_event_at > clock.as_of:
            # As the review sees it (a meeting ahead is scheduled, not a touch yet).
            state = summarize(contact_id, touches[::-1], clock.as_of)
        plans = tuple(self._tracker.contact_plans(contact_id, clock))
        plan = plans[0] if plans else None
        key_dates = sorted_key_dates(self.store.key_dates_of(contact_id))
        due = items_for(contact, state, clock, self.settings, snoozes, key_dates, plan)
        identifiers = self.store.identifiers_of(contact_id)
        return ContactDetail(
            contact,
            touches,
            state,
            tuple(due),
            tuple(i for i in identifiers if i.kind == "phone"),
            tuple(i for i in identifiers if i.kind == "email"),
            tuple(key_dates),
            plans,
        )

    def identifiers(self, contact_id: int) -> list[Identifier]:
        """The contact's phones then emails, each kind's primary first."""
        return self.store.identifiers_of(contact_id)

    def identifiers_for(self, contact_ids: Sequence[int]) -> dict[int, list[Identifier]]:
        """``identifiers`` of many contacts at once, by id (absent: none)."""
        return self.store.identifiers_for(contact_ids)

    def count_contacts(self, search: str = "", tag: str = "", segment: str = "") -> int:
        """How many contacts match ``search`` (at most ``LIST_LIMIT``: a search lists its
        best), ``tag`` and ``segment`` (each may be empty)."""
        if search.strip():
            from tracker.search import LIST_LIMIT

            return len(self.search_contacts(search, LIST_LIMIT, tag, segment))
        return self.store.count_contacts(tag, segment)

    def contacts_page(
        self,
        search: str,
        sort: str,
        descending: bool,
        offset: int,
        limit: int,
        tag: str = "",
        segment: str = "",
    ) -> list[ContactRow]:
        """One page of the contacts list matching ``search`` (and ``tag``, ``segment``
        when given), sorted by ``sort``; a search with no ``sort`` lists the best match
        first."""
        if search.strip():
            found = self.search_contacts(search, offset + limit, tag, segment, sort, descending)
            return [match.row for match in found[offset:]]
        return self.store.list_contacts(tag, segment, sort or "name", descending, limit, offset)

    def contact_position(
        self, contact_id: int, search: str, sort: str, descending: bool
    ) -> int | None:
        """Where ``contact_id`` is in ``contacts_page``'s list for the same search and
        sort (0: first), or ``None`` when that list does not hold it."""
        return self.store.contact_position(contact_id, search, "", "", sort, descending)

    def all_tags(self) -> list[str]:
        """Every tag in use, in order."""
        return self.store.all_tags()

    def data_version(self) -> int:
        """A number that changes when another program (the CLI, an import, a second app)
        writes to the database; this tracker's own writes leave it as it is."""
        return self.store.data_version()

    def theme(self) -> str | None:
        """The app theme the user chose last (``None`` until they choose one)."""
        return self.store.get_setting(THEME_KEY)

    def set_theme(self, name: str) -> None:
        self.store.set_setting(THEME_KEY, name)

    def export_rows(
        self, what: str, tag: str = "", segment: str = "", since: date | None = None
    ) -> tuple[tuple[str, ...], Iterable[Sequence[Any]]]:
        """(header, rows) of the ``contacts``, ``touches`` or ``invitations`` export,
        read a page at a time (the rows can write themselves as CSV, which
        ``write_csv`` uses). ``tag`` and ``segment`` keep those contacts' rows;
        ``since`` keeps what happened from that local day on (contacts: added or
        touched since)."""
        from tracker.models import Segment
        from tracker.service.values import choice
        from tracker.timeutil import start_of_day, to_stored

        if segment:
            segment = choice(Segment, segment, "segment")
        start = to_stored(start_of_day(since, self.tz)) if since else ""
        return self.store.export_rows(what, tag=tag.strip(), segment=segment, since=start)

    # -- the coach's suggestions -----------------------------------------------------
    def suggest(self, contact_id: int, kind: Kind, as_of: datetime) -> Suggestion:
        """The coach's draft for the queue item ``kind`` of ``contact_id``, checked as of
        ``as_of``: no text when the coach blocks it (a step-back contact gets no text, a
        connected one no connection note, a draft with a field it cannot fill is not
        offered as sendable)."""
        from tracker.coach.suggestions import Suggestion, blocked_reasons

        tracker = self._tracker
        if kind is Kind.SEQUENCE_STEP:
            return tracker.step_suggestion(contact_id, as_of)
        contact = self.store.get_contact(contact_id)
        state = self.store.state_of(contact_id)
        standing = tracker.linkedin_standing(contact, as_of)
        channel = default_channel(kind, contact, state, as_of, standing)
        before = tracker.check(contact, channel, "", as_of)  # what blocks any message
        if before.blocked:
            return Suggestion(channel, why_not=blocked_reasons(before))
        text, template, missing = tracker.draft(contact, channel, as_of=as_of, kind=kind)
        result = tracker.check(contact, channel, text, as_of)
        if result.blocked:
            return Suggestion(
                channel,
                template=template.name,
                missing=tuple(missing),
                why_not=blocked_reasons(result),
            )
        return Suggestion(channel, text, template.name, tuple(missing))

    def compose_context(
        self, contact_id: int, kind: Kind | None, as_of: datetime
    ) -> ComposeContext:
        """What the compose panel starts from for ``contact_id`` (and the item ``kind``):
        the contact, their history, the templates, the channels that fit (no connection
        note where LinkedIn would not take one) and the coach's choice per channel."""
        from tracker.coach.suggestions import COMPOSE_CHANNELS, ComposeContext
        from tracker.coach.templates import best, candidates, known_fields, load_templates
        from tracker.invitations import connection_day, linkedin_standing

        contact = self.store.get_contact(contact_id)
        state = self.store.state_of(contact_id)
        history = tuple(self.store.touches_for(contact_id))
        standing = linkedin_standing(
            history, as_of, self.settings, self.tz, connection_day(contact)
        )
        channel = default_channel(kind, contact, state, as_of, standing)
        if channel is Channel.LINKEDIN_INVITE and standing.why_no_invite:
            channel = default_channel(None, contact, state, as_of, standing)
        barred = {Channel.LINKEDIN_INVITE} if standing.why_no_invite else set()
        channels = tuple(c for c in COMPOSE_CHANNELS if c not in barred)
        templates = load_templates()
        values = known_fields(contact, self.settings, history, as_of, self.tz)
        values.update(self._tracker.occasion_fields(contact, as_of))

        def hints(channel: Channel) -> tuple[str, ...]:
            return self._tracker.draft_hints(contact, channel, kind, as_of)

        defaults = {
            c: best(candidates(templates, c, contact, None, hints(c)), values).name
            for c in channels
        }
        seq = kind is Kind.SEQUENCE_STEP
        step = self._tracker.due_step_draft(contact_id, as_of) if seq else None
        if step is not None and step[0] in channels:
            channel = step[0]  # the step's channel and template
            if step[1] in templates and templates[step[1]].channel is channel:
                defaults[channel] = step[1]
        limits: tuple[tuple[str, str], ...] = ()
        if Channel.LINKEDIN_INVITE in channels:
            found = self._tracker.invitation_limits(as_of, has_note=True)
            limits = tuple((w.code, w.message) for w in found)
        return ComposeContext(
            contact=contact,
            state=state,
            history=history,
            templates=templates,
            channel=channel,
            defaults=defaults,
            values=values,
            channels=channels,
            no_invite=standing.why_no_invite,
            invite_limits=limits,
        )
