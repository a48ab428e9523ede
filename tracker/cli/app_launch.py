"""Starting the Textual app from the CLI (the only place the CLI reaches into ``ui``)."""

from __future__ import annotations

from tracker.cli.common import CliState


def launch(state: CliState) -> None:
    """Open the app on the chosen database. Imports Textual only now."""
    from tracker.ui.app import OutreachApp

    app = OutreachApp(db_path=state.db_path, settings=state.settings)
    app.run()
