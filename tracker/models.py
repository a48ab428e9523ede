"""The domain's nouns as enums and frozen dataclasses (DOMAIN.md, "Things").

Times are timezone-aware ``datetime`` in UTC; calendar dates are ``date``. The store turns
rows into these and back; nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

T = TypeVar("T")


class Channel(StrEnum):
    LINKEDIN_INVITE = "linkedin_invite"
    LINKEDIN_MESSAGE = "linkedin_message"
    SMS = "sms"
    CALL = "call"
    EMAIL = "email"
    MEETING = "meeting"
    WHATSAPP = "whatsapp"
    OTHER = "other"


class Direction(StrEnum):
    OUT = "out"
    IN = "in"


class InviteStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    IGNORED = "ignored"
    WITHDRAWN = "withdrawn"


class CallStatus(StrEnum):
    CONNECTED = "connected"
    NO_ANSWER = "no_answer"
    VOICEMAIL = "voicemail"


class Moment(StrEnum):
    BEFORE_EVENT = "before_event"
    AFTER_EVENT = "after_event"
    AFTER_CALL = "after_call"
    MEANINGFUL_INTERACTION = "meaningful_interaction"
    MUTUAL_CONNECTION = "mutual_connection"
    PROFILE_VIEW = "profile_view"
    COLD = "cold"


class Segment(StrEnum):
    DECISION_MAKER = "decision_maker"
    INFLUENCER = "influencer"
    CHAMPION = "champion"
    MIRROR = "mirror"
    OTHER = "other"


class Relationship(StrEnum):
    STRANGER = "stranger"
    MET_BRIEFLY = "met_briefly"
    INTRODUCED = "introduced"
    FORMER_COLLEAGUE = "former_colleague"
    FRIEND = "friend"


class Label(StrEnum):
    """What a phone number or email address is: the contact's mobile, work, home or other."""

    MOBILE = "mobile"
    WORK = "work"
    HOME = "home"
    OTHER = "other"


IDENTIFIER_KINDS = ("phone", "email")
"""The identifiers a contact may hold several of, each labelled, one primary."""
DEFAULT_LABELS = {"phone": Label.MOBILE.value, "email": Label.OTHER.value}
"""The label of a number or address given without one: a number is a mobile (the one
texts go to), an address is just an address."""


@dataclass(frozen=True)
class Identifier:
    """One of a contact's phone numbers (E.164) or email addresses, with its label."""

    kind: str
    value: str
    label: str
    primary: bool = False

    def record(self) -> dict[str, object]:
        """The identifier as JSON shows it: ``{"value", "label", "primary"}``."""
        return {"value": self.value, "label": self.label, "primary": self.primary}


class Kind(StrEnum):
    """Review item kinds, declared in the order the queue shows them."""

    THANK_NEW_CONNECTION = "thank_new_connection"
    AFTER_CALL_TEXT = "after_call_text"
    FOLLOW_UP_DUE = "follow_up_due"
    KEY_DATE = "key_date"
    SEQUENCE_STEP = "sequence_step"
    NO_REPLY = "no_reply"
    UNANSWERED_TEXT = "unanswered_text"
    STEP_BACK = "step_back"
    STALE_INVITE = "stale_invite"
    RESEND_INVITE = "resend_invite"
    KEEP_IN_TOUCH = "keep_in_touch"

    @property
    def rank(self) -> int:
        return _KIND_RANK[self]


_KIND_RANK = {kind: index for index, kind in enumerate(Kind)}


TEXT_KINDS = frozenset({Kind.AFTER_CALL_TEXT, Kind.UNANSWERED_TEXT, Kind.STEP_BACK})

STATUSES_BY_CHANNEL: dict[Channel, type[StrEnum]] = {
    Channel.LINKEDIN_INVITE: InviteStatus,
    Channel.CALL: CallStatus,
}


