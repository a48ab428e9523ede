"""The app's writes and the queue they refresh: ``write`` and ``report`` run a change in a
thread worker, hide the queue items it resolves at once, then show the fresh queue (the
header counts and the Today list update together) and say what was done; a refusal is
said instead, as an error. ``load_queue`` reads today's queue without a write.

``OutreachApp`` is built on this part (through ``AppActions``); ``app`` opens the
database this reads and writes.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import replace
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App
from textual.message import Message
from textual.reactive import reactive

from tracker.errors import TrackerError
from tracker.service.day import QueueSnapshot
from tracker.service.edits import UndoStep
from tracker.service.session import Session
from tracker.text import safe

if TYPE_CHECKING:
    from tracker.service import Tracker


def _newer(snapshot: QueueSnapshot, shown: QueueSnapshot) -> bool:
    """Whether ``snapshot`` is a later read than ``shown`` and says something else."""
    return snapshot.seq > shown.seq and replace(snapshot, seq=shown.seq) != shown


class QueueWrites(App[None]):
    """Writes, the queue shown, and what the app says about them."""

    queue: reactive[QueueSnapshot | None] = reactive(None, init=False)
    data_version: reactive[int] = reactive(0, init=False)
    hidden_version: reactive[int] = reactive(0, init=False)

    data: Session
    """The database open (the user's own, or the demo's)."""
    hidden: dict[int, tuple[str, ...]]
    """Keys of queue items a write in flight resolves, by the write's token."""
    _tokens: int
    _queue_asked: bool
    restored: str | None
    """The key of a queue item an undo brought back: Today puts its cursor there."""
    _undoing: tuple[int, frozenset[str]] | None
    """An undo in flight: its write's token and the queue's keys before it."""

    class Wrote(Message):
        def __init__(self, label: str, snapshot: QueueSnapshot | None, token: int) -> None:
            super().__init__()
            self.label, self.snapshot, self.token = label, snapshot, token

    class Refused(Message):
        def __init__(self, error: str, token: int) -> None:
            super().__init__()
            self.error, self.token = error, token

    def _read_queue(self, data: Session) -> None:
        """Today's queue, as a ``Wrote`` without a write (runs in a worker thread)."""
        try:
            snapshot = data.snapshot()
        except TrackerError as exc:
            self.post_message(self.Refused(str(exc), 0))
            return
        self.post_message(self.Wrote("", snapshot, 0))

    def load_queue(self) -> None:
        """Read today's queue unless it is here or on its way: the app opened on another
        screen reads it once that screen shows its own first rows (they come first)."""
        if self.queue is None and not self._queue_asked:
            self._queue_asked = True
            self._load_queue(self.data)

    @work(thread=True, group="write")
    def _load_queue(self, data: Session) -> None:
        self._read_queue(data)

    def write(
        self,
        label: str,
        job: Callable[[Tracker], UndoStep | None],
        hide: str | Collection[str] | None = None,
    ) -> None:
        """Run ``job`` off the event loop, then refresh the queue. ``hide`` is the key (or
        keys) of queue items the write resolves: they leave the list at once, before the
        disk."""
        self._write(label, job, self._hide(hide))

    def _hide(self, hide: str | Collection[str] | None) -> int:
        """A new write's token, with the queue items it hides meanwhile."""
        self._tokens += 1
        keys = (hide,) if isinstance(hide, str) else tuple(hide or ())
        if keys:
            self.hidden[self._tokens] = keys
            self.hidden_version += 1
        return self._tokens

    @work(thread=True, group="write")
    def _write(self, label: str, job: Callable[[Tracker], UndoStep | None], token: int) -> None:
        try:
            said = self.data.write(label, job)
        except TrackerError as exc:
            self.post_message(self.Refused(str(exc), token))
            return
        self.post_message(self.Wrote(said, self.data.snapshot(), token))

    def report(self, job: Callable[[], str], hide: Collection[str] = ()) -> int:
        """Run ``job`` (which says what it did) off the event loop; refresh the queue.
        ``hide``: as for ``write``. Returns the write's token."""
        token = self._hide(hide)
        self._report(job, token)
        return token

    @work(thread=True, group="write")
    def _report(self, job: Callable[[], str], token: int) -> None:
        try:
            said = job()
        except TrackerError as exc:
            self.post_message(self.Refused(str(exc), token))
            return
        self.post_message(self.Wrote(said, self.data.snapshot(), token))

    def after_write(self, label: str) -> None:
        """A dialog wrote something itself: refresh the queue and say so."""
        self.write(label, lambda _: None)

    def refresh_queue(self) -> None:
        self.write("", lambda _: None)

    def _take(self, snapshot: QueueSnapshot) -> None:
        """Show ``snapshot`` unless the queue shown is as new. The same queue read again
        changes nothing on screen: nothing is redrawn."""
        shown = self.queue
        if shown is None or _newer(snapshot, shown):
            self.queue = snapshot

    @on(Wrote)
    def _wrote(self, message: Wrote) -> None:
        if self._undoing is not None and message.token == self._undoing[0]:
            before = self._undoing[1]
            self._undoing = None
            entries = message.snapshot.entries if message.snapshot is not None else ()
            back = [entry.key for entry in entries if entry.key not in before]
            self.restored = back[0] if back else None
        if message.snapshot is not None:
            self._take(message.snapshot)
        if self.hidden.pop(message.token, None) is not None:
            self.hidden_version += 1
        if message.token:
            self.data_version += 1
        if message.label:
            self.say(message.label)

    @on(Refused)
    def _refused(self, message: Refused) -> None:
        if self.hidden.pop(message.token, None) is not None:
            self.hidden_version += 1
        self.say(message.error, "error")

    def say(self, text: str, severity: str = "information") -> None:
        """A notification; ``text`` may hold user data, so it is never read as markup."""
        timeout = 8 if severity == "error" else 4
        self.notify(safe(text), severity=severity, timeout=timeout, markup=False)  # type: ignore[arg-type]
