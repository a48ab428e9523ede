"""What an import is asked to do and what it reports: options, progress, the summary.

Shared by the importers (which fill the summary), the service (which writes what they
read) and the CLI and app (which show it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from tracker.me import Me
from tracker.words import counted, plural

ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while a file is read (units are the importer's own,
bytes for SMS backups, records elsewhere); ``total`` may grow when a folder is read. It may
raise (``CancelledError`` when the user stops the import): the file's one transaction is
then rolled back, so nothing of that file is saved."""


@dataclass(frozen=True)
class ImportOptions:
    """What the user chose besides the path."""

    dry_run: bool = False
    create_contacts: bool = False
    me: str = ""
    """The user's own LinkedIn profile URL, when the export cannot tell (``run_import``
    sets it from ``rep``)."""
    me_values: tuple[str, ...] = ()
    """``--me`` values as typed: addresses, numbers, a profile URL or names."""
    rep: Me = Me()
    """Who the user is: ``[me]`` with ``me_values`` added (``run_import`` fills it)."""
    column_map: tuple[tuple[str, str], ...] = ()
    """Contacts CSV: ``(column, field)`` pairs that override or replace a detected layout."""


@dataclass
class ImportSummary:
    """What an import did (or, in a dry run, would do)."""

    path: str
    format: str
    dry_run: bool = False
    records: int = 0
    """Records read (a row, a message, a card, a line a chat export wrote): each one is
    ``added`` or ``skipped`` with a reason, so the two always add up to this. A record
    that cannot be read at all refuses the whole file instead (nothing is written)."""
    added: int = 0
    """Records that added something: a touch, a contact, a field of one."""
    contacts_added: int = 0
    contacts_updated: int = 0
    touches_added: int = 0
    invitations_accepted: int = 0
    opted_out: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    """Records not imported, by reason."""
    dropped: Counter[str] = field(default_factory=Counter)
    """Field values left out (an invalid phone, an identifier another contact has)."""
    shared: list[str] = field(default_factory=list)
    """Each phone or email that stayed with the contact who had it and was noted on
    another ("phone +13125550100: kept with Alice (#1), noted on Bob (#2)")."""
    unmatched: Counter[str] = field(default_factory=Counter)
    """People in the file who match no contact, by what they were known by
    (``address``, ``number``, ``name``): what ``--create-contacts`` would add."""
    meetings: Counter[str] = field(default_factory=Counter)
    """Scheduled meetings a calendar changed: ``moved``, ``removed (cancelled)``."""
    remembered: list[str] = field(default_factory=list)
    """What this import added to ``[me]`` in config.toml ("emails sam@example.com")."""
    repaired: dict[str, tuple[int, ...]] = field(default_factory=dict)
    """Lines of a UTF-8 file that were not UTF-8 and were read as Windows-1252, by file."""

    def note_repaired(self, name: str, lines: tuple[int, ...]) -> None:
        """Lines of the file ``name`` were repaired (read as Windows-1252)."""
        if lines:
            self.repaired[name] = lines

    @property
    def changed(self) -> bool:
        return bool(
            self.contacts_added
            or self.contacts_updated
            or self.touches_added
            or self.invitations_accepted
            or self.opted_out
            or self.meetings
        )

    def lines(self) -> list[str]:
        """The summary as a few lines of text for a terminal or a screen."""
        head = f"{self.path}: {self.format}, {plural(self.records, 'record')} read"
        if self.records:
            head += f" ({self.added:,} added, {sum(self.skipped.values()):,} skipped)"
        if self.dry_run:
            head += " (dry run: nothing was written)"
        out = [
            head,
            f"contacts: {self.contacts_added:,} added, {self.contacts_updated:,} updated",
            f"touches: {self.touches_added:,} added",
        ]
        if self.invitations_accepted:
            out.append(f"invitations: {self.invitations_accepted:,} marked accepted")
        if self.opted_out:
            out.append(f"opt-outs: {self.opted_out:,} recorded (STOP)")
        if self.meetings:
            out.append("meetings ahead: " + _counts(self.meetings))
        if self.skipped:
            out.append("skipped: " + _counts(self.skipped))
        if self.dropped:
            out.append("fields left out: " + _counts(self.dropped))
        if self.unmatched:
            people = ", ".join(
                plural(n, kind) for kind, n in sorted(self.unmatched.items(), key=_by_count)
            )
            out.append(f"matching no contact: {people} (--create-contacts adds them)")
        out.extend(f"shared {case}" for case in self.shared)
        if self.repaired:
            out.append("lines repaired from Windows-1252: " + self._repaired())
        if self.remembered:
            verb = "would remember" if self.dry_run else "remembered"
            out.append(f"{verb} in [me] (config.toml): {'; '.join(self.remembered)}")
        return out

    def adds(self) -> str:
        """What the import added (or would add), in a few words: "7 contacts, 8 touches"."""
        parts = []
        if self.contacts_added:
            parts.append(plural(self.contacts_added, "contact"))
        if self.touches_added:
            parts.append(plural(self.touches_added, "touch"))
        if self.contacts_updated:
            parts.append(f"{self.contacts_updated:,} updated")
        if self.invitations_accepted:
            parts.append(f"{self.invitations_accepted:,} accepted")
        return ", ".join(parts) or "nothing new"

    def _repaired(self) -> str:
        """``14, 27`` for one file; ``a.csv 14, 27; b.csv 3`` for several (at most
        ``SHOWN_LINES`` numbers each, then how many more)."""
        parts = []
        for name, lines in self.repaired.items():
            text = ", ".join(str(n) for n in lines[:SHOWN_LINES])
            if len(lines) > SHOWN_LINES:
                text += f" and {len(lines) - SHOWN_LINES} more"
            parts.append(text if len(self.repaired) == 1 else f"{_base(name)} {text}")
        return "; ".join(parts)


SHOWN_LINES = 20
"""Repaired line numbers listed per file before "and N more"."""


def _base(name: str) -> str:
    return name.replace("\\", "/").rsplit("/", 1)[-1]


def _counts(counter: Counter[str]) -> str:
    """``4 numbers matching no contact, 1 draft``: each reason counted, in words."""
    return ", ".join(counted(n, reason) for reason, n in sorted(counter.items(), key=_by_count))


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return (-item[1], item[0])
