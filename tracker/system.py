"""What the tracker asks of the system around it: a clipboard tool to copy with, and the
program that opens links. Neither is required: without a clipboard tool the app sends the
text to the terminal's clipboard (OSC 52), and without an opener the link is shown to the
user instead.

Programs are run with an argument list (never a shell), found on ``PATH``, and only where
they can work: ``wl-copy`` under Wayland, ``xclip``/``xsel`` and ``xdg-open`` under X (or
Wayland), ``pbcopy`` and ``open`` on macOS. A terminal with no display (SSH, a console)
gets none, so nothing takes over the terminal the app is drawing on.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping

Which = Callable[[str], str | None]

COPY_TIMEOUT = 2.0
"""Seconds a clipboard tool may take to take the text."""

OSC52_WORDS = (
    "sent to the terminal's clipboard (no program can confirm it arrived; "
    "in tmux, `set -g set-clipboard on` lets it through)"
)
"""What copying says when the text went by OSC 52."""


def clipboard_tool(
    environ: Mapping[str, str] | None = None, which: Which = shutil.which, platform: str = ""
) -> list[str] | None:
    """The command that puts its standard input on the system clipboard, or ``None``."""
    env = os.environ if environ is None else environ
    platform = platform or sys.platform
    if platform == "darwin" and which("pbcopy"):
        return ["pbcopy"]
    if env.get("WAYLAND_DISPLAY") and which("wl-copy"):
        return ["wl-copy"]
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        if which("xclip"):
            return ["xclip", "-selection", "clipboard"]
        if which("xsel"):
            return ["xsel", "--clipboard", "--input"]
    return None


def copy_with_tool(text: str, tool: list[str] | None = None) -> str | None:
    """Copy ``text`` with the system's clipboard tool; the tool's name when it took the
    text, ``None`` when there is none or it failed (the caller then uses OSC 52)."""
    command = tool if tool is not None else clipboard_tool()
    if not command:
        return None
    try:
        done = subprocess.run(
            command,
            input=text.encode("utf-8"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=COPY_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return command[0] if done.returncode == 0 else None


def link_opener(
    environ: Mapping[str, str] | None = None, which: Which = shutil.which, platform: str = ""
) -> list[str] | None:
    """The command that opens a URL in the user's programs, or ``None``."""
    env = os.environ if environ is None else environ
    platform = platform or sys.platform
    if platform == "darwin":
        return ["open"] if which("open") else None
    if (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")) and which("xdg-open"):
        return ["xdg-open"]
    return None


def open_link(url: str, opener: list[str] | None = None) -> str | None:
    """Hand ``url`` to the system's opener (without waiting for it); the opener's name,
    or ``None`` when there is none or it could not start."""
    command = opener if opener is not None else link_opener()
    if not command:
        return None
    try:
        subprocess.Popen(
            [*command, url],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        return None
    return command[0]
