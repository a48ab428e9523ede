"""Starting the Textual app from the CLI (the only place the CLI reaches into ``ui``)."""

from __future__ import annotations

import sys

from tracker.cli.common import CliState


def launch(state: CliState) -> None:
    """Open the app on the chosen database. Imports Textual only now.

    A database the app cannot open ends the app with the store's one-line message and
    its exit code, like every command.
    """
    from tracker.ui.app import OutreachApp

    app = OutreachApp(db_path=state.db_path, settings=state.settings)
    app.run()
    if app.return_code:
        sys.exit(app.return_code)
