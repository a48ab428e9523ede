"""Work started in a thread of its own, its answer taken later (``tracker.ahead``)."""

from __future__ import annotations

import threading

import pytest

from tracker.ahead import Ahead


def test_the_answer_once_the_work_is_done() -> None:
    gate = threading.Event()

    def work() -> int:
        gate.wait(30)
        return 41

    ahead = Ahead.start(work, "test-work").then(lambda n: n + 1)
    assert not ahead.ready
    gate.set()
    assert ahead.result() == 42
    assert ahead.ready


def test_what_the_work_raised_is_raised_to_whoever_asks() -> None:
    def work() -> int:
        raise ValueError("no such thing")

    ahead = Ahead.start(work, "test-work")
    with pytest.raises(ValueError, match="no such thing"):
        ahead.result()


def test_an_answer_known_already() -> None:
    ahead = Ahead.known("here")
    assert ahead.ready
    assert ahead.result() == "here"
