"""Exact middle values of many sorted lists taken together, without merging them.

The insights' reply medians are taken over groups that cut across each other (by channel,
by first message or follow-up, by weekday, by hour of the day). Each of their smallest
parts (a channel's first messages or follow-ups in one hour of the week) is sorted once;
a group's middle values are then found in the union of its parts' lists by counting
(``bisect``, in C) rather than by merging and sorting the group's values again. Pure
functions of integers: the values found are those a sort of the union would put in the
middle, to the last bit.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import repeat

GATHER = 256
"""When at most this many values are left between the bounds, they are sorted outright."""


def middle(lists: Sequence[list[int]]) -> tuple[int, int, int] | None:
    """``(low, high, n)``: the values at the two middle places (``(n - 1) // 2`` and ``n //
    2``, the same place when ``n`` is odd) of all the values of ``lists`` (each sorted)
    taken together, and how many there are; ``None`` when there are none."""
    lists = [values for values in lists if values]
    n = sum(map(len, lists))
    if not n:
        return None
    first, last = (n - 1) // 2, n // 2
    # Bounds from each list's own share: fewer than ``first + 1`` values lie below ``lo``
    # (each list has at most ``first * len / n`` below its pick), at least ``last + 1``
    # at or below ``hi``.
    lo = min([values[first * len(values) // n] for values in lists])
    hi = max([values[-(-(last + 1) * len(values) // n) - 1] for values in lists])
    below = sum(map(bisect_left, lists, repeat(lo)))
    upto = sum(map(bisect_right, lists, repeat(hi)))
    while upto - below > GATHER:
        if lo == hi:  # many values alike
            return lo, lo, n
        mid = (lo + hi) // 2
        count = sum(map(bisect_right, lists, repeat(mid)))
        if count > last:
            hi, upto = mid, count
        elif count <= first:
            lo, below = mid + 1, count
        else:  # the two places fall either side of ``mid``
            return (
                _place(lists, first, lo, mid, below),
                _place(lists, last, mid + 1, hi, count),
                n,
            )
    between = _between(lists, lo, hi)
    return between[first - below], between[last - below], n


def _place(lists: list[list[int]], place: int, lo: int, hi: int, below: int) -> int:
    """The value at ``place`` of the union, known to lie in ``[lo, hi]``, with ``below``
    values under ``lo``."""
    while True:
        upto = sum(map(bisect_right, lists, repeat(hi)))
        if upto - below <= GATHER:
            return _between(lists, lo, hi)[place - below]
        if lo == hi:
            return lo
        mid = (lo + hi) // 2
        count = sum(map(bisect_right, lists, repeat(mid)))
        if count > place:
            hi = mid
        else:
            lo, below = mid + 1, count


def _between(lists: list[list[int]], lo: int, hi: int) -> list[int]:
    """Every value in ``[lo, hi]``, sorted."""
    found: list[int] = []
    for values in lists:
        found += values[bisect_left(values, lo) : bisect_right(values, hi)]
    found.sort()
    return found
