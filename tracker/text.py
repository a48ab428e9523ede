"""Making stored text safe to show: no control characters or terminal escape sequences
reach the screen, and bidirectional overrides cannot reorder what follows them."""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls except newline and tab, plus the bidi embedding/override/isolate
# characters and marks that can visually reorder a line.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def tag_text(tag: str) -> str:
    """A tag as it is kept: control characters (a tab, a line break, the separators the
    store packs tags with) become a space, runs of white space one space, trimmed."""
    return " ".join(_CONTROLS.sub(" ", tag).split())


def safe(text: str | None, *, single_line: bool = False, limit: int | None = None) -> str:
    """``text`` with unsafe characters made visible as ``\\x1b``-style escapes."""
    if not text:
        return ""
    cleaned = _UNSAFE.sub(
        lambda m: (
            f"\\u{ord(m.group()):04x}" if ord(m.group()) > 0xFF else f"\\x{ord(m.group()):02x}"
        ),
        text,
    )
    if single_line:
        cleaned = " ".join(cleaned.split())
    if limit is not None and len(cleaned) > limit:
        cleaned = cleaned[: max(limit - 1, 0)] + "…"
    return cleaned


def shown(text: str | None) -> str:
    """``text`` for one line of a message: unsafe characters escaped, whitespace runs
    (newlines included) collapsed, so it can neither forge nor break the line."""
    return safe(text, single_line=True)


def width(text: str) -> int:
    """Terminal cells ``text`` takes (wide East Asian characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fit(text: str, cells: int) -> str:
    """Cut (with an ellipsis) or pad ``text`` to exactly ``cells`` terminal cells."""
    used = width(text)
    if used <= cells:
        return text + " " * (cells - used)
    out: list[str] = []
    used = 0
    for ch in text:
        w = width(ch)
        if used + w > cells - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…" + " " * (cells - 1 - used)
