"""A batch of touch rows as it travels to SQLite: one JSON text, read by ``json_each`` in
a single statement (which runs while the interpreter lock is free), holding only the
columns in which the rows differ; the values every row shares go as parameters.

Each column SQLite reads out of a row's JSON costs about as much as inserting the row, and
each one encoded costs Python time on the importer's thread: a file's texts share their
channel and their empty status, note and template, so a batch of them carries five
columns, not twelve.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

_ENCODE = json.JSONEncoder(check_circular=False, separators=(",", ":")).encode
_ENCODE_UNICODE = json.JSONEncoder(
    ensure_ascii=False, check_circular=False, separators=(",", ":")
).encode


@dataclass(frozen=True)
class Payload:
    """What ``Store.insert_touch_json`` takes for one batch."""

    rows: str
    """The JSON array of the rows, each an array of its ``varying`` columns."""
    shared: dict[int, Any]
    """The value of each column (by position in ``TOUCH_COLUMNS``) every row has."""


def payload(batch: list[tuple[Any, ...]]) -> Payload:
    """``batch`` (rows in ``TOUCH_COLUMNS`` order) as a ``Payload``."""
    size = len(batch)
    shared: dict[int, Any] = {}
    varying = []
    for index, column in enumerate(zip(*batch, strict=True)):
        if column.count(column[0]) == size:
            shared[index] = column[0]
        else:
            varying.append(column)
    rows = list(zip(*varying, strict=True)) if varying else [()] * size
    return Payload(encode(rows), shared)


def encode(rows: list[tuple[Any, ...]]) -> str:
    """``rows`` as a JSON array of arrays in ASCII: half the cost of encoding to wider
    text, and bound to the statement as it is (no copy to UTF-8). A character past the
    BMP is escaped as a surrogate pair, which SQLite decodes; a lone surrogate (no
    character at all) goes unescaped, so binding refuses it as before instead of storing
    bytes that cannot be read back."""
    text = _ENCODE(rows)
    if "\\ud" in text and _lone_surrogate(text):
        text = _ENCODE_UNICODE(rows)
    return text


def _lone_surrogate(text: str) -> bool:
    """Whether some ``\\udXXX`` escape in ``text`` is not half of a high-low pair (or
    only looks like one: a backslash written in a text; encoding without escapes is
    then right anyway)."""
    at = text.find("\\ud")
    while at >= 0:
        if not (
            text[at + 3] in "89ab" and text.startswith("\\ud", at + 6) and text[at + 9] in "cdef"
        ):
            return True
        at = text.find("\\ud", at + 12)
    return False
