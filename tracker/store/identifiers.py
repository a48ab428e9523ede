"""A contact's phones and emails (``contact_identifiers``): each labelled, one primary of
each kind, the primary mirrored in ``contacts.phone``/``contacts.email`` so whatever reads
the primary (the review, the coach, exports) reads one column. A value belongs to one
contact only (a unique index says so)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from tracker.errors import ConflictError
from tracker.identity import better_split, claim_note_identifiers
from tracker.models import IDENTIFIER_KINDS, Identifier, Label
from tracker.store.base import StoreBase
from tracker.timeutil import stamp

_SELECT = "SELECT contact_id, kind, value, label, is_primary FROM contact_identifiers"
_ORDER = "ORDER BY contact_id, kind, is_primary DESC, id"
_INSERT = (
    "INSERT INTO contact_identifiers (contact_id, kind, value, label, is_primary)"
    " VALUES (?, ?, ?, ?, ?)"
)
IdentifierRow = tuple[int, str, str, str, bool]
"""``(contact_id, kind, value, label, is_primary)``, as an import adds them."""


def _kind(kind: str) -> str:
    if kind not in IDENTIFIER_KINDS:
        raise ValueError(f"unknown identifier kind {kind!r}")
    return kind


class IdentifiersMixin(StoreBase):
    """Reading and writing a contact's labelled phones and emails."""

    def identifiers_for(self, ids: Sequence[int]) -> dict[int, list[Identifier]]:
        """Each contact's identifiers, phones then emails, the primary first."""
        found: dict[int, list[Identifier]] = {}
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            for cid, kind, value, label, primary in self.execute(
                f"{_SELECT} WHERE contact_id IN ({marks}) {_ORDER}", chunk
            ):
                found.setdefault(cid, []).append(Identifier(kind, value, label, bool(primary)))
        return found

    def identifiers_of(self, contact_id: int) -> list[Identifier]:
        return self.identifiers_for([contact_id]).get(contact_id, [])

    def all_identifiers(self) -> Iterator[tuple[int, str, str]]:
        """``(contact_id, kind, value)`` of every identifier (an import's index)."""
        yield from self.execute("SELECT contact_id, kind, value FROM contact_identifiers")

    def identifier_owner(
        self, kind: str, value: str, exclude_id: int | None = None
    ) -> dict[str, Any] | None:
        """The contact (``id``, ``name``) holding ``value``, other than ``exclude_id``."""
        return self.one(
            "SELECT c.id, c.name FROM contact_identifiers i JOIN contacts c"
            " ON c.id = i.contact_id WHERE i.kind = ? AND i.value = ? AND i.contact_id IS NOT ?",
            (_kind(kind), value, exclude_id),
        )

    def check_identifiers(
        self, kind: str, values: Iterable[str], exclude_id: int | None = None
    ) -> None:
        """``ConflictError`` naming the contact that already holds one of ``values``."""
        for value in values:
            other = self.identifier_owner(kind, value, exclude_id)
            if other:
                raise ConflictError(
                    f"{kind} {value} already belongs to contact {other['id']} ({other['name']})"
                )

    def set_identifiers(self, contact_id: int, kind: str, items: Sequence[tuple[str, str]]) -> None:
        """Replace the contact's ``kind`` identifiers by ``items`` (``(value, label)``, the
        primary first); ``ConflictError`` when another contact holds one of them."""
        with self.write():
            self.check_identifiers(kind, [value for value, _ in items], contact_id)
            self.execute(
                "DELETE FROM contact_identifiers WHERE contact_id = ? AND kind = ?",
                (contact_id, _kind(kind)),
            )
            self.conn.executemany(
                _INSERT,
                [
                    (contact_id, kind, value, label, int(position == 0))
                    for position, (value, label) in enumerate(items)
                ],
            )
            self.mirror_primary(contact_id, kind)

    def add_identifiers(self, rows: Sequence[IdentifierRow], mirror: bool = True) -> None:
        """Add identifiers (already checked to be nobody else's). A primary is mirrored in
        its contact's row unless ``mirror`` is false (the row was written holding it)."""
        if not rows:
            return
        with self.write():
            self.conn.executemany(
                _INSERT, [(cid, _kind(k), v, label, int(p)) for cid, k, v, label, p in rows]
            )
            if mirror:
                for cid, kind in sorted({(r[0], r[1]) for r in rows if r[4]}):
                    self.mirror_primary(cid, kind)

    def mirror_primary(self, contact_id: int, kind: str) -> None:
        """Copy the contact's primary ``kind`` (or NULL) into its row."""
        primary = (
            "(SELECT value FROM contact_identifiers WHERE contact_id = ? AND kind = ?"
            " AND is_primary = 1)"
        )
        self.execute(
            f"UPDATE contacts SET {_kind(kind)} = {primary}, updated_at = ?"
            f" WHERE id = ? AND {kind} IS NOT {primary}",
            (contact_id, kind, stamp(), contact_id, contact_id, kind),
        )

    # -- the upgrade to several identifiers (m006) -------------------------------------
    def claim_identifiers_in_notes(self, region: str) -> int:
        """Turn the "Other phones: ..." / "Other emails: ..." note lines earlier imports
        wrote into identifiers (labelled ``other``), contact by contact in id order, where
        no other contact holds the value; those stay in the notes. Returns how many
        identifiers were added. Runs inside the upgrade's transaction."""
        added = 0
        rows = self.rows(
            "SELECT id, notes FROM contacts WHERE notes LIKE '%Other phones:%'"
            " OR notes LIKE '%Other emails:%' ORDER BY id"
        )
        for row in rows:
            contact_id = row["id"]

            def claim(kind: str, value: str, contact_id: int = contact_id) -> bool:
                nonlocal added
                owner = self.scalar(
                    "SELECT contact_id FROM contact_identifiers WHERE kind = ? AND value = ?",
                    (kind, value),
                )
                if owner is not None:
                    return bool(owner == contact_id)
                has_primary = self.scalar(
                    "SELECT 1 FROM contact_identifiers WHERE contact_id = ? AND kind = ?",
                    (contact_id, kind),
                )
                self.add_identifiers(
                    [(contact_id, kind, value, Label.OTHER.value, has_primary is None)]
                )
                added += 1
                return True

            notes = claim_note_identifiers(row["notes"], region, claim)
            if notes != row["notes"]:
                self.execute(
                    "UPDATE contacts SET notes = ? WHERE id = ?", (notes or None, contact_id)
                )
        return added

    def resplit_names(self) -> int:
        """First and last names an earlier version split word by word ("Dr." for "Dr. Jane
        Smith", "Smith," for "Smith, John"), split again; names typed in are left alone."""
        changes = []
        for cid, name, first, last in self.execute(
            "SELECT id, name, first_name, last_name FROM contacts"
        ):
            better = better_split(name, first or "", last or "")
            if better is not None:
                changes.append((better[0] or None, better[1] or None, cid))
        self.conn.executemany(
            "UPDATE contacts SET first_name = ?, last_name = ? WHERE id = ?", changes
        )
        return len(changes)
