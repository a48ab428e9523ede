"""The search index, checked against one built afresh from the tables: what a store kept
in step write by write must equal what it would build from scratch."""

from __future__ import annotations

import sqlite3
from typing import Any

from tracker.store import Store
from tracker.store.search import CONTACT_DOCUMENTS

TOKENIZER = "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'"


def _contents(conn: sqlite3.Connection, schema: str) -> dict[str, Any]:
    """What the two indexes hold: each contact's document, each term's every occurrence,
    and which touches are indexed."""
    found: dict[str, Any] = {
        "contacts": conn.execute(
            f"SELECT rowid, * FROM {schema}.contact_search ORDER BY rowid"
        ).fetchall(),
        "touches": sorted(
            r[0] for r in conn.execute(f"SELECT id FROM {schema}.touch_search_docsize")
        ),
    }
    for index in ("contact_search", "touch_search"):
        vocab = f"temp.{schema}_{index}_terms"
        terms = f"fts5vocab({schema}, {index}, instance)"
        conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {vocab} USING {terms}")
        found[index] = conn.execute(f"SELECT * FROM {vocab} ORDER BY 1, 2, 3, 4").fetchall()
    return found


def index_in_step(store: Store) -> None:
    """Assert the store's search index equals a fresh build of it, and nothing waits to
    be indexed."""
    conn = sqlite3.connect(":memory:")
    store.conn.backup(conn)
    assert conn.execute("SELECT count(*) FROM search_stale").fetchone()[0] == 0
    kept = _contents(conn, "main")
    conn.execute("ATTACH ':memory:' AS fresh")
    conn.execute(
        "CREATE VIRTUAL TABLE fresh.contact_search USING fts5("
        f"name, company, title, tags, notes, emails, linkedin, phones, {TOKENIZER})"
    )
    conn.execute(
        "CREATE VIRTUAL TABLE fresh.touch_search USING fts5("
        f"text, content = 'touches', content_rowid = 'id', {TOKENIZER})"
    )
    conn.execute(
        "INSERT INTO fresh.touch_search (rowid, text) SELECT id, text FROM main.touches"
        " WHERE text <> ''"
    )
    conn.execute("INSERT INTO main.search_stale (contact_id) SELECT id FROM main.contacts")
    conn.execute(
        CONTACT_DOCUMENTS.replace("INSERT INTO contact_search", "INSERT INTO fresh.contact_search")
    )
    built = _contents(conn, "fresh")
    conn.close()
    assert kept == built
