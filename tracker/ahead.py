"""Work started in a thread of its own, its answer taken later (``Ahead``).

The insights start their dearest read (the replies' count) before the cheaper ones, on a
connection of its own: SQLite runs it without the interpreter lock while this thread
goes on. ``Ahead`` is that running work: ``ready`` says whether its answer is in, and
``result()`` waits for it, raising here what the work raised there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")
U = TypeVar("U")


class Ahead(Generic[T]):
    """An answer being worked out in a thread of its own, or one known already."""

    def __init__(self, wait: Callable[[], T], ready: Callable[[], bool]) -> None:
        self._wait = wait
        self._ready = ready

    @classmethod
    def start(cls, work: Callable[[], T], name: str) -> Ahead[T]:
        """``work`` run now in a daemon thread called ``name``."""
        answer: list[T] = []
        failure: list[BaseException] = []

        def run() -> None:
            try:
                answer.append(work())
            except BaseException as exc:  # handed to the thread that asks
                failure.append(exc)

        thread = threading.Thread(target=run, name=name, daemon=True)
        thread.start()

        def wait() -> T:
            thread.join()
            if failure:
                raise failure[0]
            return answer[0]

        return cls(wait, lambda: not thread.is_alive())

    @classmethod
    def known(cls, value: T) -> Ahead[T]:
        """An answer worked out already."""
        return cls(lambda: value, lambda: True)

    @property
    def ready(self) -> bool:
        """Whether the answer is in (``result()`` would not wait)."""
        return self._ready()

    def result(self) -> T:
        """The answer, once it is in."""
        return self._wait()

    def then(self, finish: Callable[[T], U]) -> Ahead[U]:
        """The answer put through ``finish`` (in the thread that asks for it)."""
        return Ahead(lambda: finish(self._wait()), self._ready)
