"""Contacts in the store: add, edit, find by any identifier (any of their phones and
emails), list and page."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from tracker.errors import ConflictError, NotFoundError, UsageError
from tracker.identity import looks_like_phone, normalize_email, normalize_linkedin, try_phone
from tracker.models import (
    CONTACT_FIELDS,
    CONTACT_SORTS,
    DEFAULT_LABELS,
    IDENTIFIER_KINDS,
    Contact,
    ContactRow,
    Relationship,
    Segment,
)
from tracker.store.base import opt_text
from tracker.store.identifiers import IdentifiersMixin
from tracker.text import tag_text
from tracker.timeutil import from_stored, stamp

TAG_SEP = "\x1f"
CONTACT_SELECT = f"""
SELECT c.*, f.due_on AS follow_up_on, f.reason AS follow_up_reason,
       f.set_at AS follow_up_set_at,
       (SELECT group_concat(tag, '{TAG_SEP}') FROM
           (SELECT tag FROM tags t WHERE t.contact_id = c.id ORDER BY tag)) AS tags
FROM contacts c LEFT JOIN follow_ups f ON f.contact_id = c.id
"""
Labelled = Sequence[tuple[str, str]]
"""A contact's phones (or emails) as ``(value, label)`` pairs, the primary first."""
SORTABLE = dict(
    zip(
        CONTACT_SORTS,
        (
            "c.name COLLATE NOCASE",
            "c.company COLLATE NOCASE",
            "c.segment",
            "tags",
            "s.last_touch_at",
            "f.due_on",
            "s.invite_status",
            "c.id",
        ),
        strict=True,
    )
)
"""The SQL each of the contacts list's sort orders sorts by."""
NEVER_NULL = frozenset({"name", "id"})
"""Sorts on a NOT NULL column: no "empty last" term, so the name index gives the order
and a page reads its rows alone instead of sorting every contact."""


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def contact_from_row(row: dict[str, Any]) -> Contact:
    """Build a ``Contact`` from a row of ``CONTACT_SELECT``."""
    return Contact(
        id=row["id"],
        name=row["name"],
        first_name=row["first_name"] or "",
        last_name=row["last_name"] or "",
        company=row["company"] or "",
        title=row["title"] or "",
        phone=row["phone"] or "",
        email=row["email"] or "",
        linkedin_url=row["linkedin_url"] or "",
        linkedin_connected_on=_day(row.get("linkedin_connected_on")),
        segment=Segment(row["segment"]) if row["segment"] else None,
        relationship=Relationship(row["relationship"]) if row["relationship"] else None,
        tags=tuple(row["tags"].split(TAG_SEP)) if row.get("tags") else (),
        notes=row["notes"] or "",
        keep_in_touch_days=row["keep_in_touch_days"],
        sms_opt_in_at=from_stored(row["sms_opt_in_at"]),
        sms_opt_out_at=from_stored(row["sms_opt_out_at"]),
        follow_up_on=_day(row.get("follow_up_on")),
        follow_up_reason=row.get("follow_up_reason") or "",
        follow_up_set_at=from_stored(row.get("follow_up_set_at")),
        created_at=from_stored(row["created_at"]),
        updated_at=from_stored(row["updated_at"]),
    )


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise ValueError(f"unknown contact fields: {sorted(unknown)}")
    return {k: (opt_text(v) if isinstance(v, str) else v) for k, v in fields.items()}


def _contact_row(r: dict[str, Any]) -> ContactRow:
    return ContactRow(
        id=r["id"],
        name=r["name"],
        company=r["company"] or "",
        title=r["title"] or "",
        segment=r["segment"] or "",
        tags=tuple(r["tags"].split(TAG_SEP)) if r["tags"] else (),
        phone=r["phone"] or "",
        email=r["email"] or "",
        last_touch_at=from_stored(r["last_touch_at"]),
        follow_up_on=date.fromisoformat(r["due_on"]) if r["due_on"] else None,
        invite_status=r["invite_status"] or "",
    )


