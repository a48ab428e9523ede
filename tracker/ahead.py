"""Work started in a thread of its own, its answer taken later (``Ahead``).

The insights start their dearest read (the replies' count) before the cheaper ones, on a
connection of its own: SQLite runs it without the interpreter lock while this thread
goes on. ``Ahead`` is that running work: ``ready`` says whether its answer is in, and
``result()`` waits for it, raising here what the work raised there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, Generic, TypeVar

T = TypeVar("T")
U = TypeVar("U")


def _same(value: Any) -> Any:
    return value


class Ahead(Generic[T]):
    """An answer being worked out in a thread of its own, or one known already: a
    ``concurrent.futures.Future`` with what its taker does to the answer once it is in."""

    def __init__(self, future: Future[Any], finish: Callable[[Any], T] = _same) -> None:
        self._future = future
        self._finish = finish

    @classmethod
    def start(cls, work: Callable[[], T], name: str) -> Ahead[T]:
        """``work`` run now in a daemon thread called ``name``."""
        future: Future[T] = Future()

        def run() -> None:
            try:
                future.set_result(work())
            except BaseException as exc:  # handed to the thread that asks
                future.set_exception(exc)

        threading.Thread(target=run, name=name, daemon=True).start()
        return cls(future)

    @classmethod
    def known(cls, value: T) -> Ahead[T]:
        """An answer worked out already."""
        future: Future[T] = Future()
        future.set_result(value)
        return cls(future)

    @property
    def ready(self) -> bool:
        """Whether the answer is in (``result()`` would not wait)."""
        return self._future.done()

    def result(self) -> T:
        """The answer, once it is in (what the work raised, raised here)."""
        return self._finish(self._future.result())

    def then(self, finish: Callable[[T], U]) -> Ahead[U]:
        """The answer put through ``finish`` (in the thread that asks for it)."""
        return Ahead(self._future, lambda value: finish(self._finish(value)))
