"""Housekeeping commands: where things live, the settings in force, and backups."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import click

from tracker.cli.common import Invocation, no_data_yet, pass_invocation, pass_reader
from tracker.config import Settings
from tracker.paths import config_path
from tracker.text import shown


@click.command()
@pass_reader
def info(invocation: Invocation) -> None:
    """Show where the data and config live, and what the database holds."""
    path = invocation.db_path
    config = config_path()
    if not invocation.has_data:
        click.echo(f"database:  {path} (none yet)")
        click.echo(f"config:    {config}{'' if config.exists() else ' (not created)'}")
        click.echo(f"outreach: {no_data_yet(path)}", err=True)
        return
    tracker = invocation.tracker
    counts = tracker.counts()
    click.echo(f"database:  {path}")
    click.echo(f"config:    {config}{'' if config.exists() else ' (not created)'}")
    click.echo(f"schema:    {', '.join(tracker.schema_steps())}")
    click.echo(f"contacts:  {counts['contacts']}")
    click.echo(f"touches:   {counts['touches']}")


@click.group(invoke_without_command=True)
@click.pass_context
def settings(ctx: click.Context) -> None:
    """Print every setting in force, as TOML you can paste into config.toml
    (`settings set KEY VALUE` changes one)."""
    if ctx.invoked_subcommand is not None:
        return
    invocation: Invocation = ctx.obj
    current = invocation.settings
    by_section: dict[str, list[str]] = {}
    for spec in fields(Settings):
        value = getattr(current, spec.name)
        line = f"{spec.name} = {_shown(value)}  # {spec.metadata['help']}"
        by_section.setdefault(spec.metadata["section"], []).append(line)
    click.echo(f"# {config_path()}")
    for section, lines in by_section.items():
        click.echo(f"\n[{section}]")
        for line in lines:
            click.echo(line)


def _shown(value: object) -> str:
    """``value`` as TOML writes it (quoted strings, lists, inline tables)."""
    import tomlkit

    if isinstance(value, tuple):
        value = list(value)
    if isinstance(value, dict):
        table = tomlkit.inline_table()
        table.update(value)
        return table.as_string()
    return tomlkit.item(value).as_string()


@settings.command(name="set", context_settings={"ignore_unknown_options": True})
@click.argument("key")
@click.argument("value")
def set_command(key: str, value: str) -> None:
    """Write one setting to config.toml, keeping its other lines and comments.

    KEY is a setting as `outreach settings` lists it: coach.my_name, or my_name alone.
    VALUE is checked as the file is: a bad one changes nothing.

    \b
    outreach settings set my_name "Sam Seller"
    outreach settings set review.stale_invite_days 10
    """
    from tracker.config_write import set_setting

    written = set_setting(key, value)
    click.echo(f"{written.key} = {shown(_shown(written.value))}  ({written.path})")


@click.command()
@click.argument("target", type=click.Path(dir_okay=False))
@pass_invocation
def backup(invocation: Invocation, target: str) -> None:
    """Copy the database to TARGET safely, even while the app is open."""
    path = invocation.tracker.backup(Path(target).expanduser())
    click.echo(f"backed up {invocation.db_path} to {path}")


COMMANDS = [info, settings, backup]
