"""How the compose panel words what the coach found: the counters line, the findings
(severity, what is wrong and what to do, the words quoted; never the rule's code), and
where a finding's words sit in the text. Plain functions returning Rich ``Text`` (no
markup: reasons can hold user data)."""

from __future__ import annotations

from rich.text import Text

from tracker.coach.findings import CheckResult, Severity
from tracker.coach.sms import UCS2, measure
from tracker.models import Channel
from tracker.words import one_line, plural

MARKS = {
    Severity.BLOCK: ("✖ block", "bold red"),
    Severity.WARN: ("▲ warn ", "bold yellow"),
    Severity.TIP: ("· tip  ", "dim"),
}
QUOTE_LIMIT = 60


def counters_line(channel: Channel, result: CheckResult, text: str, note_limit: int) -> Text:
    """Characters and words; the note limit for an invitation; for a text, the encoding,
    the units used of the room its segments hold, and the segments."""
    counted = result.counters
    if channel is Channel.LINKEDIN_INVITE:
        chars = f"{counted.characters:,} / {note_limit} characters"
    else:
        chars = plural(counted.characters, "character")
    line = Text(f"{chars} · {plural(counted.words, 'word')}")
    if channel is Channel.SMS:
        length = measure(text)
        room = length.per_segment * max(length.segments, 1)
        line.append(" · ")
        line.append(length.encoding, style="bold" if length.encoding == UCS2 else "")
        line.append(f" {length.units} of {room} · {plural(length.segments, 'SMS segment')}")
    return line


def findings_text(result: CheckResult, text: str, note: str = "") -> Text:
    """One line per finding, or that there is none; then ``note``, if any (why a
    channel is not offered)."""
    shown = Text()
    for finding in result.findings:
        mark, style = MARKS[finding.severity]
        shown.append(f"{mark} ", style=style)
        shown.append(one_line(finding.reason))
        if finding.span is not None:
            start, end = finding.span
            shown.append(f"  “{one_line(text[start:end], QUOTE_LIMIT)}”", style="italic")
        shown.append("\n")
    if not result.findings:
        shown.append("✓ No findings: it passes every check.\n", style="bold green")
    if note:
        shown.append(one_line(note) + "\n", style="italic")
    shown.rstrip()
    return shown


def location(text: str, index: int) -> tuple[int, int]:
    """(row, column) in a text area of the character at ``index`` of ``text``."""
    index = min(index, len(text))
    row = text.count("\n", 0, index)
    return row, index - (text.rfind("\n", 0, index) + 1)
