"""The schema steps' registry (sqlite-utils ``Migrations``) and what the steps share."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

from tracker.store.steps import MIGRATION_SET

migrations = Migrations(MIGRATION_SET)
"""Every step, in the order it was registered: the order the step modules are imported
in (``tracker/store/migrations/__init__.py``)."""


def run_ddl(db: Database, script: str) -> None:
    """Run ``;``-separated DDL inside the migration's transaction.

    (``executescript`` would commit first, breaking the all-or-nothing step.)
    """
    for statement in script.split(";"):
        if statement.strip():
            db.conn.execute(statement)
