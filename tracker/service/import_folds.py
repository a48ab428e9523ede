"""The summaries of the contacts an import creates, and the facts of their messages,
folded from their touch rows as the rows stream past, so nothing is read back; and which
other contacts' summaries (and facts) go stale.

A contact created by this import has no history but what the import adds, so its summary
is folded from the rows (``HistoryFold`` keeps only what the summary reads), and so are
the facts of its messages (``ReplyFold``: a fact is ready once its reply is known, the
few still open when the contact is summarized). The reply fold needs a contact's rows in
order and checks it; the summary's then takes each row unchecked (``add_next``). Where
the folds cannot be sure (a row older than one already folded, or rows the store may not
have taken), the contact is left to a refresh from the store at the end (``unsure``):
the summaries and facts are exactly those a full refresh writes.

Memory stays flat whatever the file holds: the folds together keep at most ``FOLD_ROWS``
rows. When the rows folded since the last look fill that room, every fold is cut down to
its essential rows; if even those are too many (a backup with tens of thousands of
people), the folds of the first contacts are dropped and those contacts are summarized
from the store at the end instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from tracker.history import HistoryFold
from tracker.models import ContactState
from tracker.replies import FACT_WIDTH, ReplyFold

Adder = Callable[[tuple[Any, ...]], bool]

FOLD_STEP = 32
"""Rows a fold gains between two cuts down to its essential rows: cutting down sorts and
walks all the fold holds, so half as often (the history's own fold cuts every 16) costs
a fifth less per row, for a few MB more at a few thousand contacts."""
FOLD_ROWS = 150_000
"""Rows the folds may hold at once (about 300 bytes each: the time and text of a touch)."""


class ImportFolds:
    """The folds of one import's new contacts, and the contacts to refresh instead."""

    def __init__(self, first_new_contact: int):
        self.first_new = first_new_contact
        """Contacts from this id on were created by this import."""
        self.folds: dict[int, HistoryFold] = {}
        self.messages: dict[int, ReplyFold] = {}
        """The reply folds of the contacts in ``folds`` (dropped with them)."""
        self.facts: list[Any] = []
        """Facts of new contacts' messages, ready and not taken yet (``take_facts``; flat,
        ``FACT_WIDTH`` values each): the reply folds' sink, so it is only ever emptied
        in place."""
        self.unsure: set[int] = set()
        """New contacts whose summary must be read back from the store."""
        self.stale: set[int] = set()
        """Every contact that gained a touch (the new ones among them too)."""
        self._adders: dict[int, tuple[Adder, Adder]] = {}
        """The ``add`` of each contact's two folds (one look-up a row)."""
        self._folded = 0
        """Rows folded since the folds were last cut down."""
        self._room = FOLD_ROWS

    def fold_all(self, batch: Sequence[tuple[Any, ...]], first: int) -> None:
        """Fold the rows of ``batch`` (``TOUCH_COLUMNS`` order), numbered from ``first``."""
        adders, unsure, stale, first_new = self._adders, self.unsure, self.stale, self.first_new
        for touch_id, row in enumerate(batch, start=first):
            contact_id = row[0]
            adds = adders.get(contact_id)
            if adds is None:
                if contact_id < first_new or contact_id in unsure:
                    stale.add(contact_id)
                    continue
                adds = self._start(contact_id)
            # ``summarize`` never reads a touch's source, nor do the facts: none is kept.
            stored = (touch_id, *row[:10], None)
            # The reply fold checks the order first; only then does the summary's take
            # the row, without checking it again (``add_next``).
            if not (adds[1](stored) and adds[0](stored)):
                self.unsure_of(contact_id)
        self._folded += len(batch)
        if self._folded >= self._room:
            self._cut_down()

    def _start(self, contact_id: int) -> tuple[Adder, Adder]:
        """The folds of a new contact's first row."""
        fold = self.folds[contact_id] = HistoryFold(contact_id, FOLD_STEP)
        message = self.messages[contact_id] = ReplyFold(contact_id, self.facts)
        adds = self._adders[contact_id] = (fold.add_next, message.add)
        return adds

    def unsure_of(self, contact_id: int) -> None:
        """This contact's summary is to be read back from the store at the end."""
        self.stale.add(contact_id)
        if contact_id >= self.first_new:
            self.unsure.add(contact_id)
            self.folds.pop(contact_id, None)
            self.messages.pop(contact_id, None)
            self._adders.pop(contact_id, None)

    def _cut_down(self) -> None:
        """Cut every fold that gained rows down to its essential rows; if they still
        hold more than half the room, drop folds (their contacts go ``unsure``)."""
        held = 0
        for fold in self.folds.values():
            if len(fold.rows) > fold.limit - fold.step:
                fold.compact()
            held += len(fold.rows)
        if held > FOLD_ROWS // 2:
            for contact_id in list(self.folds):
                held -= len(self.folds[contact_id].rows)
                self.unsure_of(contact_id)
                if held <= FOLD_ROWS // 2:
                    break
        self._folded = 0
        self._room = FOLD_ROWS - held

    def take_facts(self) -> list[Any]:
        """The facts ready since the last call (flat, as the folds give them), but those
        of contacts that went ``unsure`` since (their refresh from the store writes
        theirs)."""
        found = self.facts[:]
        self.facts.clear()
        unsure = self.unsure
        if unsure and found:
            width = FACT_WIDTH
            kept: list[Any] = []
            for start in range(0, len(found), width):
                if found[start + 1] not in unsure:
                    kept += found[start : start + width]
            return kept
        return found

    def summaries(
        self, new_contacts: Iterable[int], chunk: int = 1000
    ) -> Iterator[tuple[list[ContactState], list[int]]]:
        """The folded summaries of the new contacts that are not ``unsure``, and those
        of them without any touch (their summary is the empty one), ``chunk`` contacts
        at a time (each fold is let go once summarized); the facts of their messages
        still open are left ready for ``take_facts``."""
        ids = sorted(set(new_contacts) - self.unsure)
        for start in range(0, len(ids), chunk):
            states = []
            empty = []
            for contact_id in ids[start : start + chunk]:
                fold = self.folds.pop(contact_id, None)
                self._adders.pop(contact_id, None)
                if fold is None:
                    empty.append(contact_id)
                else:
                    states.append(fold.summary())
                    self.messages.pop(contact_id).finish()  # into ``facts``
            yield states, empty
