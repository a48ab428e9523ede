"""The search index (schema step m009) and the queries that read it.

``touch_search`` (FTS5 over ``touches.text``) is kept by triggers. ``contact_search``
holds one document per contact, drawn from ``contacts``, ``tags`` and
``contact_identifiers``: triggers on those list the contacts that changed in
``search_stale``, and ``flush_search`` rebuilds their documents just before each write
transaction commits (``StoreBase.write``), so whatever path wrote them (a form, an
import in bulk, a merge, an undo) the index is current when the write is, and a contact
written many times in one transaction is indexed once.

A phone is indexed as its E.164 digits and each of their endings of
``PHONE_MIN_DIGITS`` digits or more (``14155550123 4155550123 ... 5550123``), so a
number typed without its country or area code is one index lookup; digits typed in a
word of text are never looked for among phones. The LinkedIn column holds the profile's
slug only (every URL would match "linkedin").

A bulk load of touches (``bulkload``) puts the touch index's insert trigger aside and
writes the load's texts into the index a batch at a time (one ``INSERT ... SELECT`` on
the import's writer thread after each batch), then puts the trigger back; FTS5 merges
none of its segments meanwhile (``automerge`` 0, then as before). Row by row through the
trigger, with merging as it goes, the index cost about half the load; this way it costs
a third less. What it holds is the same either way. Rows a load removes as repeats are
in the index by then, and leave it through the delete trigger.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from tracker.identity import LINKEDIN_PREFIX, PHONE_MIN_DIGITS
from tracker.store.base import StoreBase
from tracker.store.bulkload import DEFERRALS, Deferral

FTS5_AUTOMERGE = 4
"""FTS5's own default ``automerge`` (what an index without the setting uses)."""
CONTACT_WEIGHTS = (10.0, 4.0, 3.0, 3.0, 1.0, 4.0, 2.0, 4.0)
"""BM25 weight of each ``contact_search`` column: a word in the name counts most."""
MAX_E164_DIGITS = 15


def _phone_endings(column: str) -> str:
    """SQL for a stored E.164 number's digits and its endings of ``PHONE_MIN_DIGITS``
    digits or more, space-separated."""
    parts = [f"substr({column}, 2)"]
    for skip in range(1, MAX_E164_DIGITS - PHONE_MIN_DIGITS + 1):
        shortest = 1 + skip + PHONE_MIN_DIGITS  # "+", the digits skipped, the ending
        parts.append(
            f"CASE WHEN length({column}) >= {shortest} THEN ' ' || substr({column}, {2 + skip})"
            " ELSE '' END"
        )
    return " || ".join(parts)


CONTACT_DOCUMENTS = f"""
INSERT INTO contact_search (rowid, name, company, title, tags, notes, emails, linkedin, phones)
SELECT c.id, c.name, c.company, c.title,
    (SELECT group_concat(tag, ' ') FROM tags t WHERE t.contact_id = c.id),
    c.notes,
    (SELECT group_concat(value, ' ') FROM contact_identifiers i
        WHERE i.contact_id = c.id AND i.kind = 'email'),
    CASE WHEN substr(c.linkedin_url, 1, {len(LINKEDIN_PREFIX)}) = '{LINKEDIN_PREFIX}'
        THEN substr(c.linkedin_url, {len(LINKEDIN_PREFIX) + 1}) ELSE c.linkedin_url END,
    (SELECT group_concat({_phone_endings("value")}, ' ') FROM contact_identifiers i
        WHERE i.contact_id = c.id AND i.kind = 'phone')
FROM contacts c WHERE c.id IN (SELECT contact_id FROM search_stale)
"""
"""Writes the documents of the contacts listed in ``search_stale``."""


_INSERT_TRIGGER = "touches_search_insert"


