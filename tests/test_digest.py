"""``outreach review --format markdown``: the day's queue as a short Markdown digest, one
section per kind in the queue's order, names escaped so they never become formatting."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.cli_helpers import Outreach
from tests.helpers import person, touch
from tracker.digest import escaped, markdown_digest


def test_the_digest_of_a_day(tmp_path: Path):
    run = Outreach(tmp_path / "d.db")
    run("add", "Dana Fictional", "--company", "Northwind", "--phone", "(312) 555-0142")
    run("add", "*Star* [link](http://x.example)", "--company", "A_B <Co>")
    run("invite", "1", "--at", "2026-11-01T10:00")
    run("follow-up", "2", "--on", "2026-11-23", "--reason", "ask about Q1", "--at", "2026-11-01")
    text = run("review", "--as-of", "2026-11-23", "--format", "markdown").stdout
    assert text == (
        "# Outreach review: Mon 23 Nov 2026\n"
        "\n"
        "2 items due.\n"
        "\n"
        "## Follow-ups due (1)\n"
        "\n"
        "- **\\*Star\\* \\[link\\](http://x.example)** (A\\_B \\<Co\\>), today: "
        "follow-up due today. *Ask about Q1.*\n"
        "\n"
        "## Stale invitations (1)\n"
        "\n"
        "- **Dana Fictional** (Northwind), 22 days: invited 22 days ago without a note, "
        "still pending. *Withdraw it (and maybe resend later), or follow up by text.*\n"
    )


def test_an_empty_day_and_escaping(tracker):
    assert markdown_digest([], date(2026, 11, 23)) == (
        "# Outreach review: Mon 23 Nov 2026\n\nNothing due. The review is clear.\n"
    )
    assert escaped("a|b ~c~ `d` \\e\nf") == "a\\|b \\~c\\~ \\`d\\` \\\\e f"
    contact = person(tracker, "Lee Example", phone="+13125550123")
    touch(tracker, contact, "sms", "2026-11-20T10:00", text="Hi Lee")
    text = markdown_digest(tracker.review("2026-11-23"), date(2026, 11, 23))
    assert "## Unanswered texts (1)\n\n- **Lee Example**, 3 days: texted 3 days ago" in text


def test_sorted_by_priority_the_digest_still_groups_by_kind(tracker):
    from tracker.priority import by_priority

    for n, day in enumerate(("2026-11-20", "2026-11-21")):
        contact = person(tracker, f"Texted {n}", phone=f"+1312555010{n}")
        touch(tracker, contact, "sms", f"{day}T10:00", text="Hi")
    other = person(tracker, "Invited Once")
    touch(tracker, other, "linkedin_invite", "2026-11-01T10:00")
    items = by_priority(tracker.review("2026-11-23"))
    text = markdown_digest(items, date(2026, 11, 23))
    assert text.count("## Unanswered texts (2)") == 1 and text.count("## Stale invitations") == 1
