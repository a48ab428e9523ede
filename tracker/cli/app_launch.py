"""Starting the Textual app from the CLI (the only place the CLI reaches into ``ui``):
``outreach`` alone, ``outreach app --screen contacts`` to open on another screen, or
``outreach app --contact Dana`` to open on a contact."""

from __future__ import annotations

import sys

import click

from tracker.cli.common import Invocation, pass_invocation
from tracker.errors import UsageError
from tracker.ui.collector import START_PAUSE
from tracker.ui.screens import SCREENS


def has_terminal() -> bool:
    """Whether standard input and output are a terminal the app can draw on."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def launch(invocation: Invocation, screen: str = "today", contact: str | None = None) -> None:
    """Open the app on the chosen database and ``screen``. Imports Textual only now.

    Without a terminal (under cron, in a pipe) it says so and exits 2 at once, rather
    than start an app nobody can see. A database the app cannot open ends the app with
    the store's one-line message and its exit code, like every command.
    """
    if not has_terminal():
        raise UsageError(
            "the app needs a terminal (standard input and output are not one here); "
            "`outreach review` is the command for scripts"
        )
    contact_id = invocation.resolve(contact).id if contact else None
    invocation.close()  # the app opens the database its own way
    START_PAUSE.pause()  # the app's imports are a good part of its start
    try:
        from tracker.ui.app import OutreachApp

        app = OutreachApp(
            db_path=invocation.db_path,
            settings=invocation.settings,
            start=screen,
            contact=contact_id,
        )
        app.run()
    finally:
        START_PAUSE.end()  # the app has ended it, unless it did not start
    if app.return_code:
        sys.exit(app.return_code)


@click.command("app")
@click.option(
    "--screen",
    type=click.Choice(SCREENS),
    default="today",
    show_default=True,
    help="The screen to open on. An empty database opens on the welcome screen.",
)
@click.option(
    "--contact",
    metavar="REF",
    help="Open on this contact (an id, a name, a phone, an email or a LinkedIn URL); "
    "leaving it goes to the screen chosen.",
)
@pass_invocation
def app_command(invocation: Invocation, screen: str, contact: str | None) -> None:
    """Open the app (what `outreach` alone does), on the screen of your choice or on a
    contact."""
    launch(invocation, screen, contact)


COMMANDS = [app_command]