@dataclass(frozen=True)
class Contact:
    id: int
    name: str
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    title: str = ""
    phone: str = ""
    email: str = ""
    linkedin_url: str = ""
    linkedin_connected_on: date | None = None
    """The day LinkedIn's connections file says they connected (when an export said)."""
    segment: Segment | None = None
    relationship: Relationship | None = None
    tags: tuple[str, ...] = ()
    notes: str = ""
    keep_in_touch_days: int | None = None
    sms_opt_in_at: datetime | None = None
    sms_opt_out_at: datetime | None = None
    follow_up_on: date | None = None
    follow_up_reason: str = ""
    follow_up_set_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def opted_out(self, as_of: datetime | None = None) -> bool:
        """Whether texting is forbidden as of ``as_of`` (now when ``None``)."""
        out, back_in = self.sms_opt_out_at, self.sms_opt_in_at
        if out is None or (as_of is not None and out > as_of):
            return False
        return not (back_in is not None and back_in > out and (as_of is None or back_in <= as_of))


BIRTHDAY = "birthday"
"""The label of a contact's birthday among their key dates."""


@dataclass(frozen=True, order=True)
class KeyDate:
    """A date that comes round every year for a contact: a birthday (``BIRTHDAY``) or a
    labelled one ("renewal", "work anniversary"), with or without its year."""

    label: str
    month: int
    day: int
    year: int | None = None


_LINKEDIN_INVITE, _OUT = Channel.LINKEDIN_INVITE, Direction.OUT
"""Read once: a member looked up on its enum class costs more than the test it serves."""


@dataclass(frozen=True)
class Touch:
    id: int
    contact_id: int
    channel: Channel
    direction: Direction
    at: datetime
    text: str = ""
    status: str | None = None
    status_at: datetime | None = None
    has_note: bool | None = None
    moment: Moment | None = None
    is_group: bool = False
    source: str | None = None
    template: str | None = None

    @property
    def is_invitation(self) -> bool:
        return self.channel is _LINKEDIN_INVITE and self.direction is _OUT

    def status_as_of(self, as_of: datetime | None) -> str | None:
        """The status at ``as_of``: a later change has not happened yet."""
        if self.status is None or self.status_at is None or as_of is None:
            return self.status
        if self.status_at > as_of and self.is_invitation:
            return InviteStatus.PENDING.value
        return self.status


@dataclass(frozen=True)
class ContactState:
    """A contact's history boiled down to what the review needs (settings-free).

    The store keeps one of these per contact, refreshed in the same transaction as every
    write, so the review reads a small table instead of scanning touches.
    """

    contact_id: int
    last_event_at: datetime | None = None
    last_touch_at: datetime | None = None
    last_outbound_at: datetime | None = None
    last_inbound_at: datetime | None = None
    invite_id: int | None = None
    invite_sent_at: datetime | None = None
    invite_status: str | None = None
    invite_status_at: datetime | None = None
    invite_has_note: bool | None = None
    thank_since: datetime | None = None
    call_since: datetime | None = None
    no_reply_since: datetime | None = None
    no_reply_channel: str | None = None
    text_run: int = 0
    text_run_first: datetime | None = None
    text_run_last: datetime | None = None
    text_run_switched_at: datetime | None = None
    """The latest outbound touch on another channel after the run's last text (the rep
    switched channel, as ``step_back`` advises); ``None`` when there is none or no run."""
    last_text_out: str = ""
    last_message: str = ""
    last_message_out: bool = False
    meeting_scheduled_at: datetime | None = None
    """The start of the next meeting after the as-of moment (DOMAIN.md, "Scheduled
    meetings"); only a summary as of a moment has one (``AS_OF_STATE_FIELDS``)."""


AS_OF_STATE_FIELDS = ("meeting_scheduled_at",)
"""``ContactState`` fields only a summary as of a moment has: the stored summary covers the
whole history, so they are never stored (a contact with a meeting ahead has an event after
now, so the review always summarises it again as of its moment)."""
STORED_STATE_FIELDS = tuple(
    spec.name for spec in fields(ContactState) if spec.name not in AS_OF_STATE_FIELDS
)
"""The fields of a stored summary (``contact_state``'s columns, with its ``stale`` flag)."""


