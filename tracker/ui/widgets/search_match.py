"""A search match as Rich text: where it was found (a field, or a touch's channel and
day), then the matching snippet with the query's words marked. Shared by the contacts
list and the command palette."""

from __future__ import annotations

from datetime import date, tzinfo

from rich.style import Style
from rich.text import Text
from textual.markup import escape

from tracker.search import SearchHit
from tracker.words import match_label

MARK = Style(bold=True, underline=True)
"""How the query's words are marked in a snippet."""


def snippet_text(hit: SearchHit) -> Text:
    """The snippet, its matches marked."""
    text = Text(hit.snippet.text)
    for start, end in hit.snippet.marks:
        text.stylize(MARK, start, end)
    return text


def match_text(hit: SearchHit, tz: tzinfo, today: date, label_style: str = "dim") -> Text:
    """``email: ann.lee415@example.com`` or ``Text Mar 3: …about the pilot…``."""
    return Text(f"{match_label(hit, tz, today)}: ", style=label_style) + snippet_text(hit)


def match_markup(hit: SearchHit, tz: tzinfo, today: date) -> str:
    """``match_text`` as Textual markup (the command palette's help line takes markup)."""
    line = hit.snippet.text
    parts = [escape(f"{match_label(hit, tz, today)}: ")]
    position = 0
    for start, end in hit.snippet.marks:
        parts += [escape(line[position:start]), "[b u]", escape(line[start:end]), "[/]"]
        position = end
    parts.append(escape(line[position:]))
    return "".join(parts)
