"""Housekeeping commands: where things live, the settings in force, and backups."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import click

from tracker.cli.common import Invocation, pass_invocation
from tracker.config import Settings
from tracker.paths import config_path


@click.command()
@pass_invocation
def info(invocation: Invocation) -> None:
    """Show where the data and config live, and what the database holds."""
    tracker = invocation.tracker
    counts = tracker.counts()
    click.echo(f"database:  {invocation.db_path}")
    click.echo(f"config:    {config_path()}{'' if config_path().exists() else ' (not created)'}")
    click.echo(f"schema:    {', '.join(tracker.schema_steps())}")
    click.echo(f"contacts:  {counts['contacts']}")
    click.echo(f"touches:   {counts['touches']}")


@click.command()
@pass_invocation
def settings(invocation: Invocation) -> None:
    """Print every setting in force, as TOML you can paste into config.toml."""
    current = invocation.settings
    by_section: dict[str, list[str]] = {}
    for spec in fields(Settings):
        value = getattr(current, spec.name)
        if isinstance(value, str):
            shown = f'"{value}"'
        elif isinstance(value, tuple):
            shown = "[" + ", ".join(f'"{v}"' for v in value) + "]"
        elif isinstance(value, dict):
            shown = "{" + ", ".join(f'{k} = "{v}"' for k, v in value.items()) + "}"
        else:
            shown = str(value)
        line = f"{spec.name} = {shown}  # {spec.metadata['help']}"
        by_section.setdefault(spec.metadata["section"], []).append(line)
    click.echo(f"# {config_path()}")
    for section, lines in by_section.items():
        click.echo(f"\n[{section}]")
        for line in lines:
            click.echo(line)


@click.command()
@click.argument("target", type=click.Path(dir_okay=False))
@pass_invocation
def backup(invocation: Invocation, target: str) -> None:
    """Copy the database to TARGET safely, even while the app is open."""
    path = invocation.tracker.backup(Path(target).expanduser())
    click.echo(f"backed up {invocation.db_path} to {path}")


COMMANDS = [info, settings, backup]
