"""What each CSV export reads: its columns (CSV name, SQL expression, kind) over a FROM
clause, in what order, and how ``--tag``, ``--segment`` and ``--since`` narrow it.

Kept apart from how a line is built (``export_lines``) and streamed (``export``): the
column lists are what an export *is* (the headers FORMATS.md and the contacts import
read back), while the rest is how fast it is written. Each column's kind tells the line
builder how much it may trust the value:

- ``TEXT``: text a user or an import can set, quoted (and neutralised) in SQL;
- ``CODE``: codes and times the store itself writes, validated on the way in, and
  ``INT``/``KEY`` integers, which go into the line as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

KEY = "key"
"""An INTEGER PRIMARY KEY: always an integer; the first column of every export."""
INT = "int"
"""INTEGER affinity: an integer or NULL (anything else goes to Python)."""
CODE = "code"
"""TEXT the store writes itself, validated: a channel, status, segment, ISO time."""
TEXT = "text"
"""TEXT a user or an import sets: names, messages, notes, identifiers."""


@dataclass(frozen=True)
class ExportQuery:
    """What one export reads: its columns, where from, in what order, and the key that
    names one row (to re-read a row the fast path leaves to Python)."""

    columns: tuple[tuple[str, str, str], ...]
    source: str
    order: str
    key: str
    where: str = ""
    params: tuple[Any, ...] = ()
    """The values of the ``?`` in ``where``."""

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(name for name, _, _ in self.columns)

    def select(self, what: str, extra_where: str = "") -> str:
        where = " AND ".join(f"({w})" for w in (self.where, extra_where) if w)
        return f"SELECT {what} FROM {self.source}" + (f" WHERE {where}" if where else "")

    @property
    def values_sql(self) -> str:
        return ", ".join(expr for _, expr, _ in self.columns)

    @property
    def sql(self) -> str:
        return f"{self.select(self.values_sql)} ORDER BY {self.order}"


_LABELLED = (
    "SELECT contact_id,"
    " group_concat(CASE kind WHEN 'phone' THEN label || ':' || value END, '; ') AS phones,"
    " group_concat(CASE kind WHEN 'email' THEN label || ':' || value END, '; ') AS emails"
    " FROM contact_identifiers INDEXED BY identifiers_contact GROUP BY contact_id"
)
# The index walks each contact's identifiers primary first, then in the order they were
# added: the order group_concat joins them in.
"""Each contact's phones and emails as ``label:value; label:value``, the primary first:
what ``--phone``/``--email`` take, and what the contacts import reads back."""

_KEY_DATES = (
    "SELECT contact_id, group_concat(label || ':' || CASE WHEN year IS NULL"
    " THEN '--' || month_day ELSE printf('%04d', year) || '-' || month_day END, '; ')"
    " AS key_dates FROM key_dates NOT INDEXED GROUP BY contact_id"
)
"""Each contact's key dates as ``birthday:1988-05-12; renewal:--03-01``, by label (the
table's own order): what ``add --date`` takes, and what the contacts import reads back."""

