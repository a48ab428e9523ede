"""The ``outreach`` command: click, one module per noun. No subcommand opens the app.

Every error the user can cause ends as one line on stderr and exit code 2, with nothing
written. Textual is imported only when the app starts, so commands stay quick.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from tracker.cli.common import Invocation
from tracker.errors import TrackerError
from tracker.text import shown


class OutreachGroup(click.Group):
    """A group whose errors are one line on stderr, never a traceback or usage dump."""

    def invoke(self, ctx: click.Context) -> Any:
        from tracker.service import translating_errors

        # A damaged file found by a read the store let through: its one-line error.
        with translating_errors(lambda: ctx.obj.db_path):
            return super().invoke(ctx)

    def main(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except click.exceptions.NoArgsIsHelpError as exc:
            click.echo(exc.ctx.get_help() if exc.ctx else str(exc))
            sys.exit(0)
        except click.UsageError as exc:
            click.echo(f"outreach: error: {shown(exc.format_message())}", err=True)
            sys.exit(2)
        except click.Abort:
            click.echo("outreach: aborted", err=True)
            sys.exit(1)
        except TrackerError as exc:
            click.echo(f"outreach: error: {shown(str(exc))}", err=True)
            sys.exit(exc.exit_code)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(f"outreach: error: {shown(exc.format_message())}", err=True)
            sys.exit(exc.exit_code)
        except BrokenPipeError:
            sys.exit(0)
        if isinstance(result, int) and result:
            sys.exit(result)
        return result


@click.group(cls=OutreachGroup, invoke_without_command=True)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    envvar=None,
    help="Database file to use (default: the app's data folder, or $OUTREACH_HOME).",
)
@click.version_option(package_name="outreach-tracker", prog_name="outreach")
@click.pass_context
def cli(ctx: click.Context, db_path: str | None) -> None:
    """Outreach Tracker: your contacts, every touch, and the daily review.

    Run with no command to open the app.
    """
    invocation = Invocation(db_path)
    ctx.obj = invocation
    ctx.call_on_close(invocation.close)
    if ctx.invoked_subcommand is None:
        from tracker.cli.app_launch import launch

        launch(invocation)


def _register() -> None:
    from tracker.cli import (
        admin,
        app_launch,
        bulk,
        coach,
        contacts,
        export,
        health,
        imports,
        merge,
        review,
        search,
        sequences,
        stats,
        touches,
        whatif,
    )

    modules = (
        *(contacts, search, merge, touches, bulk, review, sequences, export, coach, stats),
        *(health, admin, imports, whatif),
        app_launch,
    )
    for module in modules:
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main() -> None:
    """Console entry point."""
    cli.main(prog_name="outreach")
