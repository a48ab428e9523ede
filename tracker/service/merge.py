"""Two contacts that are one person: the likely pairs (``duplicates``), merging one into
the other (``merge``), and the app's merge and delete with their exact undo.

A merge moves every touch (invitations are touches), follow-up, snooze, tag, phone and
email of OTHER to KEEP, fills KEEP's empty fields from OTHER, appends OTHER's notes, and
deletes OTHER, in one transaction; KEEP's summary is recomputed at once, so a reply
logged on one now answers the other's items. Where both have one: the earlier follow-up
date stays, the later snooze of a kind stays, the later opt-out and opt-in stay (an
opt-out is never lost), and OTHER's different LinkedIn URL goes to the notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tracker.errors import UsageError
from tracker.identity import phones_in
from tracker.models import Contact, Kind
from tracker.service.base import ServiceBase
from tracker.service.edits import UndoStep
from tracker.store.merge import ContactSnapshot
from tracker.words import plural

if TYPE_CHECKING:  # the duplicate rules load when first asked for, not with the service
    from tracker.duplicates import Duplicate

_NEVER_FILLED = frozenset({"id", "name", "phone", "email", "notes", "updated_at"})
"""Contact columns a merge does not copy as they are: the identity, the primaries (moved
as identifiers), the notes (appended) and the moment of the change."""
_LATEST = ("sms_opt_in_at", "sms_opt_out_at", "linkedin_connected_on")
"""Columns where the later of the two values stays (ISO text compares in time order)."""


class _DryRun(Exception):
    """Raised inside the merge's transaction to roll a dry run back."""


@dataclass(frozen=True)
class MergeResult:
    """What a merge moved (or, in a dry run, would move) from ``other`` to ``keep``."""

    keep: Contact
    other: Contact
    dry_run: bool = False
    touches: int = 0
    invitations: int = 0
    follow_up: str = ""
    snoozes: int = 0
    tags: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    filled: tuple[str, ...] = ()
    notes: bool = False
    rows: dict[str, int] = field(default_factory=dict)
    """Rows moved from tables this module does not name (added by later features)."""

    def lines(self) -> list[str]:
        """What moved, as a few lines for a terminal or a screen."""
        keep, other = _who(self.keep), _who(self.other)
        head = f"{'would merge' if self.dry_run else 'merged'} {other} into {keep}"
        moved = [plural(self.touches, "touch")]
        if self.invitations:
            moved[0] += f" ({plural(self.invitations, 'invitation')})"
        if self.follow_up:
            moved.append(f"follow-up {self.follow_up}")
        if self.snoozes:
            moved.append(plural(self.snoozes, "snooze"))
        for what, values in (("tags", self.tags), ("phones", self.phones)):
            if values:
                moved.append(f"{what} {', '.join(values)}")
        if self.emails:
            moved.append(f"emails {', '.join(self.emails)}")
        moved.extend(f"{n} {table} rows" for table, n in sorted(self.rows.items()) if n)
        out = [head + (" (dry run: nothing was changed)" if self.dry_run else "")]
        if self.dry_run:
            out.append("would move: " + ", ".join(moved))
            if self.filled:
                out.append(f"would fill from {other}: {', '.join(self.filled)}")
            if self.notes:
                out.append(f"would append the notes of {other}")
            out.append(f"would delete {other}")
            return out
        out.append("moved: " + ", ".join(moved))
        if self.filled:
            out.append(f"filled from {other}: {', '.join(self.filled)}")
        if self.notes:
            out.append(f"appended the notes of {other}")
        out.append(f"deleted {other}")
        return out


def _who(contact: Contact) -> str:
    return f"#{contact.id} ({contact.name})"


