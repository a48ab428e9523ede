"""Invitations counted for the insights' acceptance figures, without sorting them.

Most invitations are *plain* as of a clock: their status was set by then (or never), they
are not pending and young, and their contact never had an invitation withdrawn, so
their stored columns say everything (status as stored, not young, not a resend). Those
are counted in index order: by kind (template, moment, note, status) over
``touches_invitation_kinds``, and by the contact's segment over ``contacts_segment``
joined to ``touches_invitation_contact``. The few others (``special``) come back one by
one with what the old rules worked out for them: the status as it stood at the clock,
young, a resend, the segment. SQLite's sorter, many times dearer per row than a scan, is
never used.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tracker.local_time import WINDOW, DayCut, stored_text
from tracker.store.base import StoreBase
from tracker.store.local_sql import epoch_of, on_or_after
from tracker.store.replies import contact_filter

_INVITATION = "t.channel = 'linkedin_invite' AND t.direction = 'out'"
_STATUS = "coalesce(nullif(t.status, ''), 'pending')"
_WITHDRAWN = (
    "SELECT contact_id, at, id FROM touches t INDEXED BY touches_invitations"
    f" WHERE {_INVITATION} AND t.at <= :as_of AND t.status = 'withdrawn'"
    " AND NOT coalesce(t.status_at > :as_of, 0)"
)
"""The invitations withdrawn as of the clock (sent by then, withdrawn by then)."""
_LATER = "coalesce(t.status_at > :as_of, 0)"
"""The status changed after the clock: the invitation was still pending then."""
_SPECIAL = (
    f"({_LATER} OR (t.at >= :young_low AND {_STATUS} = 'pending')"
    " OR t.contact_id IN (SELECT contact_id FROM withdrawn))"
)
"""An invitation the stored columns do not settle: changed after the clock (pending
then), pending and perhaps young, or to a contact with an invitation withdrawn."""


@dataclass(frozen=True)
class InvitationCounts:
    """What ``invitation_counts`` found. ``kinds``: ``(template, moment, has_note,
    status, count)`` of the plain invitations, as stored; ``segments``: ``(segment,
    first contact, with a note: count, accepted, pending, without: count, accepted,
    pending)`` of the plain ones, the segment as stored; ``special``: per other
    invitation ``[segment, note, moment, template, resend, status, young, contact]``
    (the values shown); ``waits``: seconds from sending to accepting of every invitation
    accepted by the clock (with the moment recorded), special or not."""

    kinds: list[tuple[Any, ...]]
    segments: list[tuple[Any, ...]]
    special: list[list[Any]]
    waits: list[int]


class InvitationCountsMixin(StoreBase):
    """The acceptance figures' reads."""

    def invitation_counts(
        self, as_of: str, since: str, young: DayCut, tag: str = "", segment: str = ""
    ) -> InvitationCounts:
        """The invitations sent from ``since`` to ``as_of`` (stored texts) in the terms
        of ``InvitationCounts``: a resend follows an invitation to the same contact
        withdrawn by ``as_of``; young is pending and sent on ``young.day`` or later."""
        where, params = contact_filter(tag, segment, "t.contact_id")
        instant = young.instant
        low = instant if instant is not None else young.naive - WINDOW
        named = {"as_of": as_of, "since": since, "young_low": stored_text(low)}
        for index, value in enumerate(params):
            named[f"p{index}"] = value
        where = _named(where, len(params))
        cut, cut_params = on_or_after("t.at", young)
        for index, value in enumerate(cut_params):
            named[f"c{index}"] = value
        cut = _named(cut, len(cut_params), "c")
        scope = f"{_INVITATION} AND t.at <= :as_of AND t.at >= :since{where}"
        wait = f"{epoch_of('t.status_at')} - {epoch_of('t.at')}"
        kinds = self.execute(
            f"WITH withdrawn AS MATERIALIZED ({_WITHDRAWN})"
            " SELECT t.template, t.moment, t.has_note, t.status, count(*),"
            f" count(*) FILTER (WHERE {_SPECIAL}),"
            f" json_group_array({wait}) FILTER (WHERE t.status = 'accepted'"
            f" AND t.status_at <> '' AND NOT {_LATER}),"
            " json_group_array(json_array("
            "(SELECT coalesce(nullif(c.segment, ''), 'other') FROM contacts c"
            " WHERE c.id = t.contact_id), coalesce(t.has_note, 0) <> 0,"
            " coalesce(nullif(t.moment, ''), 'unrecorded'),"
            " coalesce(nullif(t.template, ''), 'none'),"
            " EXISTS (SELECT 1 FROM withdrawn w WHERE w.contact_id = t.contact_id"
            " AND (w.at < t.at OR (w.at = t.at AND w.id < t.id))),"
            f" CASE WHEN {_LATER} THEN 'pending' ELSE {_STATUS} END,"
            f" ({_LATER} OR {_STATUS} = 'pending') AND {cut}, t.contact_id))"
            f" FILTER (WHERE {_SPECIAL})"
            " FROM touches t INDEXED BY touches_invitation_kinds"
            f" WHERE {scope} GROUP BY t.template, t.moment, t.has_note, t.status",
            named,
        ).fetchall()
        segments = self.execute(
            f"WITH withdrawn AS MATERIALIZED ({_WITHDRAWN})"
            " SELECT c.segment, min(c.id),"
            " count(*) FILTER (WHERE t.has_note), count(*) FILTER (WHERE t.has_note"
            f" AND t.status = 'accepted'), count(*) FILTER (WHERE t.has_note"
            f" AND {_STATUS} = 'pending'), count(*) FILTER (WHERE NOT coalesce(t.has_note, 0)),"
            " count(*) FILTER (WHERE NOT coalesce(t.has_note, 0) AND t.status = 'accepted'),"
            f" count(*) FILTER (WHERE NOT coalesce(t.has_note, 0) AND {_STATUS} = 'pending')"
            " FROM contacts c INDEXED BY contacts_segment"
            " CROSS JOIN touches t INDEXED BY touches_invitation_contact"
            f" ON t.contact_id = c.id WHERE {scope} AND NOT {_SPECIAL} GROUP BY c.segment",
            named,
        ).fetchall()
        special: list[list[Any]] = []
        waits: list[int] = []
        plain = []
        for template, moment, note, status, count, odd, accepted, others in kinds:
            if count > odd:
                plain.append((template, moment, note, status, count - odd))
            waits += json.loads(accepted)
            special += json.loads(others)
        return InvitationCounts(plain, segments, special, waits)


def _named(sql: str, count: int, prefix: str = "p") -> str:
    """``sql`` with its ``count`` ``?`` placeholders named ``:{prefix}0`` on."""
    for index in range(count):
        sql = sql.replace("?", f":{prefix}{index}", 1)
    return sql
