"""The names of the schema steps, and which of them a file has, read with plain SQL.

Opening a current file only needs to know that every step is applied and none is unknown
(a file from a newer version). That is one query on sqlite-utils' ``_sqlite_migrations``
table, so the store loads sqlite-utils (``tracker.store.migrations``) only when a step is
actually pending; its import is a large part of a cold start. ``KNOWN_STEPS`` is checked
against the migrations themselves by the tests.
"""

from __future__ import annotations

import sqlite3

MIGRATION_SET = "outreach"
MIGRATIONS_TABLE = "_sqlite_migrations"
KNOWN_STEPS: tuple[str, ...] = (
    "m001_core",
    "m002_contact_state",
    "m003_touch_template",
    "m004_state_last_inbound",
    "m005_invitation_index",
    "m006_identifiers",
    "m007_state_channel_switch",
    "m008_key_dates",
    "m009_search",
    "m010_sequence_enrollments",
    "m011_invitations_settled",
    "m012_message_replies",
)


def applied_steps(conn: sqlite3.Connection) -> list[str]:
    """The steps of our set recorded in the file, in the order they were applied."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (MIGRATIONS_TABLE,)
    ).fetchone()
    if exists is None:
        return []
    rows = conn.execute(
        f"SELECT name FROM [{MIGRATIONS_TABLE}] WHERE migration_set = ? ORDER BY rowid",
        (MIGRATION_SET,),
    )
    return [name for (name,) in rows]


def pending_steps(conn: sqlite3.Connection) -> list[str]:
    """Known steps the file does not have yet, in order."""
    applied = set(applied_steps(conn))
    return [name for name in KNOWN_STEPS if name not in applied]
