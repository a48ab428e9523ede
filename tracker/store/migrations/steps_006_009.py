"""Identity and reach: several phones and emails per contact (m006), the channel switch
that ends a text run (m007), key dates (m008) and the search index (m009).

Never edit a step that has shipped: add a new one (``tracker/store/migrations``).
"""

from __future__ import annotations

from sqlite_utils import Database

from tracker.store.migrations.base import migrations, run_ddl


@migrations()
def m006_identifiers(db: Database) -> None:
    """Several phones and emails per contact, each labelled, one primary (kept in
    ``contacts.phone``/``email`` too), and the day a contact became a LinkedIn connection.

    The numbers and addresses earlier imports left in notes ("Other phones: ...") are
    claimed by the store right after this step (normalising them needs the user's region).
    """
    run_ddl(
        db,
        """
        CREATE TABLE contact_identifiers (
            id INTEGER PRIMARY KEY,
            contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('phone', 'email')),
            value TEXT NOT NULL,
            label TEXT NOT NULL,
            is_primary INTEGER NOT NULL DEFAULT 0
        );
        CREATE UNIQUE INDEX identifiers_value ON contact_identifiers(kind, value);
        CREATE INDEX identifiers_contact ON contact_identifiers(contact_id, is_primary DESC);
        CREATE UNIQUE INDEX identifiers_primary ON contact_identifiers(contact_id, kind)
            WHERE is_primary = 1;
        INSERT INTO contact_identifiers (contact_id, kind, value, label, is_primary)
            SELECT id, 'phone', phone, 'mobile', 1 FROM contacts WHERE phone IS NOT NULL
            ORDER BY id;
        INSERT INTO contact_identifiers (contact_id, kind, value, label, is_primary)
            SELECT id, 'email', email, 'other', 1 FROM contacts WHERE email IS NOT NULL
            ORDER BY id;
        ALTER TABLE contacts ADD COLUMN linkedin_connected_on TEXT
        """,
    )


@migrations()
def m007_state_channel_switch(db: Database) -> None:
    """When the rep last switched channel after an unanswered run of texts (clears
    ``step_back``); every summary is recomputed to fill it."""
    run_ddl(
        db,
        """
        ALTER TABLE contact_state ADD COLUMN text_run_switched_at TEXT;
        UPDATE contact_state SET stale = 1
        """,
    )


@migrations()
def m008_key_dates(db: Database) -> None:
    """Each contact's key dates: a birthday and other dates that come round every year,
    found by the day they fall (``MM-DD``), with the year when it is known."""
    run_ddl(
        db,
        """
        CREATE TABLE key_dates (
            contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
            label TEXT NOT NULL,
            month_day TEXT NOT NULL,
            year INTEGER,
            PRIMARY KEY (contact_id, label)
        ) WITHOUT ROWID;
        CREATE INDEX key_dates_month_day ON key_dates(month_day)
        """,
    )


@migrations()
def m009_search(db: Database) -> None:
    """Full-text search (SQLite FTS5) over contacts and the text of touches.

    ``touch_search`` indexes ``touches.text`` (the table is its content, so the text is not
    stored twice) and triggers keep it in step with every insert, edit and delete.
    ``contact_search`` holds one document per contact (name, company, title, tags, notes,
    emails, LinkedIn slug, phones) built from three tables: triggers on them list the
    contacts that changed in ``search_stale``, and the store rebuilds those documents
    before each write commits (so an import writing a contact, its phones and its tags
    builds the document once). Every existing contact is listed here, and so indexed as
    this upgrade commits.
    """
    tokenizer = "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'"
    statements = [
        "CREATE TABLE search_stale (contact_id INTEGER PRIMARY KEY)",
        "CREATE VIRTUAL TABLE contact_search USING fts5("
        f"name, company, title, tags, notes, emails, linkedin, phones, {tokenizer})",
        "CREATE VIRTUAL TABLE touch_search USING fts5("
        f"text, content = 'touches', content_rowid = 'id', {tokenizer})",
        """CREATE TRIGGER touches_search_insert AFTER INSERT ON touches
        WHEN new.text <> '' BEGIN
            INSERT INTO touch_search (rowid, text) VALUES (new.id, new.text);
        END""",
        """CREATE TRIGGER touches_search_delete AFTER DELETE ON touches
        WHEN old.text <> '' BEGIN
            INSERT INTO touch_search (touch_search, rowid, text)
                VALUES ('delete', old.id, old.text);
        END""",
        """CREATE TRIGGER touches_search_update AFTER UPDATE OF id, text ON touches BEGIN
            INSERT INTO touch_search (touch_search, rowid, text)
                SELECT 'delete', old.id, old.text WHERE old.text <> '';
            INSERT INTO touch_search (rowid, text) SELECT new.id, new.text WHERE new.text <> '';
        END""",
        """CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts BEGIN
            INSERT OR IGNORE INTO search_stale (contact_id) VALUES (new.id);
        END""",
        """CREATE TRIGGER contacts_search_update
        AFTER UPDATE OF id, name, company, title, notes, linkedin_url ON contacts BEGIN
            INSERT OR IGNORE INTO search_stale (contact_id) VALUES (old.id), (new.id);
        END""",
        """CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts BEGIN
            INSERT OR IGNORE INTO search_stale (contact_id) VALUES (old.id);
        END""",
    ]
    for table in ("tags", "contact_identifiers"):
        statements += [
            f"""CREATE TRIGGER {table}_search_insert AFTER INSERT ON {table} BEGIN
                INSERT OR IGNORE INTO search_stale (contact_id) VALUES (new.contact_id);
            END""",
            f"""CREATE TRIGGER {table}_search_update AFTER UPDATE ON {table} BEGIN
                INSERT OR IGNORE INTO search_stale (contact_id)
                    VALUES (old.contact_id), (new.contact_id);
            END""",
            f"""CREATE TRIGGER {table}_search_delete AFTER DELETE ON {table} BEGIN
                INSERT OR IGNORE INTO search_stale (contact_id) VALUES (old.contact_id);
            END""",
        ]
    statements += [
        "INSERT INTO touch_search (rowid, text) SELECT id, text FROM touches WHERE text <> ''",
        "INSERT INTO search_stale (contact_id) SELECT id FROM contacts",
    ]
    for statement in statements:  # one by one: a trigger's body holds semicolons
        db.conn.execute(statement)