def _set_aside(conn: sqlite3.Connection) -> tuple[str, Any] | None:
    """As a bulk load begins: the touch index's insert trigger dropped, and no merging of
    its segments. Returns the trigger's SQL and the ``automerge`` setting the index had
    (``None``: none, FTS5's default), or ``None`` when the file has no search index."""
    found = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (_INSERT_TRIGGER,)
    ).fetchone()
    if found is None:
        return None
    row = conn.execute("SELECT v FROM touch_search_config WHERE k = 'automerge'").fetchone()
    conn.execute(f"DROP TRIGGER {_INSERT_TRIGGER}")
    conn.execute("INSERT INTO touch_search (touch_search, rank) VALUES ('automerge', 0)")
    return found[0], (row[0] if row else None)


def _index_from(conn: sqlite3.Connection, first_id: int, saved: tuple[str, Any] | None) -> None:
    """Index the text of the touches from ``first_id`` on, as the trigger would have."""
    if saved is not None:
        conn.execute(
            "INSERT INTO touch_search (rowid, text) SELECT id, text FROM touches"
            " WHERE id >= ? AND text <> ''",
            (first_id,),
        )


def _put_back(conn: sqlite3.Connection, saved: tuple[str, Any] | None) -> None:
    """As the load ends: the trigger back, and the ``automerge`` setting as it was (no
    row when it had none; FTS5's cached settings follow the special insert)."""
    if saved is None:
        return
    trigger, before = saved
    conn.execute(trigger)
    conn.execute(
        "INSERT INTO touch_search (touch_search, rank) VALUES ('automerge', ?)",
        (FTS5_AUTOMERGE if before is None else before,),
    )
    if before is None:
        conn.execute("DELETE FROM touch_search_config WHERE k = 'automerge'")


DEFERRALS.append(Deferral("touch search index", _set_aside, _index_from, _put_back))


def _within(tag: str, segment: str) -> tuple[str, list[str]]:
    """SQL (`` AND ...`` on a contact's ``rowid``) keeping to a tag and a segment."""
    where, params = "", []
    if tag:
        where += " AND rowid IN (SELECT contact_id FROM tags WHERE tag = ?)"
        params.append(tag)
    if segment:
        where += " AND rowid IN (SELECT id FROM contacts WHERE segment = ?)"
        params.append(segment)
    return where, params


