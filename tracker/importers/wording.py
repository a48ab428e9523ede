"""Import messages in the app's words: the CLI names its flags (``--map COLUMN=FIELD``,
``--me you@example.com``, ``--create-contacts``), the app's Import screen names its
fields instead ("the Columns field"), so an error tells each user what to do where
they are."""

from __future__ import annotations

import re

from tracker.me import NeedsMe

COLUMNS_FIELD = "the Columns field"
YOU_FIELD = "the You field"
CREATE_BOX = "“Create contacts”"

_FLAGS = (
    (re.compile(r"map columns with --map COLUMN=FIELD"), f"map columns in {COLUMNS_FIELD}"),
    (re.compile(r"--map COLUMN=FIELD"), f"{COLUMNS_FIELD} (COLUMN=FIELD)"),
    (re.compile(r"^--map: "), ""),
    (re.compile(r"--map: "), f"{COLUMNS_FIELD}: "),
    (
        re.compile(r"give (?:your profile|it) with --me [^\s)]+(?: [^\s)]+)?"),
        f"type it in {YOU_FIELD}",
    ),
    (re.compile(r"--me [\"']?[^\s:]+[\"']?:"), f"{YOU_FIELD}:"),
    (re.compile(r"--me:"), f"{YOU_FIELD}:"),
    (re.compile(r"--create-contacts"), CREATE_BOX),
    (
        re.compile(
            r"`outreach import (\w+)`(?: \(or `outreach import PATH`, which tells by itself\))?"
        ),
        r"“\1” in What it is (or “tell from the contents”)",
    ),
)


def in_app_words(message: str, error: Exception | None = None) -> str:
    """``message`` (an import's error or summary line) as the Import screen says it."""
    if isinstance(error, NeedsMe):
        return error.asking(f"type it in {YOU_FIELD} and import again")
    for pattern, replacement in _FLAGS:
        message = pattern.sub(replacement, message)
    return message
