"""Reaching a contact: links built only from the stored, normalised fields; and the
system's clipboard tool and link opener, found only where they can work."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tracker.links import contact_links, email_address, linkedin_link
from tracker.models import Contact
from tracker.system import (
    OSC52_WORDS,
    clipboard_tool,
    copy_with_tool,
    link_opener,
    open_link,
)
from tracker.timeutil import now_utc


def test_every_link_of_a_contact() -> None:
    dana = Contact(
        id=1,
        name="Dana Fictional",
        phone="+13125550142",
        email="dana@example.com",
        linkedin_url="https://www.linkedin.com/in/dana-fictional",
    )
    assert [(link.label, link.url) for link in contact_links(dana)] == [
        ("Open their LinkedIn profile", "https://www.linkedin.com/in/dana-fictional"),
        ("Call +1 312-555-0142", "tel:+13125550142"),
        ("Text +1 312-555-0142", "sms:+13125550142"),
        ("Email dana@example.com", "mailto:dana@example.com"),
    ]


def test_no_text_link_once_they_opted_out() -> None:
    dana = Contact(id=1, name="Dana", phone="+13125550142", sms_opt_out_at=now_utc())
    assert [link.url for link in contact_links(dana)] == ["tel:+13125550142"]


def test_a_slug_with_other_letters_is_percent_encoded() -> None:
    assert linkedin_link("https://www.linkedin.com/in/zoë-m") == (
        "https://www.linkedin.com/in/zo%C3%AB-m"
    )


@pytest.mark.parametrize(
    "hostile",
    [
        "javascript:alert(1)",
        "https://evil.example/in/dana",
        "https://www.linkedin.com/in/dana?redirect=https://evil.example",
        "https://www.linkedin.com/in/Dana",  # not the stored (lower-case) form
        "https://www.linkedin.com/in/dana/../../x",
        "; rm -rf ~",
    ],
)
def test_a_profile_url_not_in_its_stored_form_makes_no_link(hostile: str) -> None:
    assert linkedin_link(hostile) == ""
    assert contact_links(Contact(id=1, name="X", linkedin_url=hostile)) == []


@pytest.mark.parametrize(
    ("phone", "email"),
    [
        ("312-555-0142", "Dana@Example.com"),  # not E.164; not normalised
        ("+1 312 555 0142", "dana@example.com?cc=boss@example.com"),
        ("tel:+13125550142", "dana@example.com&subject=x"),
        ("+13125550142; rm -rf ~", "a b@example.com"),
    ],
)
def test_phones_and_emails_not_in_their_stored_form_make_no_link(phone: str, email: str) -> None:
    assert email_address(email) == ""
    assert contact_links(Contact(id=1, name="X", phone=phone, email=email)) == []


def which(*present: str):
    return lambda name: f"/usr/bin/{name}" if name in present else None


def test_the_clipboard_tool_found_where_it_can_work() -> None:
    assert clipboard_tool({}, which("pbcopy"), "darwin") == ["pbcopy"]
    wayland = {"WAYLAND_DISPLAY": "wayland-0"}
    assert clipboard_tool(wayland, which("wl-copy", "xclip"), "linux") == ["wl-copy"]
    x11 = {"DISPLAY": ":0"}
    assert clipboard_tool(x11, which("xclip"), "linux") == ["xclip", "-selection", "clipboard"]
    assert clipboard_tool(x11, which("xsel"), "linux") == ["xsel", "--clipboard", "--input"]
    # Over SSH or on a console there is no display: nothing to copy with (OSC 52 then).
    assert clipboard_tool({}, which("xclip", "wl-copy"), "linux") is None
    assert clipboard_tool(x11, which(), "linux") is None


def test_the_link_opener_found_where_it_can_work() -> None:
    assert link_opener({}, which("open"), "darwin") == ["open"]
    assert link_opener({"DISPLAY": ":0"}, which("xdg-open"), "linux") == ["xdg-open"]
    assert link_opener({}, which("xdg-open"), "linux") is None  # would take the terminal


def fake_program(tmp_path: Path, body: str) -> list[str]:
    script = tmp_path / "fake.py"
    script.write_text(body, encoding="utf-8")
    return [sys.executable, str(script)]


def test_copying_with_a_tool_hands_it_the_text(tmp_path: Path) -> None:
    got = tmp_path / "got.txt"
    tool = fake_program(
        tmp_path, f"import sys; open({str(got)!r}, 'wb').write(sys.stdin.buffer.read())"
    )
    assert copy_with_tool("Hi Dana 🙂", tool) == sys.executable
    assert got.read_text(encoding="utf-8") == "Hi Dana 🙂"
    failing = fake_program(tmp_path, "import sys; sys.exit(1)")
    assert copy_with_tool("x", failing) is None  # then OSC 52
    assert copy_with_tool("x", []) is None
    assert "set -g set-clipboard on" in OSC52_WORDS


def test_opening_a_link_passes_it_as_one_argument(monkeypatch: pytest.MonkeyPatch) -> None:
    import tracker.system

    started: list[list[str]] = []

    class Started:
        def __init__(self, args: list[str], **options: object) -> None:
            assert "shell" not in options  # never through a shell
            started.append(args)

    monkeypatch.setattr(tracker.system.subprocess, "Popen", Started)
    assert open_link("tel:+13125550142", ["xdg-open"]) == "xdg-open"
    assert started == [["xdg-open", "tel:+13125550142"]]
    assert open_link("tel:+13125550142", []) is None
