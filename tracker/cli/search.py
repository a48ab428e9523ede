"""``outreach search TEXT``: contacts and touches by any word, best match first."""

from __future__ import annotations

import click

from tracker.cli.common import MAX_INT, Invocation, pass_invocation
from tracker.cli.render import dumps, local, table
from tracker.errors import UsageError
from tracker.search import SearchHit, parse
from tracker.words import FIELD_WORDS


def require_words(text: str, region: str) -> None:
    """``UsageError`` for a search with no letter or digit (nothing it could find)."""
    if not parse(text, region).searchable:
        raise UsageError(
            f"nothing to search for in {text!r}: a search needs a letter or a digit"
            " (% and _ are plain characters, not wildcards)"
        )


def _snippet(hit: SearchHit) -> str:
    if hit.touch_id is not None:
        return hit.snippet.text
    return f"{FIELD_WORDS.get(hit.field, hit.field)}: {hit.snippet.text}"


@click.command()
@click.argument("text", nargs=-1, required=True)
@click.option(
    "--limit", type=click.IntRange(1, MAX_INT), default=50, show_default=True, help="At most N."
)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@pass_invocation
def search(invocation: Invocation, text: tuple[str, ...], limit: int, fmt: str) -> None:
    """Find contacts and touches by any word: name, company, title, tag, notes, phone,
    email, LinkedIn URL, or the text of a message.

    Every word must match (each may match a different field); digits match a phone only
    when they look like a phone number. Best match first: the exact name or identifier,
    then names, then other fields, then messages.
    """
    words = " ".join(text)
    require_words(words, invocation.settings.default_region)
    results = invocation.tracker.search(words, limit)
    tz = invocation.tz
    if fmt == "json":
        click.echo(
            dumps(
                [
                    {
                        "contact_id": hit.contact_id,
                        "contact": hit.contact,
                        "touch_id": hit.touch_id,
                        "at": hit.at.isoformat() if hit.at else None,
                        "channel": hit.channel.value if hit.channel else None,
                        "field": hit.field,
                        "snippet": hit.snippet.text,
                    }
                    for hit in results.hits
                ]
            )
        )
        return
    if not results.hits:
        click.echo(f"No matches for {words!r}.")
        return
    click.echo(
        table(
            ("CONTACT", "TOUCH", "TIME", "CHANNEL", "MATCH"),
            [
                (
                    f"{hit.contact} (#{hit.contact_id})",
                    str(hit.touch_id) if hit.touch_id is not None else "",
                    local(hit.at, tz),
                    hit.channel.value if hit.channel else "",
                    _snippet(hit),
                )
                for hit in results.hits
            ],
        )
    )
    if results.more:
        click.echo(f"(the best {limit}; --limit shows more)")


COMMANDS = [search]
