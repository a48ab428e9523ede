"""CSV export: UTF-8, a header row, one row per record, formulas neutralised.

A cell a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return) gets a leading ``'``, unless it is a plain number such as an
E.164 phone or a negative amount; ``raw=True`` writes every value as stored.

The app's exports get a default file name no file has yet (``default_path``,
``free_path``) and are written by
``export_file``, which renames the file into place only once it is complete.

Rows that can format themselves (the store's exports, which build each line in SQL) are
asked to, with ``_write_row`` to fall back on for any row they cannot: the output is the
same either way, only faster.
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from tracker.errors import UsageError
from tracker.review import explain

if TYPE_CHECKING:
    from tracker.models import ReviewItem

EXPORT_TITLES = {
    "contacts": "Contacts",
    "touches": "Touches",
    "queue": "Today's queue",
}
"""What the app exports, by the name it goes by in a file name."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def neutralise(value: Any) -> Any:
    """The cell as a spreadsheet should see it: never a formula."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if _PLAIN_NUMBER.match(value):
        return value
    return "'" + value


def write_csv(
    out: TextIO, header: Sequence[str], rows: Iterable[Sequence[Any]], raw: bool = False
) -> int:
    """Write ``header`` and ``rows`` to ``out``; returns the number of rows."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    fast = getattr(rows, "write_csv_lines", None)
    if fast is not None:
        return int(fast(out, raw, lambda sink, row: _write_row(sink, row, raw)))
    count = 0
    if raw:
        for row in rows:
            writer.writerow(row)
            count += 1
    else:
        for row in rows:
            writer.writerow([neutralise(v) for v in row])
            count += 1
    return count


def _write_row(out: TextIO, row: Sequence[Any], raw: bool) -> None:
    """One row exactly as ``write_csv`` writes it."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(row if raw else [neutralise(v) for v in row])


REVIEW_COLUMNS = (
    "kind",
    "contact_id",
    "contact",
    "company",
    "since",
    "age_days",
    "reason",
    "action",
    "last_message",
    "lapsed",
)


def review_record(item: ReviewItem, tz: tzinfo) -> dict[str, Any]:
    """One review item as plain values (JSON and CSV share it)."""
    return {
        "kind": item.kind.value,
        "contact_id": item.contact_id,
        "contact": item.contact,
        "company": item.company,
        "since": item.since.astimezone(tz).isoformat(),
        "age_days": item.age_days,
        "reason": item.reason,
        "action": item.action,
        "explanation": explain(item),
        "last_message": item.last_message,
        "lapsed": item.lapsed,
        "priority": item.priority.score,
        "priority_parts": dict(item.priority.parts),
    }


_KIND_VALUES: dict[object, str] = {}


def review_records_json(
    items: Sequence[ReviewItem], tz: tzinfo, messages: Sequence[str] | None = None
) -> list[str]:
    """Each item's ``review_record`` as JSON text, exactly as ``json.dumps(record,
    ensure_ascii=False)`` writes it (the same keys in the same order), built straight
    from the item: a review of 10,000 items would spend more on the dicts and the
    encoder than on everything else. ``messages``: each item's ``last_message``, when
    given (``Tracker.item_messages``)."""
    from json import dumps
    from json.encoder import encode_basestring as text  # what ensure_ascii=False uses

    # A few dozen priorities, reasons and actions in a whole review (the rules make each
    # sentence once): each encoded once, found again by the object.
    priorities: dict[int, tuple[str, int]] = {}
    said: dict[str, str] = {}
    explained: dict[tuple[str, str], str] = {}
    kinds = _KIND_VALUES
    lines = []
    for index, item in enumerate(items):
        kind, reason, action, found = item.kind, item.reason, item.action, item.priority
        priority = priorities.get(id(found))
        if priority is None:
            parts = found.parts
            score = sum(points for _, points in parts)
            priority = (dumps(dict(parts), ensure_ascii=False), score)
            priorities[id(found)] = priority
        why = said.get(reason) or said.setdefault(reason, text(reason))
        what = said.get(action) or said.setdefault(action, text(action))
        explanation = explained.get((reason, action))
        if explanation is None:
            explanation = explained[reason, action] = text(f"{reason}; {action}")
        kind_value = kinds.get(kind) or kinds.setdefault(kind, kind.value)
        message = item.last_message if messages is None else messages[index]
        lines.append(
            f'{{"kind": "{kind_value}", "contact_id": {item.contact_id:d},'
            f' "contact": {text(item.contact)}, "company": {text(item.company)},'
            f' "since": "{item.since.astimezone(tz).isoformat()}",'
            f' "age_days": {item.age_days:d}, "reason": {why}, "action": {what},'
            f' "explanation": {explanation}, "last_message": {text(message)},'
            f' "lapsed": {"true" if item.lapsed else "false"},'
            f' "priority": {priority[1]:d}, "priority_parts": {priority[0]}}}'
        )
    return lines


def review_rows(items: Iterable[ReviewItem], tz: tzinfo) -> Iterator[list[Any]]:
    """The review queue as CSV rows in ``REVIEW_COLUMNS`` order."""
    for item in items:
        record = review_record(item, tz)
        record["lapsed"] = "true" if item.lapsed else "false"
        yield [record[column] for column in REVIEW_COLUMNS]


@contextlib.contextmanager
def atomic_text_file(target: Path, mode: int = 0o600) -> Iterator[TextIO]:
    """A UTF-8 file written beside ``target`` and renamed into place only when complete,
    so a failed export never leaves half a file under the chosen name. ``UsageError``
    names a bad target."""
    target = target.expanduser()
    if target.is_dir():
        raise UsageError(f"{target}: is a folder; give a file name")
    if not target.parent.exists():
        raise UsageError(f"{target.parent}: no such folder")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise UsageError(f"could not write {target}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise UsageError(f"could not write {target}: {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def default_path(what: str, today: date, folder: Path | None = None) -> Path:
    """``outreach-contacts-2026-11-23.csv`` in ``folder`` (the working folder by default)."""
    return (folder or Path.cwd()) / f"outreach-{what}-{today.isoformat()}.csv"


def free_path(path: Path) -> Path:
    """``path``, or the first of ``name-2.csv``, ``name-3.csv``... that no file has: an
    export never lands on an earlier one by default."""
    if not path.exists():
        return path
    number = 2
    while True:
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
        if not candidate.exists():
            return candidate
        number += 1


def export_file(target: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write ``header`` and ``rows`` to ``target`` (``atomic_text_file``); returns the
    number of rows written."""
    with atomic_text_file(target) as handle:
        return write_csv(handle, header, rows)
