"""The rows insights are computed from: invitations, messages and replies, the pipeline,
and the daily ritual. Plain tuples and dicts; the arithmetic lives in ``tracker.stats``."""

from __future__ import annotations

from typing import Any

from tracker.store.base import StoreBase


def _contact_filter(tag: str, segment: str, alias: str = "c") -> tuple[str, list[Any]]:
    clauses, params = [], []
    if tag:
        clauses.append(
            f"EXISTS (SELECT 1 FROM tags g WHERE g.contact_id = {alias}.id AND g.tag = ?)"
        )
        params.append(tag)
    if segment:
        clauses.append(f"coalesce({alias}.segment, 'other') = ?")
        params.append(segment)
    return (" AND " + " AND ".join(clauses)) if clauses else "", params


class StatsMixin(StoreBase):
    """Reads for ``outreach stats`` and the Insights screen."""

    def invitation_rows(self, tag: str = "", segment: str = "") -> list[dict[str, Any]]:
        """Every invitation you sent, oldest first per contact, with its contact's segment."""
        where, params = _contact_filter(tag, segment)
        return self.rows(
            "SELECT t.id, t.contact_id, t.at, t.status, t.status_at, t.has_note, t.moment,"
            " t.template, coalesce(c.segment, 'other') AS segment"
            " FROM touches t JOIN contacts c ON c.id = t.contact_id"
            " WHERE t.channel = 'linkedin_invite' AND t.direction = 'out'"
            + where
            + " ORDER BY t.contact_id, t.at, t.id",
            params,
        )

    def conversation_rows(self, tag: str = "", segment: str = "") -> list[tuple[Any, ...]]:
        """(contact_id, channel, direction, at) of every one-to-one touch, in order."""
        where, params = _contact_filter(tag, segment)
        return list(
            self.execute(
                "SELECT t.contact_id, t.channel, t.direction, t.at FROM touches t"
                " JOIN contacts c ON c.id = t.contact_id"
                " WHERE t.is_group = 0" + where + " ORDER BY t.contact_id, t.at, t.id",
                params,
            )
        )

    def touch_times(self, since: str, tag: str = "", segment: str = "") -> list[str]:
        """When each touch since ``since`` happened (stored UTC text)."""
        where, params = _contact_filter(tag, segment)
        return [
            row[0]
            for row in self.execute(
                "SELECT t.at FROM touches t JOIN contacts c ON c.id = t.contact_id"
                " WHERE t.at >= ?" + where + " ORDER BY t.at",
                [since, *params],
            )
        ]

    def pipeline_rows(self, tag: str = "", segment: str = "") -> list[dict[str, Any]]:
        """Per contact: pending invitation time, last touch, creation, follow-up date."""
        where, params = _contact_filter(tag, segment)
        return self.rows(
            "SELECT c.id, c.created_at, s.last_touch_at, f.due_on,"
            " CASE WHEN s.invite_status = 'pending' THEN s.invite_sent_at END AS pending_since"
            " FROM contacts c LEFT JOIN contact_state s ON s.contact_id = c.id"
            " LEFT JOIN follow_ups f ON f.contact_id = c.id WHERE 1 = 1" + where,
            params,
        )

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
            f"{_HEALTH_COLUMNS} INDEXED BY touches_invitations"
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
    "SELECT t.id, t.contact_id, t.at FROM touches t INDEXED BY touches_invitations"
    " WHERE t.channel = 'linkedin_invite' AND t.direction = 'out' AND t.at <= ?"
    " AND t.status <> 'pending' AND t.status_at > ?" + _NO_LATER_INVITATION
)
