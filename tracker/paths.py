"""Where the data file and the config file live.

By default the platform's user data and config directories (platformdirs); the
``OUTREACH_HOME`` environment variable points both at one folder instead, which is
what tests and power users do. Nothing here touches the disk at import time.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "outreach"
DB_FILENAME = "outreach.db"
DEMO_DB_FILENAME = "demo.db"
CONFIG_FILENAME = "config.toml"
HOME_ENV = "OUTREACH_HOME"


def home_override() -> Path | None:
    """The folder named by ``OUTREACH_HOME``, if set."""
    value = os.environ.get(HOME_ENV)
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    """The folder that holds the database and its backups."""
    return home_override() or Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """The folder that holds ``config.toml``."""
    return home_override() or Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    """The database used when no ``--db`` is given."""
    return data_dir() / DB_FILENAME


def demo_db_path() -> Path:
    """The separate database the demo uses, so it never mixes with real data."""
    return data_dir() / DEMO_DB_FILENAME


def config_path() -> Path:
    """The TOML settings file."""
    return config_dir() / CONFIG_FILENAME


def ensure_private_dir(path: Path) -> None:
    """Create ``path`` (and parents) so that only its owner can enter it."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        if path.stat().st_mode & 0o077:
            path.chmod(0o700)
    except PermissionError:
        pass