class ContactsMixin(IdentifiersMixin):
    """Reading and writing contacts and their tags."""

    def _check_identity(
        self,
        fields: dict[str, Any],
        exclude_id: int | None = None,
        identifiers: Mapping[str, Labelled] | None = None,
    ) -> None:
        url = fields.get("linkedin_url")
        if url:
            other = self.one(
                "SELECT id, name FROM contacts WHERE linkedin_url = ? AND id IS NOT ?",
                (url, exclude_id),
            )
            if other:
                raise ConflictError(
                    f"LinkedIn URL {url} already belongs to contact {other['id']} ({other['name']})"
                )
        for kind in IDENTIFIER_KINDS:
            values = [v for v, _ in (identifiers or {}).get(kind, ())]
            if fields.get(kind):
                values.append(fields[kind])
            self.check_identifiers(kind, values, exclude_id)

    def add_contact(
        self,
        fields: dict[str, Any],
        tags: list[str] | tuple[str, ...] = (),
        at: str | None = None,
        identifiers: Mapping[str, Labelled] | None = None,
    ) -> int:
        """Insert a contact (fields already validated) and return its id. Its phones and
        emails are ``identifiers`` by kind (the primary first), else its ``phone`` and
        ``email`` fields with the default labels."""
        row = _clean(fields)
        if not row.get("name"):
            raise ValueError("a contact needs a name")
        created = at or stamp()
        with self.write():
            self._check_identity(row, identifiers=identifiers)
            sets = {
                kind: list((identifiers or {}).get(kind) or ())
                or ([(row[kind], DEFAULT_LABELS[kind])] if row.get(kind) else [])
                for kind in IDENTIFIER_KINDS
            }
            for kind, items in sets.items():
                row[kind] = items[0][0] if items else None
            row.update(created_at=created, updated_at=created)
            cursor = self.execute(
                f"INSERT INTO contacts ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                tuple(row.values()),
            )
            contact_id = int(cursor.lastrowid or 0)
            self.execute(
                "INSERT INTO contact_state (contact_id, stale) VALUES (?, 0)", (contact_id,)
            )
            self._replace_tags(contact_id, tags)
            for kind, items in sets.items():
                if items:
                    self.set_identifiers(contact_id, kind, items)
        return contact_id

    def update_contact(
        self,
        contact_id: int,
        fields: dict[str, Any],
        tags: list[str] | tuple[str, ...] | None = None,
        identifiers: Mapping[str, Labelled] | None = None,
    ) -> None:
        """Change the given fields (and the tags, when given) of one contact. A ``phone``
        or ``email`` field sets the primary (the others stay); ``identifiers`` by kind
        replace that kind's whole set."""
        row = _clean(fields)
        if "name" in row and not row["name"]:
            raise ValueError("a contact needs a name")
        with self.write():
            self.get_contact(contact_id)
            self._check_identity(row, exclude_id=contact_id, identifiers=identifiers)
            sets = dict(identifiers or {})
            for kind in IDENTIFIER_KINDS:
                if kind in row:
                    value = row.pop(kind)
                    if kind not in sets:
                        sets[kind] = self._with_primary(contact_id, kind, value)
            if row:
                row["updated_at"] = stamp()
                assignments = ", ".join(f"{k} = ?" for k in row)
                self.execute(
                    f"UPDATE contacts SET {assignments} WHERE id = ?", (*row.values(), contact_id)
                )
            for kind, items in sets.items():
                self.set_identifiers(contact_id, kind, list(items))
            if tags is not None:
                self._replace_tags(contact_id, tags)

    def _with_primary(self, contact_id: int, kind: str, value: str | None) -> list[tuple[str, str]]:
        """The contact's ``kind`` set with ``value`` as its primary: one it has moves
        first, a new one takes the old primary's place (and label), ``None`` drops the
        primary (the next one becomes primary)."""
        current = [(i.value, i.label) for i in self.identifiers_of(contact_id) if i.kind == kind]
        if value is None:
            return current[1:]
        for position, (existing, label) in enumerate(current):
            if existing == value:
                return [(value, label), *current[:position], *current[position + 1 :]]
        label = current[0][1] if current else DEFAULT_LABELS[kind]
        return [(value, label), *current[1:]]

    def _replace_tags(self, contact_id: int, tags: list[str] | tuple[str, ...]) -> None:
        self.execute("DELETE FROM tags WHERE contact_id = ?", (contact_id,))
        clean = sorted({kept for t in tags if (kept := tag_text(t))})
        self.conn.executemany(
            "INSERT INTO tags (contact_id, tag) VALUES (?, ?)", [(contact_id, t) for t in clean]
        )

    def delete_contact(self, contact_id: int) -> None:
        with self.write():
            self.get_contact(contact_id)
            self.execute("DELETE FROM contacts WHERE id = ?", (contact_id,))

    def get_contact(self, contact_id: int) -> Contact:
        row = self.one(CONTACT_SELECT + " WHERE c.id = ?", (contact_id,))
        if row is None:
            raise NotFoundError(f"no contact with id {contact_id}")
        return contact_from_row(row)

    def contacts_by_ids(self, ids: list[int]) -> dict[int, Contact]:
        found: dict[int, Contact] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.rows(CONTACT_SELECT + f" WHERE c.id IN ({marks})", chunk):
                found[row["id"]] = contact_from_row(row)
        return found

    def find_contacts(self, ref: str, region: str) -> list[Contact]:
        """Every contact a reference could mean: id, name, URL, phone or email."""
        text = ref.strip()
        if not text:
            return []
        if text.isdigit() and len(text) < 19:  # longer cannot be an id (SQLite's 64 bits)
            row = self.one(CONTACT_SELECT + " WHERE c.id = ?", (int(text),))
            if row:
                return [contact_from_row(row)]
        by_identifier = "SELECT contact_id FROM contact_identifiers WHERE kind = ? AND value = ?"
        clauses: list[tuple[str, tuple[Any, ...]]] = [
            ("SELECT id FROM contacts WHERE name = ? COLLATE NOCASE", (text,))
        ]
        if "linkedin.com" in text.lower():
            with contextlib.suppress(UsageError):
                url = normalize_linkedin(text)
                clauses.append(("SELECT id FROM contacts WHERE linkedin_url = ?", (url,)))
        if "@" in text:
            with contextlib.suppress(UsageError):
                clauses.append((by_identifier, ("email", normalize_email(text))))
        if looks_like_phone(text):
            phone = try_phone(text, region)
            if phone:
                clauses.append((by_identifier, ("phone", phone)))
        ids = " UNION ".join(clause for clause, _ in clauses)
        params = tuple(p for _, ps in clauses for p in ps)
        rows = self.rows(CONTACT_SELECT + f" WHERE c.id IN ({ids}) ORDER BY c.id", params)
        return [contact_from_row(r) for r in rows]

    def contacts_by_name_start(self, text: str, limit: int = 11) -> list[Contact]:
        """Contacts whose first name is ``text`` or whose name starts with it (case
        aside), by id: what a reference by first name or a name's start could mean."""
        typed = text.strip()
        escaped = typed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self.rows(
            CONTACT_SELECT + " WHERE c.first_name = ? COLLATE NOCASE"
            " OR c.name LIKE ? ESCAPE '\\' ORDER BY c.id LIMIT ?",
            (typed, escaped + "%", limit),
        )
        return [contact_from_row(r) for r in rows]

    def count_names_containing(self, text: str) -> int:
        """How many contacts' names contain ``text`` (case aside)."""
        typed = text.strip()
        escaped = typed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        found = self.scalar(
            "SELECT count(*) FROM contacts WHERE name LIKE ? ESCAPE '\\'", (f"%{escaped}%",)
        )
        return int(found or 0)

    def _list_where(self, tag: str = "", segment: str = "") -> tuple[str, list[Any]]:
        clauses, params = [], []
        if tag:
            clauses.append("EXISTS (SELECT 1 FROM tags t WHERE t.contact_id = c.id AND t.tag = ?)")
            params.append(tag)
        if segment:
            clauses.append("c.segment = ?")
            params.append(segment)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def count_contacts(self, tag: str = "", segment: str = "") -> int:
        where, params = self._list_where(tag, segment)
        return int(self.scalar(f"SELECT count(*) FROM contacts c{where}", params) or 0)

    def _list_sql(self, where: str, sort: str, descending: bool, page: bool = True) -> str:
        order = SORTABLE.get(sort, SORTABLE["name"])
        direction = "DESC" if descending else "ASC"
        empty_last = "" if sort in NEVER_NULL else f"{order} IS NULL, "
        return f"""
            SELECT c.id, c.name, c.company, c.title, c.segment, c.phone, c.email,
                   s.last_touch_at, s.invite_status, f.due_on,
                   (SELECT group_concat(tag, '{TAG_SEP}') FROM
                       (SELECT tag FROM tags t WHERE t.contact_id = c.id ORDER BY tag)) AS tags
            FROM contacts c
            LEFT JOIN contact_state s ON s.contact_id = c.id
            LEFT JOIN follow_ups f ON f.contact_id = c.id
            {where}
            ORDER BY {empty_last}{order} {direction}, c.id {direction}
            {"LIMIT ? OFFSET ?" if page else ""}
        """

    def contact_position(
        self,
        contact_id: int,
        search: str = "",
        tag: str = "",
        segment: str = "",
        sort: str = "name",
        descending: bool = False,
    ) -> int | None:
        """Where ``contact_id`` is in the contacts list filtered and sorted so (0 is the
        first row), or ``None`` when the list does not hold it. Reads ids only, in the
        list's own order, as far as the contact. A searched list is ranked by the search
        (``tracker.search``), not sorted here: ``None``."""
        if search.strip():
            return None
        where, params = self._list_where(tag, segment)
        sql = self._list_sql(where, sort, descending, page=False)
        cursor = self.conn.execute(f"SELECT id FROM ({sql})", params)
        try:
            for index, (found,) in enumerate(cursor):
                if found == contact_id:
                    return index
            return None
        finally:
            cursor.close()

    def list_query_plan(self, sort: str = "name", descending: bool = False) -> list[str]:
        """``EXPLAIN QUERY PLAN`` of one unfiltered page of the contacts list."""
        sql = self._list_sql("", sort, descending)
        return [row[3] for row in self.execute(f"EXPLAIN QUERY PLAN {sql}", [1, 0])]

    def list_contacts(
        self,
        tag: str = "",
        segment: str = "",
        sort: str = "name",
        descending: bool = False,
        limit: int = 200,
        offset: int = 0,
    ) -> list[ContactRow]:
        """One page of the contacts list, filtered and sorted in SQL."""
        where, params = self._list_where(tag, segment)
        sql = self._list_sql(where, sort, descending)
        return [_contact_row(r) for r in self.rows(sql, [*params, limit, offset])]

    def contact_rows(
        self, contact_ids: Sequence[int], sort: str = "id", descending: bool = False
    ) -> list[ContactRow]:
        """The contacts list's rows of the given contacts, sorted by ``sort``."""
        found: list[ContactRow] = []
        ids = list(contact_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            where = f"WHERE c.id IN ({','.join('?' * len(chunk))})"
            found += [
                _contact_row(r)
                for r in self.rows(self._list_sql(where, sort, descending, False), chunk)
            ]
        return found

    def all_tags(self) -> list[str]:
        return [r["tag"] for r in self.rows("SELECT DISTINCT tag FROM tags ORDER BY tag")]