class MergeMixin(ServiceBase):
    """Likely duplicates, merging, and deleting a contact with an exact undo."""

    # -- likely duplicates ---------------------------------------------------------
    def duplicates(self) -> list[Duplicate]:
        """Pairs of contacts that may be one person, each with the reason."""
        from tracker.duplicates import Someone, find_duplicates

        region = self.settings.default_region
        people = self.store.fillable_fields()
        held: dict[int, dict[str, set[str]]] = {}
        for contact_id, kind, value in self.store.all_identifiers():
            held.setdefault(contact_id, {}).setdefault(kind, set()).add(value)
        someone = [
            Someone(
                id=contact_id,
                name=row.get("name") or "",
                company=row.get("company") or "",
                linkedin_url=row.get("linkedin_url") or "",
                emails=frozenset(held.get(contact_id, {}).get("email", ())),
                phones=frozenset(held.get(contact_id, {}).get("phone", ())),
                note_phones=frozenset(phones_in(row.get("notes") or "", region)),
            )
            for contact_id, row in people.items()
        ]
        return find_duplicates(someone)

    def merge_candidates(self, contact_id: int) -> list[Duplicate]:
        """The likely duplicates of one contact (what the app offers to merge with)."""
        return [d for d in self.duplicates() if contact_id in d.ids]

    # -- merging -------------------------------------------------------------------
    def merge(self, keep: Contact, other: Contact, dry_run: bool = False) -> MergeResult:
        """Merge ``other`` into ``keep`` (see the module); with ``dry_run`` the same work
        is done and rolled back, so the result says exactly what would move."""
        result, _ = self._merge(keep.id, other.id, dry_run)
        return result

    def merge_into(self, keep_id: int, other_id: int) -> tuple[MergeResult, UndoStep]:
        """``merge`` for the app, with the undo that puts both contacts back exactly."""
        result, snapshots = self._merge(keep_id, other_id, False)
        return result, UndoStep(
            f"merge of {result.other.name} into {result.keep.name}",
            lambda t: t.store.restore_contacts(snapshots),
        )

    def remove_contact(self, contact_id: int) -> UndoStep:
        """Delete a contact and all recorded about them; the undo puts it all back."""
        snapshot = self.store.contact_snapshot(contact_id)
        name = snapshot.contact["name"]
        self.store.delete_contact(contact_id)
        return UndoStep(f"deleted {name}", lambda t: t.store.restore_contacts([snapshot]))

    def _merge(
        self, keep_id: int, other_id: int, dry_run: bool
    ) -> tuple[MergeResult, list[ContactSnapshot]]:
        if keep_id == other_id:
            raise UsageError(f"cannot merge contact {keep_id} with itself")
        store = self.store
        keep, other = store.get_contact(keep_id), store.get_contact(other_id)
        kept = store.contact_snapshot(keep_id, with_touches=False)
        gone = store.contact_snapshot(other_id)
        fill, filled, notes = self._fill(kept.contact, gone.contact)
        touches = gone.rows("touches")
        identifiers = gone.rows("contact_identifiers")
        follow_up = ""
        theirs, mine = other.follow_up_on, keep.follow_up_on
        if theirs is not None and (mine is None or theirs < mine):
            follow_up = theirs.isoformat()  # the earlier date stays
        snoozes = _rows(kept, "snoozes")
        moved_snoozes = [
            row
            for row in _rows(gone, "snoozes").values()
            if row["kind"] not in snoozes or row["until"] > snoozes[row["kind"]]["until"]
        ]
        try:
            with store.write():
                if follow_up:
                    store.clear_follow_up(keep_id)
                for row in moved_snoozes:
                    store.unsnooze(keep_id, Kind(row["kind"]))
                moved = store.merge_contacts(keep_id, other_id, fill)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        named = {"touches", "tags", "follow_ups", "snoozes", "contact_identifiers"}
        result = MergeResult(
            keep=keep,
            other=other,
            dry_run=dry_run,
            touches=len(touches),
            invitations=sum(
                1 for t in touches if t["channel"] == "linkedin_invite" and t["direction"] == "out"
            ),
            follow_up=follow_up,
            snoozes=len(moved_snoozes),
            tags=tuple(sorted(set(other.tags) - set(keep.tags))),
            phones=tuple(r["value"] for r in identifiers if r["kind"] == "phone"),
            emails=tuple(r["value"] for r in identifiers if r["kind"] == "email"),
            filled=filled,
            notes=notes,
            rows={t: n for t, n in moved.items() if t not in named and n},
        )
        return result, [kept, gone]

    def _fill(
        self, keep: dict[str, Any], other: dict[str, Any]
    ) -> tuple[dict[str, Any], tuple[str, ...], bool]:
        """KEEP's new column values, which fields were filled, and whether OTHER's notes
        were appended."""
        fill: dict[str, Any] = {}
        for column, value in other.items():
            if column in _NEVER_FILLED or value in (None, ""):
                continue
            mine = keep.get(column)
            if column in _LATEST:
                if mine is None or value > mine:
                    fill[column] = value
            elif column == "created_at":
                if value < mine:
                    fill[column] = value  # known since the earlier of the two
            elif mine in (None, ""):
                fill[column] = value
        filled = tuple(c for c in fill if c != "created_at")
        extra = []
        url, theirs = keep.get("linkedin_url"), other.get("linkedin_url")
        if url and theirs and url != theirs:
            extra.append(f"Other LinkedIn: {theirs}")
        mine = keep.get("notes") or ""
        notes = bool(other.get("notes")) and other["notes"] not in mine
        if notes:
            extra.append(other["notes"])
        if extra:
            fill["notes"] = "\n".join(line for line in (mine, *extra) if line)
        return fill, filled, notes


def _rows(snapshot: ContactSnapshot, table: str) -> dict[str, dict[str, Any]]:
    """A snapshot's rows of ``table`` by their ``kind`` (snoozes)."""
    return {row["kind"]: row for row in snapshot.rows(table)}
