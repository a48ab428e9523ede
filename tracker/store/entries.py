"""The review's entry rows: each candidate contact with its stored summary, as SQL selects
them and as the review reads them back (a ``Contact`` and a ``ContactState``).

Two forms of the same row. ``ENTRY_SELECT`` gives one column per field (what a replay of
the history reads, and the fallback). ``PACKED_SELECT`` gives the texts a user typed or
imported one column each, and everything the store wrote itself (numbers, times, dates,
enum values: never a separator, never a NUL) in one text made by a SQL ``printf``,
``FIELD_SEP`` between the fields: a review reads thousands of rows, and Python's
``sqlite3`` spends more on handing over each column (it releases and takes back the
interpreter lock for every one) than splitting one text costs. A packed text with the
wrong number of fields (a database some other program wrote) is named, to be read again
in the plain form.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from tracker.models import (
    AS_OF_STATE_FIELDS,
    CONTACT_TEXT_FIELDS,
    STORED_STATE_FIELDS,
    Contact,
    ContactState,
    Relationship,
    Segment,
)
from tracker.store.contacts import TAG_SEP
from tracker.store.summaries import STATE_TIMES
from tracker.timeutil import from_stored

FIELD_SEP = "\x1e"
"""Between the fields of a packed entry row (ASCII's record separator)."""

_SEGMENTS: dict[str, Segment | None] = {s.value: s for s in Segment}
_RELATIONSHIPS: dict[str, Relationship | None] = {r.value: r for r in Relationship}
# An entry row, in order: the contact's columns read as they are (text made "" by SQL),
# its times, the columns turned into dates, enums and tags; then the summary's columns
# read as they are, its times. Each run becomes part of an instance's dict in one
# ``zip``: a review reads thousands of rows, and a step per column adds up.
_CONTACT_PLAIN: tuple[str, ...] = ("id", "name", "keep_in_touch_days", "follow_up_reason")
_CONTACT_PLAIN += CONTACT_TEXT_FIELDS
_CONTACT_TIMES: tuple[str, ...] = ("sms_opt_in_at", "sms_opt_out_at", "follow_up_set_at")
_CONTACT_TIMES += ("created_at", "updated_at")
_CONTACT_OTHER: tuple[str, ...] = ("follow_up_on", "linkedin_connected_on", "segment")
_CONTACT_OTHER += ("relationship", "tags")
_CONTACT_OTHER += ("state_id",)
_STATE_TIMES = STATE_TIMES
_STATE_PLAIN = tuple(k for k in STORED_STATE_FIELDS if k not in _STATE_TIMES)
_STATE_TEXT = ("last_text_out", "last_message")
_STATE_FLAGS = ("invite_has_note", "last_message_out")


def _state_column(key: str) -> str:
    if key in _STATE_TEXT:
        return f"coalesce(s.{key}, '')"
    return "coalesce(s.text_run, 0)" if key == "text_run" else f"s.{key}"


_CONTACT_SQL = {
    "id": "c.id",
    "name": "c.name",
    "keep_in_touch_days": "c.keep_in_touch_days",
    "follow_up_on": "f.due_on",
    "follow_up_reason": "coalesce(f.reason, '')",
    "follow_up_set_at": "f.set_at",
    "linkedin_connected_on": "c.linkedin_connected_on",
    "tags": f"(SELECT group_concat(tag, '{TAG_SEP}') FROM"
    " (SELECT tag FROM tags t WHERE t.contact_id = c.id ORDER BY tag))",
    "state_id": "s.contact_id",
}
ENTRY_COLUMNS: tuple[tuple[str, str], ...] = tuple(
    (key, _CONTACT_SQL.get(key) or f"coalesce(c.{key}, '')") for key in _CONTACT_PLAIN
) + tuple((key, _CONTACT_SQL.get(key) or f"c.{key}") for key in (*_CONTACT_TIMES, *_CONTACT_OTHER))
ENTRY_COLUMNS += tuple((f"state.{k}", _state_column(k)) for k in (*_STATE_PLAIN, *_STATE_TIMES))
"""Every column an entry row holds: (name, SQL), in row order."""
_NAMES = [name for name, _ in ENTRY_COLUMNS]


def _span(group: tuple[str, ...], prefix: str = "") -> slice:
    """Where the columns named ``group`` sit in an entry row (found by name)."""
    start = _NAMES.index(prefix + group[0])
    assert _NAMES[start : start + len(group)] == [prefix + k for k in group]
    return slice(start, start + len(group))


assert _span(_CONTACT_PLAIN).start == 0  # ``zip`` takes the contact's plain columns first
_TIMES, _OTHER = _span(_CONTACT_TIMES), _span(_CONTACT_OTHER)
_STATE_VALUES, _STATE_MOMENTS = _span(_STATE_PLAIN, "state."), _span(_STATE_TIMES, "state.")
_FROM = (
    " FROM contacts c LEFT JOIN follow_ups f ON f.contact_id = c.id"
    " LEFT JOIN contact_state s ON s.contact_id = c.id"
)
ENTRY_SELECT = f"SELECT {', '.join(sql for _, sql in ENTRY_COLUMNS)}{_FROM}"
"""Entry rows, one column per field (add ``WHERE`` and ``ORDER BY``)."""

# The packed row: the texts a user typed or imported, one column each (they may hold any
# character, even a NUL, which printf would stop at), then everything the store itself
# wrote (numbers, times, dates, enum values) in one printf text.
_SQL = dict(ENTRY_COLUMNS)
_PACKED_TEXT: tuple[str, ...] = ("name", "follow_up_reason", *CONTACT_TEXT_FIELDS)
_PACKED_STATE_TEXT = ("last_text_out", "last_message")
_PACKED_REST: tuple[str, ...] = ("id", "keep_in_touch_days", *_CONTACT_TIMES, "follow_up_on")
_PACKED_REST += ("linkedin_connected_on", "segment", "relationship", "state_id")
_PACKED_REST += tuple(f"state.{k}" for k in _STATE_PLAIN if k not in _STATE_TEXT)
_PACKED_REST += tuple(f"state.{k}" for k in _STATE_TIMES)
_PACKED_COLUMNS = (
    *(_SQL[k] for k in _PACKED_TEXT),
    _SQL["tags"],
    *(_SQL[f"state.{k}"] for k in _PACKED_STATE_TEXT),
    f"printf('{FIELD_SEP.join(['%s'] * len(_PACKED_REST))}', "
    + ", ".join(_SQL[k].replace("coalesce(s.text_run, 0)", "s.text_run") for k in _PACKED_REST)
    + ")",
)
PACKED_SELECT = f"SELECT {', '.join(_PACKED_COLUMNS)}{_FROM}"
"""Entry rows, packed (``read_packed``; add ``WHERE`` and ``ORDER BY``)."""
assert set(_PACKED_TEXT) | {"tags"} | set(_PACKED_REST) | {
    f"state.{k}" for k in _PACKED_STATE_TEXT
} == set(_NAMES), "every entry column is in the packed row"

_AS_OF_ONLY = dict.fromkeys(AS_OF_STATE_FIELDS)
"""A stored summary's values for the fields only an as-of summary has: none."""
_fromiso = datetime.fromisoformat
_day = date.fromisoformat
_new = object.__new__


def _time(text: str) -> datetime:
    """A stored time: ``...THH:MM:SSZ`` text, which ``datetime.fromisoformat`` reads as
    ``from_stored`` does for a tenth of the cost (``from_stored`` for anything else, such
    as a year before 1000)."""
    try:
        return _fromiso(text)
    except ValueError:
        moment = from_stored(text)
        assert moment is not None
        return moment


def _times(texts: Iterable[Any]) -> list[datetime | None]:
    """Each stored time as ``from_stored`` reads it (``None`` for none)."""
    return [_time(text) if text else None for text in texts]


def entry_from_row(row: tuple[Any, ...]) -> tuple[Contact, ContactState]:
    """A row of ``ENTRY_SELECT`` as the contact and its summary; the same objects as
    ``contact_from_row`` and ``state_from_row`` build, with their dicts filled directly
    (no ``__init__`` to run: both are plain frozen dataclasses)."""
    contact = _new(Contact)
    values = contact.__dict__
    values.update(zip(_CONTACT_PLAIN, row, strict=False))  # the row's first columns
    values.update(zip(_CONTACT_TIMES, _times(row[_TIMES]), strict=True))
    follow_up_on, connected_on, segment, relationship, tags, state_id = row[_OTHER]
    values["follow_up_on"] = _day(follow_up_on) if follow_up_on else None
    values["linkedin_connected_on"] = _day(connected_on) if connected_on else None
    values["segment"] = _SEGMENTS[segment] if segment else None
    values["relationship"] = _RELATIONSHIPS[relationship] if relationship else None
    values["tags"] = tuple(tags.split(TAG_SEP)) if tags else ()
    if state_id is None:
        return contact, ContactState(contact_id=values["id"])
    state = _new(ContactState)
    fields = state.__dict__
    fields.update(zip(_STATE_PLAIN, row[_STATE_VALUES], strict=True))
    for key in _STATE_FLAGS:
        if fields[key] is not None:
            fields[key] = bool(fields[key])
    fields.update(zip(_STATE_TIMES, _times(row[_STATE_MOMENTS]), strict=True))
    fields.update(_AS_OF_ONLY)
    return contact, state


class _Memo(dict[str, Any]):
    """Each text read once: ``memo[text]`` is a dict lookup when seen before (a review's
    rows repeat their times: an import stamps thousands of contacts alike, and one
    message is a contact's last touch, last outbound touch and unanswered one)."""

    def __init__(self, read: Any, empty: Any = None) -> None:
        super().__init__({"": empty})
        self._read = read

    def __missing__(self, text: str) -> Any:
        value = self[text] = self._read(text)
        return value


_FLAG = {"": None, "0": False, "1": True}
_SEGMENT_OR_NONE: dict[str, Segment | None] = {"": None, **_SEGMENTS}
_RELATIONSHIP_OR_NONE: dict[str, Relationship | None] = {"": None, **_RELATIONSHIPS}
_P_TAGS = len(_PACKED_TEXT)
_P_TEXT_OUT, _P_MESSAGE = _P_TAGS + 1, _P_TAGS + 2
_REST = {key: index for index, key in enumerate(_PACKED_REST)}
_R_ID, _R_KEEP, _R_STATE = _REST["id"], _REST["keep_in_touch_days"], _REST["state_id"]
_R_FOLLOW, _R_CONNECTED = _REST["follow_up_on"], _REST["linkedin_connected_on"]
_R_SEGMENT, _R_RELATIONSHIP = _REST["segment"], _REST["relationship"]
_R_INVITE_ID, _R_INVITE_STATUS = _REST["state.invite_id"], _REST["state.invite_status"]
_R_HAS_NOTE, _R_CHANNEL = _REST["state.invite_has_note"], _REST["state.no_reply_channel"]
_R_RUN, _R_OUT = _REST["state.text_run"], _REST["state.last_message_out"]
_R_TIMES = slice(_REST[_CONTACT_TIMES[0]], _REST[_CONTACT_TIMES[-1]] + 1)
_R_STATE_TIMES = slice(_REST[f"state.{_STATE_TIMES[0]}"], _REST[f"state.{_STATE_TIMES[-1]}"] + 1)
assert _PACKED_REST[_R_TIMES] == _CONTACT_TIMES
assert _PACKED_REST[_R_STATE_TIMES] == tuple(f"state.{k}" for k in _STATE_TIMES)
assert {k for k in _STATE_PLAIN if k not in _STATE_TEXT} == {
    "contact_id",
    "invite_id",
    "invite_status",
    "invite_has_note",
    "no_reply_channel",
    "text_run",
    "last_message_out",
}, "a new summary field: read_packed sets it too"
_REST_FIELDS = len(_PACKED_REST)


def read_packed(
    rows: Iterable[tuple[Any, ...]],
) -> tuple[list[tuple[Contact, ContactState]], list[int]]:
    """Rows of ``PACKED_SELECT`` as (contact, summary) pairs, the same as
    ``entry_from_row`` makes of the plain rows; and the ids of any rows it could not
    read (read them with ``ENTRY_SELECT``)."""
    days = _Memo(_day)
    time = _Memo(_time).__getitem__
    flag, segments, relationships = _FLAG, _SEGMENT_OR_NONE, _RELATIONSHIP_OR_NONE
    entries: list[tuple[Contact, ContactState]] = []
    unreadable: list[int] = []
    # Each zip below pairs names with values of the same count (checked above and by the
    # asserts); ``strict=`` would parse a keyword argument three times a row.
    for row in rows:
        rest = row[-1].split(FIELD_SEP)
        if len(rest) != _REST_FIELDS:  # the store writes no separator: never seen
            unreadable.append(int(rest[_R_ID]))
            continue
        contact = _new(Contact)
        values = contact.__dict__
        values.update(zip(_PACKED_TEXT, row))  # noqa: B905
        contact_id = values["id"] = int(rest[_R_ID])
        keep = rest[_R_KEEP]
        values["keep_in_touch_days"] = int(keep) if keep else None
        values.update(zip(_CONTACT_TIMES, map(time, rest[_R_TIMES])))  # noqa: B905
        values["follow_up_on"] = days[rest[_R_FOLLOW]]
        values["linkedin_connected_on"] = days[rest[_R_CONNECTED]]
        values["segment"] = segments[rest[_R_SEGMENT]]
        values["relationship"] = relationships[rest[_R_RELATIONSHIP]]
        tags = row[_P_TAGS]
        values["tags"] = tuple(tags.split(TAG_SEP)) if tags else ()
        if not rest[_R_STATE]:
            entries.append((contact, ContactState(contact_id=contact_id)))
            continue
        state = _new(ContactState)
        fields = state.__dict__
        fields["contact_id"] = contact_id
        invite_id = rest[_R_INVITE_ID]
        fields["invite_id"] = int(invite_id) if invite_id else None
        fields["invite_status"] = rest[_R_INVITE_STATUS] or None
        fields["invite_has_note"] = flag[rest[_R_HAS_NOTE]]
        fields["no_reply_channel"] = rest[_R_CHANNEL] or None
        fields["text_run"] = int(rest[_R_RUN] or 0)
        fields["last_text_out"] = row[_P_TEXT_OUT]
        fields["last_message"] = row[_P_MESSAGE]
        fields["last_message_out"] = flag[rest[_R_OUT]]
        fields.update(zip(_STATE_TIMES, map(time, rest[_R_STATE_TIMES])))  # noqa: B905
        fields.update(_AS_OF_ONLY)
        entries.append((contact, state))
    return entries, unreadable
