"""The reads insights are computed from: invitations counted by what they are compared
on, the waits of accepted ones, touches and invitations by local day, the pipeline's
counts, and account health's invitations. Plain tuples; the arithmetic lives in
``tracker.stats`` and ``tracker.health`` (replies: ``store/replies.py``).

Invitations are read through ``touches_invitations``, which holds every column read
here, so no touch row is visited; ages in days are conditions on local days
(``store/local_sql.py``), so no row becomes a ``datetime``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from tracker.local_time import DayCut, Offsets
from tracker.store.base import StoreBase
from tracker.store.local_sql import epoch_of, local_day_number, on_or_after
from tracker.store.replies import contact_filter


class StatsMixin(StoreBase):
    """Reads for ``outreach stats``, the Insights screen and account health."""

    def invitations_by_day(
        self, start: str, as_of: str, offsets: Offsets, tag: str = "", segment: str = ""
    ) -> list[tuple[int, int]]:
        """``(local day, how many)`` of the invitations sent from ``start`` to ``as_of``
        (days since 1970-01-01, local; ``offsets`` the zone's over the stretch)."""
        where, params = contact_filter(tag, segment, "t.contact_id")
        day = local_day_number("s", offsets)
        rows = self.execute(
            f"SELECT {day} AS day, count(*) FROM (SELECT {epoch_of('t.at')} AS s"
            " FROM touches t INDEXED BY touches_invitations"
            " WHERE t.channel = 'linkedin_invite' AND t.direction = 'out'"
            f" AND t.at >= ? AND t.at <= ?{where}) GROUP BY day",
            [start, as_of, *params],
        )
        return [(int(d), int(n)) for d, n in rows]

    def touches_by_day(
        self, start: str, as_of: str, offsets: Offsets, tag: str = "", segment: str = ""
    ) -> list[tuple[int, int]]:
        """``(local day, how many)`` of the touches from ``start`` to ``as_of``."""
        where, params = contact_filter(tag, segment, "t.contact_id")
        day = local_day_number("s", offsets)
        rows = self.execute(
            f"SELECT {day} AS day, count(*) FROM (SELECT {epoch_of('t.at')} AS s"
            f" FROM touches t WHERE t.at >= ? AND t.at <= ?{where}) GROUP BY day",
            [start, as_of, *params],
        )
        return [(int(d), int(n)) for d, n in rows]

    def pending_since(self, tag: str = "", segment: str = "") -> list[str]:
        """When each contact's pending invitation was sent (its summary's, as of now)."""
        where, params = contact_filter(tag, segment, "s.contact_id")
        return [
            at
            for (at,) in self.execute(
                "SELECT s.invite_sent_at FROM contact_state s INDEXED BY state_pending"
                " JOIN contacts c ON c.id = s.contact_id"
                f" WHERE s.invite_status = 'pending' AND s.invite_sent_at <> ''{where}",
                params,
            )
        ]

    def follow_up_counts(
        self, today: str, week_end: str, tag: str = "", segment: str = ""
    ) -> tuple[int, int]:
        """Follow-ups due before ``today``, and from ``today`` to ``week_end`` (ISO dates)."""
        where, params = contact_filter(tag, segment, "f.contact_id")
        row = self.execute(
            "SELECT count(f.due_on < ? OR NULL), count(f.due_on >= ? AND f.due_on <= ? OR NULL)"
            f" FROM follow_ups f WHERE f.due_on <> ''{where}",
            [today, today, week_end, *params],
        ).fetchone()
        return int(row[0]), int(row[1])

    def quiet_counts(
        self, cuts: Sequence[DayCut], tag: str = "", segment: str = ""
    ) -> tuple[int, list[int]]:
        """How many contacts have a last touch (or, with none, a creation time), and how
        many of them have it on each cut's day or later (local). Without a filter, and
        when every contact has its summary row (the store keeps one for each), the
        counts come from the summaries' ``last_touch_at`` index and the few contacts
        never touched; otherwise every contact is read."""
        if not tag and not segment and self._every_contact_summarized():
            return self._quiet_counts_indexed(cuts)
        where, params = contact_filter(tag, segment, "c.id")
        parts, cut_params = [], []
        for cut in cuts:
            sql, values = on_or_after("last", cut)
            parts.append(f"count({sql} OR NULL)")
            cut_params += values
        columns = ", ".join(["count(*)", *parts])
        row = self.execute(
            f"SELECT {columns} FROM (SELECT coalesce(nullif(s.last_touch_at, ''),"
            " nullif(c.created_at, '')) AS last FROM contacts c"
            f" LEFT JOIN contact_state s ON s.contact_id = c.id WHERE 1 = 1{where})"
            " WHERE last IS NOT NULL",
            [*cut_params, *params],
        ).fetchone()
        return int(row[0]), [int(n) for n in row[1:]]

    def _every_contact_summarized(self) -> bool:
        """Whether each contact has its ``contact_state`` row (a summary never outlives
        its contact, so equal counts say so)."""
        contacts = self.scalar("SELECT count(*) FROM contacts")
        return bool(contacts == self.scalar("SELECT count(*) FROM contact_state"))

    def _quiet_counts_indexed(self, cuts: Sequence[DayCut]) -> tuple[int, list[int]]:
        untouched = (
            "SELECT nullif(c.created_at, '') AS last FROM contact_state s"
            " JOIN contacts c ON c.id = s.contact_id"
            " WHERE s.last_touch_at IS NULL OR s.last_touch_at = ''"
        )
        parts, params = [], []
        for cut in cuts:
            touched, touched_params = on_or_after("last_touch_at", cut)
            created, created_params = on_or_after("last", cut)
            parts.append(
                f"(SELECT count(*) FROM contact_state WHERE {touched})"
                f" + (SELECT count(*) FROM ({untouched}) WHERE {created})"
            )
            params += [*touched_params, *created_params]
        row = self.execute(
            "SELECT (SELECT count(*) FROM contact_state WHERE last_touch_at > '')"
            f" + (SELECT count(*) FROM ({untouched}) WHERE last IS NOT NULL), {', '.join(parts)}",
            params,
        ).fetchone()
        return int(row[0]), [int(n) for n in row[1:]]

    def health_rows(
        self, since: str, until: str, with_accepted: bool = True, past: bool = False
    ) -> list[tuple[Any, ...]]:
        """``(at, status, status_at, has_note)`` of every invitation you sent up to
        ``until`` that account health reads, each part through an index: those sent from
        ``since`` on, those pending from before, with ``with_accepted`` every accepted one
        (their ages), and with ``past`` (``until`` is not now) those settled only after it."""
        sql = _health_sql(with_accepted, past)
        params = _health_params(since, until, with_accepted, past)
        return list(self.execute(sql, params))

    def acceptance_ages(self, until: str, offsets: Offsets) -> list[int]:
        """Local days from sending to accepting, of every invitation sent and accepted
        by ``until`` (with the moment recorded), in order (``offsets`` the zone's from the
        first touch to ``until``): account health's withdraw age."""
        sent = local_day_number(epoch_of("t.at"), offsets)
        accepted = local_day_number(epoch_of("t.status_at"), offsets)
        found = self.scalar(
            f"SELECT json_group_array({accepted} - {sent})"
            " FROM touches t INDEXED BY touches_invitations"
            " WHERE t.channel = 'linkedin_invite' AND t.direction = 'out' AND t.at <= ?"
            " AND t.status = 'accepted' AND t.status_at <> '' AND t.status_at <= ?",
            [until, until],
        )
        return sorted(json.loads(found)) if found else []

    def latest_pending_invitations(self, as_of: str, past: bool = False) -> list[tuple[int, str]]:
        """``(contact_id, at)`` of each contact whose latest invitation sent up to
        ``as_of`` is pending, oldest first: the pending ones through their index, and
        with ``past`` (``as_of`` is not now) those settled only after it."""
        sql = _LATEST_PENDING
        params = [as_of, as_of]
        if past:
            sql += f" UNION ALL {_LATEST_SETTLED_LATER}"
            params += [as_of, as_of, as_of]
        rows = self.execute(f"SELECT contact_id, at FROM ({sql}) ORDER BY at, id", params)
        return [(int(contact_id), str(at)) for contact_id, at in rows]

    def health_query_plan(self, with_accepted: bool = True, past: bool = True) -> list[str]:
        """``EXPLAIN QUERY PLAN`` of ``health_rows``."""
        sql = _health_sql(with_accepted, past)
        params = _health_params("", "", with_accepted, past)
        return [row[3] for row in self.execute(f"EXPLAIN QUERY PLAN {sql}", params)]


_HEALTH_COLUMNS = "SELECT at, status, status_at, has_note FROM touches"
_INVITATIONS = "channel = 'linkedin_invite' AND direction = 'out'"


def _health_sql(with_accepted: bool, past: bool) -> str:
    parts = [
        f"{_HEALTH_COLUMNS} INDEXED BY touches_invitations"
        f" WHERE {_INVITATIONS} AND at >= ? AND at <= ?",
        f"{_HEALTH_COLUMNS} INDEXED BY touches_pending_invites"
        f" WHERE {_INVITATIONS} AND status = 'pending' AND at < ?",
    ]
    if with_accepted:
        parts.append(
            f"{_HEALTH_COLUMNS} INDEXED BY touches_invitations"
            f" WHERE {_INVITATIONS} AND at < ? AND status = 'accepted' AND status_at <= ?"
        )
    if past:  # settled after the moment: still pending then
        parts.append(
            f"{_HEALTH_COLUMNS} INDEXED BY touches_invitations_settled"
            f" WHERE {_INVITATIONS} AND at < ? AND status <> 'pending' AND status_at > ?"
        )
    return " UNION ALL ".join(parts)


def _health_params(since: str, until: str, with_accepted: bool, past: bool) -> list[str]:
    params = [since, until, since]
    if with_accepted:
        params += [since, until]
    if past:
        params += [since, until]
    return params


_NO_LATER_INVITATION = (
    " AND NOT EXISTS (SELECT 1 FROM touches l INDEXED BY touches_contact_at"
    " WHERE l.contact_id = t.contact_id AND l.channel = 'linkedin_invite'"
    " AND l.direction = 'out' AND l.at <= ? AND (l.at > t.at OR (l.at = t.at AND l.id > t.id)))"
)
_LATEST_PENDING = (
    "SELECT t.id, t.contact_id, t.at FROM touches t INDEXED BY touches_pending_invites"
    " WHERE t.channel = 'linkedin_invite' AND t.status = 'pending' AND t.direction = 'out'"
    " AND t.at <= ?" + _NO_LATER_INVITATION
)
_LATEST_SETTLED_LATER = (
    "SELECT t.id, t.contact_id, t.at FROM touches t INDEXED BY touches_invitations_settled"
    " WHERE t.channel = 'linkedin_invite' AND t.direction = 'out' AND t.at <= ?"
    " AND t.status <> 'pending' AND t.status_at > ?" + _NO_LATER_INVITATION
)