@dataclass(frozen=True)
class Priority:
    """A review item's score, built from named parts so the user can read why."""

    parts: tuple[tuple[str, int], ...] = ()

    @property
    def score(self) -> int:
        return sum(points for _, points in self.parts)

    def explain(self) -> str:
        shown = ", ".join(f"{name} {points:+d}" for name, points in self.parts if points)
        return f"{self.score} ({shown or 'no parts'})"


@dataclass(frozen=True)
class ReviewItem:
    kind: Kind
    contact_id: int
    contact: str
    company: str
    since: datetime
    age_days: int
    action: str
    reason: str
    last_message: str = ""
    lapsed: bool = False
    """Due for longer than ``[review] horizon_days``: counted apart from the day's queue."""
    details: dict[str, object] = field(default_factory=dict, compare=False)
    priority: Priority = field(default_factory=Priority, compare=False)


@dataclass(frozen=True)
class ContactRow:
    """One line of the contacts list: the contact plus what the list shows beside it."""

    id: int
    name: str
    company: str
    title: str
    segment: str
    tags: tuple[str, ...]
    phone: str
    email: str
    last_touch_at: datetime | None
    follow_up_on: date | None
    invite_status: str


CONTACT_FIELDS = (
    "name",
    "first_name",
    "last_name",
    "company",
    "title",
    "phone",
    "email",
    "linkedin_url",
    "segment",
    "relationship",
    "notes",
    "keep_in_touch_days",
)


"""A contact's fields a person edits (and an import fills), in the order forms show them."""
CONTACT_TEXT_FIELDS = tuple(
    spec.name
    for spec in fields(Contact)
    if spec.name in CONTACT_FIELDS and spec.name != "name" and spec.type == "str"
)
"""The plain text fields of a contact besides its name (stored NULL when empty): what an
import may fill when empty, and what the review reads as text."""

CONTACT_FILE_FIELDS = tuple(
    spec.name for spec in fields(Contact) if spec.name not in ("id", "updated_at")
)
"""Every field of a contact a contacts file carries, in the contacts export's order: what
our own export writes (between ``id`` and ``updated_at``), what the contacts import reads
back by header, and what ``--map COLUMN=FIELD`` can target."""

IDENTIFIER_LISTS = {"phone": "phones", "email": "emails"}
"""Each identifier kind and the name of its labelled list (``mobile:+1312...; work:...``)."""
KEY_DATES_FIELD = "key_dates"
"""A contacts file's column of key dates, ``birthday:1988-05-12; renewal:--03-01`` (a
date alone is a birthday)."""
CONTACT_MAP_FIELDS = (*CONTACT_FILE_FIELDS, *IDENTIFIER_LISTS.values(), KEY_DATES_FIELD)
"""What a contacts file's columns can be read as (``--map COLUMN=FIELD``)."""

CONTACT_SORTS = (
    "name",
    "company",
    "segment",
    "tags",
    "last_touch",
    "follow_up",
    "invitation",
    "id",
)
"""The orders the contacts list can be sorted in."""

TOUCH_COLUMNS = tuple(spec.name for spec in fields(Touch) if spec.name != "id")
"""A touch's stored columns (every field but the id), in the order rows are written."""


def dataclass_builder(cls: type[T]) -> Callable[[dict[str, Any]], T]:
    """A builder equal to ``cls(**values)`` for a frozen dataclass given every field, minus
    the cost of its generated ``__init__`` (one ``object.__setattr__`` per field): the
    instance dict is filled directly. Used where thousands are built at once (the review).
    Falls back to the constructor when a field is missing, or for a class where filling
    the dict would not be the same thing (slots, ``__post_init__``, fields outside
    ``__init__``)."""
    specs = fields(cls)  # type: ignore[arg-type]
    plain = (
        "__slots__" not in cls.__dict__
        and not hasattr(cls, "__post_init__")
        and all(spec.init for spec in specs)
    )
    count = len(specs)

    def make(values: dict[str, Any]) -> T:
        if not plain or len(values) != count:
            return cls(**values)
        instance = object.__new__(cls)
        instance.__dict__.update(values)
        return instance

    return make