EXPORTS: dict[str, ExportQuery] = {
    "contacts": ExportQuery(
        columns=(
            ("id", "c.id", KEY),
            ("name", "c.name", TEXT),
            ("first_name", "c.first_name", TEXT),
            ("last_name", "c.last_name", TEXT),
            ("company", "c.company", TEXT),
            ("title", "c.title", TEXT),
            ("phone", "c.phone", TEXT),
            ("email", "c.email", TEXT),
            ("phones", "i.phones", TEXT),
            ("emails", "i.emails", TEXT),
            ("linkedin_url", "c.linkedin_url", TEXT),
            ("linkedin_connected_on", "c.linkedin_connected_on", CODE),
            ("segment", "c.segment", CODE),
            ("relationship", "c.relationship", CODE),
            ("tags", "g.tags", TEXT),
            ("notes", "c.notes", TEXT),
            ("keep_in_touch_days", "c.keep_in_touch_days", INT),
            ("sms_opt_in_at", "c.sms_opt_in_at", CODE),
            ("sms_opt_out_at", "c.sms_opt_out_at", CODE),
            ("follow_up_on", "f.due_on", CODE),
            ("follow_up_reason", "f.reason", TEXT),
            ("follow_up_set_at", "f.set_at", CODE),
            ("key_dates", "k.key_dates", TEXT),
            ("created_at", "c.created_at", CODE),
            ("updated_at", "c.updated_at", CODE),
        ),
        # Tags joined once per contact (a correlated subquery would run once for every
        # mention in the CSV line). NOT INDEXED walks the WITHOUT ROWID table in key
        # order, (contact_id, tag), so each group is concatenated in tag order.
        source=(
            "contacts c LEFT JOIN follow_ups f ON f.contact_id = c.id"
            " LEFT JOIN (SELECT contact_id, group_concat(tag, '; ') AS tags"
            " FROM tags NOT INDEXED GROUP BY contact_id) g ON g.contact_id = c.id"
            f" LEFT JOIN ({_LABELLED}) i ON i.contact_id = c.id"
            f" LEFT JOIN ({_KEY_DATES}) k ON k.contact_id = c.id"
        ),
        order="c.id",
        key="c.id",
    ),
    "touches": ExportQuery(
        columns=(
            ("id", "t.id", KEY),
            ("contact_id", "t.contact_id", INT),
            ("contact", "c.name", TEXT),
            ("channel", "t.channel", CODE),
            ("direction", "t.direction", CODE),
            ("at", "t.at", CODE),
            ("text", "t.text", TEXT),
            ("status", "t.status", CODE),
            ("status_at", "t.status_at", CODE),
            ("has_note", "t.has_note", INT),
            ("moment", "t.moment", CODE),
            ("is_group", "t.is_group", INT),
            ("source", "t.source", TEXT),
            ("template", "t.template", TEXT),
            ("created_at", "t.created_at", CODE),
        ),
        source="touches t JOIN contacts c ON c.id = t.contact_id",
        order="t.id",
        key="t.id",
    ),
    "invitations": ExportQuery(
        columns=(
            ("id", "t.id", KEY),
            ("contact_id", "t.contact_id", INT),
            ("contact", "c.name", TEXT),
            ("company", "c.company", TEXT),
            ("segment", "c.segment", CODE),
            ("linkedin_url", "c.linkedin_url", TEXT),
            ("sent_at", "t.at", CODE),
            ("has_note", "t.has_note", INT),
            ("note", "t.text", TEXT),
            ("moment", "t.moment", CODE),
            ("status", "t.status", CODE),
            ("status_at", "t.status_at", CODE),
        ),
        source="touches t JOIN contacts c ON c.id = t.contact_id",
        where="t.channel = 'linkedin_invite' AND t.direction = 'out'",
        order="t.at, t.id",
        key="t.id",
    ),
}


def filtered(query: ExportQuery, what: str, tag: str, segment: str, since: str) -> ExportQuery:
    """``query`` narrowed to contacts with ``tag``, in ``segment``, and to what happened
    from ``since`` (stored time) on; unchanged when none is given."""
    contact = "c.id" if what == "contacts" else "t.contact_id"
    clauses, params = [query.where] if query.where else [], list(query.params)
    if tag:
        clauses.append(f"{contact} IN (SELECT contact_id FROM tags WHERE tag = ?)")
        params.append(tag)
    if segment:
        clauses.append("c.segment = ?")
        params.append(segment)
    if since and what == "contacts":
        clauses.append(
            "(c.created_at >= ? OR c.id IN (SELECT contact_id FROM touches WHERE at >= ?))"
        )
        params += [since, since]
    elif since:
        clauses.append("t.at >= ?")
        params.append(since)
    if len(params) == len(query.params):
        return query
    where = " AND ".join(f"({clause})" for clause in clauses)
    return replace(query, where=where, params=tuple(params))


EXPORT_QUERIES: dict[str, tuple[tuple[str, ...], str]] = {
    what: (query.header, query.sql) for what, query in EXPORTS.items()
}
"""(header, SQL) of each export, as the plain query reads it."""