class SearchMixin(StoreBase):
    """Keeping the contact index current, and reading both indexes."""

    _search_index: bool | None = None

    def _has_search_index(self) -> bool:
        if self._search_index is None:
            self._search_index = (
                self.conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_stale'"
                ).fetchone()
                is not None
            )
        return self._search_index

    def _schema_changed(self) -> None:
        self._search_index = None

    def _before_commit(self) -> None:
        self.flush_search()

    def flush_search(self) -> int:
        """Rebuild the documents of the contacts listed as changed; returns how many."""
        if not self._has_search_index():
            return 0
        if self.conn.execute("SELECT 1 FROM search_stale LIMIT 1").fetchone() is None:
            return 0
        with self.write():
            self.execute(
                "DELETE FROM contact_search WHERE rowid IN (SELECT contact_id FROM search_stale)"
            )
            self.execute(CONTACT_DOCUMENTS)
            return self.execute("DELETE FROM search_stale").rowcount

    # -- reading ---------------------------------------------------------------------
    def search_contact_index(
        self, match: str, limit: int, tag: str = "", segment: str = ""
    ) -> list[tuple[int, float]]:
        """``(contact id, BM25)`` of contacts matching the FTS5 query ``match`` (with the
        tag ``tag`` and in ``segment``, when given), best first, at most ``limit``."""
        weights = ", ".join(str(w) for w in CONTACT_WEIGHTS)
        where, params = _within(tag, segment)
        return [
            (int(cid), float(score))
            for cid, score in self.execute(
                f"SELECT rowid, bm25(contact_search, {weights}) AS score FROM contact_search"
                f" WHERE contact_search MATCH ?{where} ORDER BY score LIMIT ?",
                (match, *params, limit),
            )
        ]

    def filter_contacts(self, contact_ids: Sequence[int], tag: str, segment: str) -> list[int]:
        """The contacts among ``contact_ids`` with the tag ``tag`` and in ``segment``."""
        found: list[int] = []
        where, params = _within(tag, segment)
        for start in range(0, len(contact_ids), 500):
            chunk = list(contact_ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            found += [
                r[0]
                for r in self.execute(
                    f"SELECT id FROM contacts WHERE id IN ({marks}){where}",
                    (*chunk, *params),
                )
            ]
        return found

    def search_touch_index(self, match: str, window: int) -> list[tuple[Any, ...]]:
        """``(touch id, contact id, stored time, channel, BM25)`` of the last ``window``
        touches recorded whose text matches the FTS5 query ``match`` (newest id first:
        reading stops there, where ranking every match would read them all)."""
        return self.execute(
            "SELECT t.id, t.contact_id, t.at, t.channel, m.score FROM"
            " (SELECT rowid AS id, bm25(touch_search) AS score FROM touch_search"
            "  WHERE touch_search MATCH ? ORDER BY rowid DESC LIMIT ?) m"
            " JOIN touches t ON t.id = m.id",
            (match, window),
        ).fetchall()

    def contacts_starting(
        self, initial: str, limit: int, tag: str = "", segment: str = ""
    ) -> list[int]:
        """Contacts whose name starts with ``initial`` (one letter or digit, case ignored),
        in name order, at most ``limit`` (read along the name index)."""
        where, params = _within(tag, segment)
        return [
            r[0]
            for r in self.execute(
                f"SELECT id FROM contacts WHERE name LIKE ?{where}"
                " ORDER BY name COLLATE NOCASE, id LIMIT ?",
                (initial + "%", *params, limit),
            )
        ]

    def contacts_named(self, name: str) -> list[int]:
        """Contacts whose name is ``name`` (case ignored)."""
        sql = "SELECT id FROM contacts WHERE name = ? COLLATE NOCASE"
        return [r[0] for r in self.execute(sql, (name,))]

    def search_fields(self, contact_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """What search reads of each contact: name, company, title, notes, LinkedIn URL,
        and its tags, emails and phones as lists."""
        found: dict[int, dict[str, Any]] = {}
        ids = sorted(set(contact_ids))
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.rows(
                "SELECT id, name, company, title, notes, linkedin_url FROM contacts"
                f" WHERE id IN ({marks})",
                chunk,
            ):
                found[row["id"]] = {**row, "tags": [], "email": [], "phone": []}
            for cid, tag in self.execute(
                f"SELECT contact_id, tag FROM tags WHERE contact_id IN ({marks}) ORDER BY tag",
                chunk,
            ):
                found[cid]["tags"].append(tag)
            for cid, kind, value in self.execute(
                "SELECT contact_id, kind, value FROM contact_identifiers"
                f" WHERE contact_id IN ({marks}) ORDER BY is_primary DESC, id",
                chunk,
            ):
                found[cid][kind].append(value)
        return found

    def touch_texts(self, touch_ids: Sequence[int]) -> dict[int, str]:
        """The text of each of the given touches, by id."""
        found: dict[int, str] = {}
        ids = list(touch_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for tid, text in self.execute(
                f"SELECT id, text FROM touches WHERE id IN ({marks})", chunk
            ):
                found[tid] = text or ""
        return found

    def touches_with_text(self, contact_ids: Sequence[int], limit: int) -> list[dict[str, Any]]:
        """The touches with text of the given contacts, newest first, at most ``limit``."""
        if not contact_ids:
            return []
        marks = ",".join("?" * len(contact_ids))
        return self.rows(
            "SELECT id, contact_id, at, channel, text FROM touches"
            f" WHERE contact_id IN ({marks}) AND text <> '' ORDER BY at DESC, id DESC LIMIT ?",
            [*contact_ids, limit],
        )

    def contacts_by_identifier(self, kind: str, value: str) -> list[int]:
        """Contacts holding this phone, email (``kind``) or LinkedIn URL (``linkedin``)."""
        if kind == "linkedin":
            sql = "SELECT id FROM contacts WHERE linkedin_url = ?"
            return [r[0] for r in self.execute(sql, (value,))]
        return [
            r[0]
            for r in self.execute(
                "SELECT contact_id FROM contact_identifiers WHERE kind = ? AND value = ?",
                (kind, value),
            )
        ]
