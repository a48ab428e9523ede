"""A search match shown: the snippet with the query's words marked, and where it was
found (a field, or a touch's channel and day), as Rich text for the contacts list and as
markup for the command palette."""

from __future__ import annotations

from datetime import date, tzinfo

from rich.style import Style
from rich.text import Text
from textual.markup import escape

from tracker.search import SearchHit
from tracker.search_words import lead_in
from tracker.words import match_label

MARK = Style(bold=True, underline=True)
"""How the query's words are marked in a snippet."""


def snippet_text(hit: SearchHit, before: int | None = None) -> Text:
    """The snippet, its matches marked; with ``before``, at most about that many
    characters ahead of the first match (a narrow column cuts the end)."""
    shown = hit.snippet if before is None else lead_in(hit.snippet, before)
    text = Text(shown.text)
    for start, end in shown.marks:
        text.stylize(MARK, start, end)
    return text


def match_cell(hit: SearchHit, tz: tzinfo, today: date, before: int) -> Text:
    """For a narrow column: the snippet from just before the match, then where it is,
    dimmed (``…about the pilot… · Text Mar 3``), so a cut end loses the least."""
    where = Text(f" · {match_label(hit, tz, today)}", style="dim")
    return snippet_text(hit, before) + where


def match_markup(hit: SearchHit, tz: tzinfo, today: date) -> str:
    """Where the match is, then the snippet, its matches marked (``Text Mar 3: …about the
    pilot…``), as Textual markup: the command palette's help line takes markup."""
    line = hit.snippet.text
    parts = [escape(f"{match_label(hit, tz, today)}: ")]
    position = 0
    for start, end in hit.snippet.marks:
        parts += [escape(line[position:start]), "[b u]", escape(line[start:end]), "[/]"]
        position = end
    parts.append(escape(line[position:]))
    return "".join(parts)
