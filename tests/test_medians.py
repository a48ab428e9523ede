"""The middle values of many sorted lists taken together (``tracker.medians``), against a
sort of their union."""

from __future__ import annotations

import random

import pytest

from tracker import medians
from tracker.medians import middle


def expected(lists: list[list[int]]) -> tuple[int, int, int] | None:
    union = sorted(value for values in lists for value in values)
    n = len(union)
    return (union[(n - 1) // 2], union[n // 2], n) if n else None


def test_nothing_to_take_a_middle_of() -> None:
    assert middle([]) is None
    assert middle([[], []]) is None


def test_one_value_and_two() -> None:
    assert middle([[7]]) == (7, 7, 1)
    assert middle([[], [9], [2]]) == (2, 9, 2)


@pytest.mark.parametrize("gather", [1, 4, medians.GATHER])
def test_many_alike_values_end(monkeypatch: pytest.MonkeyPatch, gather: int) -> None:
    monkeypatch.setattr(medians, "GATHER", gather)
    lists = [[5] * 400, [5] * 300, [1, 5, 5, 9]]
    assert middle(lists) == expected(lists)


@pytest.mark.parametrize("gather", [1, 3, 16, medians.GATHER])
def test_random_lists_match_a_sort(monkeypatch: pytest.MonkeyPatch, gather: int) -> None:
    monkeypatch.setattr(medians, "GATHER", gather)
    chance = random.Random(20)
    for _ in range(400):
        spread = chance.choice([2, 50, 10**4, 10**9])
        lists = [
            sorted(chance.randint(-spread, spread) for _ in range(chance.choice([0, 1, 5, 200])))
            for _ in range(chance.randint(1, 30))
        ]
        assert middle(lists) == expected(lists), lists
