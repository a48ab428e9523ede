"""Schema steps, one function each, applied in order by sqlite-utils ``Migrations``.

Never edit a step that has shipped: add a new one. ``KNOWN`` lists every step's name so
the store can tell a file written by a newer version (one with steps we do not know).
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

from tracker.store.steps import MIGRATION_SET

migrations = Migrations(MIGRATION_SET)


def _run(db: Database, script: str) -> None:
    """Run ``;``-separated DDL inside the migration's transaction.

    (``executescript`` would commit first, breaking the all-or-nothing step.)
    """
    for statement in script.split(";"):
        if statement.strip():
            db.conn.execute(statement)


@migrations()
def m001_core(db: Database) -> None:
    """Contacts, tags, touches, follow-ups, snoozes, closed reviews and app settings."""
    _run(
        db,
        """
        CREATE TABLE contacts (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            first_name TEXT,
            last_name TEXT,
            company TEXT,
            title TEXT,
            phone TEXT,
            email TEXT,
            linkedin_url TEXT,
            segment TEXT,
            relationship TEXT,
            notes TEXT,
            keep_in_touch_days INTEGER,
            sms_opt_in_at TEXT,
            sms_opt_out_at TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE UNIQUE INDEX contacts_phone ON contacts(phone) WHERE phone IS NOT NULL;
        CREATE UNIQUE INDEX contacts_email ON contacts(email) WHERE email IS NOT NULL;
        CREATE UNIQUE INDEX contacts_linkedin ON contacts(linkedin_url)
            WHERE linkedin_url IS NOT NULL;
        CREATE INDEX contacts_name ON contacts(name COLLATE NOCASE);

        CREATE TABLE tags (
            contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
            tag TEXT NOT NULL,
            PRIMARY KEY (contact_id, tag)
        ) WITHOUT ROWID;
        CREATE INDEX tags_tag ON tags(tag);

        CREATE TABLE touches (
            id INTEGER PRIMARY KEY,
            contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
            channel TEXT NOT NULL,
            direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
            at TEXT NOT NULL,
            text TEXT,
            status TEXT,
            status_at TEXT,
            has_note INTEGER,
            moment TEXT,
            is_group INTEGER NOT NULL DEFAULT 0,
            source TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX touches_contact_at ON touches(contact_id, at, id);
        CREATE INDEX touches_at ON touches(at);
        CREATE UNIQUE INDEX touches_source ON touches(source) WHERE source IS NOT NULL;
        CREATE INDEX touches_pending_invites ON touches(at, contact_id)
            WHERE channel = 'linkedin_invite' AND status = 'pending';

        CREATE TABLE follow_ups (
            contact_id INTEGER PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
            due_on TEXT NOT NULL,
            reason TEXT,
            set_at TEXT NOT NULL
        );
        CREATE INDEX follow_ups_due ON follow_ups(due_on);

        CREATE TABLE snoozes (
            contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            until TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (contact_id, kind)
        ) WITHOUT ROWID;
        CREATE INDEX snoozes_until ON snoozes(until);

        CREATE TABLE reviews (
            day TEXT PRIMARY KEY,
            closed_at TEXT NOT NULL,
            items_done INTEGER NOT NULL DEFAULT 0,
            items_left INTEGER NOT NULL DEFAULT 0
        );

        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT
        );
        """,
    )


@migrations()
def m002_contact_state(db: Database) -> None:
    """A per-contact summary of history, so the review never scans touches.

    Filled for existing contacts by the store right after this step (it needs the
    review's summarising code, which does not belong in a schema step).
    """
    _run(
        db,
        """
        CREATE TABLE contact_state (
            contact_id INTEGER PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
            stale INTEGER NOT NULL DEFAULT 1,
            last_event_at TEXT,
            last_touch_at TEXT,
            last_outbound_at TEXT,
            invite_id INTEGER,
            invite_sent_at TEXT,
            invite_status TEXT,
            invite_status_at TEXT,
            invite_has_note INTEGER,
            thank_since TEXT,
            call_since TEXT,
            no_reply_since TEXT,
            no_reply_channel TEXT,
            text_run INTEGER NOT NULL DEFAULT 0,
            text_run_first TEXT,
            text_run_last TEXT,
            last_text_out TEXT,
            last_message TEXT,
            last_message_out INTEGER
        );
        CREATE INDEX state_stale ON contact_state(stale) WHERE stale = 1;
        CREATE INDEX state_last_event ON contact_state(last_event_at);
        CREATE INDEX state_last_touch ON contact_state(last_touch_at);
        CREATE INDEX state_pending ON contact_state(invite_sent_at)
            WHERE invite_status = 'pending';
        CREATE INDEX state_withdrawn ON contact_state(invite_status_at)
            WHERE invite_status = 'withdrawn';
        CREATE INDEX state_thank ON contact_state(thank_since) WHERE thank_since IS NOT NULL;
        CREATE INDEX state_call ON contact_state(call_since) WHERE call_since IS NOT NULL;
        CREATE INDEX state_no_reply ON contact_state(no_reply_since)
            WHERE no_reply_since IS NOT NULL;
        CREATE INDEX state_text_run ON contact_state(text_run_last) WHERE text_run > 0;
        CREATE INDEX contacts_cadence ON contacts(keep_in_touch_days)
            WHERE keep_in_touch_days IS NOT NULL;
        INSERT INTO contact_state (contact_id) SELECT id FROM contacts;
        """,
    )


@migrations()
def m003_touch_template(db: Database) -> None:
    """Which message template a touch was drafted from, so insights can compare them."""
    _run(db, "ALTER TABLE touches ADD COLUMN template TEXT")


@migrations()
def m004_state_last_inbound(db: Database) -> None:
    """When the contact last reached out, for the warmth part of the priority score."""
    _run(
        db,
        """
        ALTER TABLE contact_state ADD COLUMN last_inbound_at TEXT;
        UPDATE contact_state SET stale = 1
        """,
    )


@migrations()
def m005_invitation_index(db: Database) -> None:
    """Invitations in the order they were sent, so exporting and counting them reads
    only the invitations instead of walking every touch."""
    _run(
        db,
        """
        CREATE INDEX touches_invitations ON touches(at, id)
            WHERE channel = 'linkedin_invite' AND direction = 'out'
        """,
    )


@migrations()
def m006_identifiers(db: Database) -> None:
    """Several phones and emails per contact, each labelled, one primary (kept in
    ``contacts.phone``/``email`` too), and the day a contact became a LinkedIn connection.

    The numbers and addresses earlier imports left in notes ("Other phones: ...") are
    claimed by the store right after this step (normalising them needs the user's region).
    """
    _run(
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
    _run(
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
    _run(
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


@migrations()
def m010_sequence_enrollments(db: Database) -> None:
    """Sequences: each contact's enrollments (the version of the sequence it started
    with, its start day, the rep's acts on it, and where it stood when last worked out,
    with the day it next needs another look), the day each step is shown on (for
    ``max_per_day``), and triggers that flag an enrollment when its contact's touches,
    consent or channels change, so the service works it out again."""
    _run(
        db,
        """
        CREATE TABLE enrollments (
            id INTEGER PRIMARY KEY,
            contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
            sequence TEXT NOT NULL,
            definition TEXT NOT NULL,
            start_on TEXT NOT NULL,
            enrolled_at TEXT NOT NULL,
            events TEXT NOT NULL DEFAULT '[]',
            status TEXT NOT NULL DEFAULT 'active',
            progress TEXT,
            next_due_on TEXT,
            next_check_on TEXT,
            paused_until TEXT,
            changed_at TEXT NOT NULL,
            synced_at TEXT,
            dirty INTEGER NOT NULL DEFAULT 1,
            frozen INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX enrollments_contact ON enrollments(contact_id);
        CREATE UNIQUE INDEX enrollments_live ON enrollments(contact_id) WHERE frozen = 0;
        CREATE INDEX enrollments_sequence ON enrollments(sequence);
        CREATE INDEX enrollments_due ON enrollments(next_due_on) WHERE next_due_on IS NOT NULL;
        CREATE INDEX enrollments_check ON enrollments(next_check_on)
            WHERE next_check_on IS NOT NULL;
        CREATE INDEX enrollments_dirty ON enrollments(dirty) WHERE dirty = 1;
        CREATE INDEX enrollments_changed ON enrollments(changed_at);
        CREATE INDEX enrollments_paused ON enrollments(status) WHERE status = 'paused';

        CREATE TABLE enrollment_slots (
            enrollment_id INTEGER NOT NULL REFERENCES enrollments(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            action TEXT NOT NULL,
            channel TEXT NOT NULL,
            due_on TEXT NOT NULL,
            slot_on TEXT NOT NULL,
            PRIMARY KEY (enrollment_id, position, action)
        ) WITHOUT ROWID;
        CREATE INDEX enrollment_slots_day ON enrollment_slots(channel, slot_on)
        """,
    )
    flag = "UPDATE enrollments SET dirty = 1 WHERE contact_id = {who} AND frozen = 0 AND dirty = 0"
    for name, when, who in (
        ("touch_added", "AFTER INSERT ON touches", "NEW.contact_id"),
        ("touch_removed", "AFTER DELETE ON touches", "OLD.contact_id"),
        ("touch_changed", "AFTER UPDATE ON touches", "NEW.contact_id"),
        ("touch_moved", "AFTER UPDATE OF contact_id ON touches", "OLD.contact_id"),
        (
            "contact_changed",
            "AFTER UPDATE OF phone, email, linkedin_url, linkedin_connected_on,"
            " sms_opt_in_at, sms_opt_out_at ON contacts",
            "NEW.id",
        ),
    ):
        db.conn.execute(
            f"CREATE TRIGGER enrollments_{name} {when} BEGIN {flag.format(who=who)}; END"
        )


@migrations()
def m011_invitations_settled(db: Database) -> None:
    """The invitations settled (accepted, ignored, withdrawn) by the time they were, so
    account health as of a past moment (Today's top line under a clock behind the
    present) reads only those settled after it, instead of every older invitation."""
    _run(
        db,
        """
        CREATE INDEX touches_invitations_settled ON touches(status_at)
            WHERE channel = 'linkedin_invite' AND direction = 'out' AND status <> 'pending'
        """,
    )


@migrations()
def m012_message_replies(db: Database) -> None:
    """What the insights count replies from, kept in step with every write: one row per
    message the rep sent (``tracker.replies``: its run, and when it was answered), so
    ``outreach stats`` and the Insights screen never walk the whole history. The store
    fills it for every contact right after this step. ``week_quarter`` is the UTC
    quarter-hour of the week it was sent in (0: Monday 00:00-00:14 UTC), so counting by
    local hour reads the index in order, one zone offset at a time.

    Invitations get covering indexes (every column the insights and account health
    read, ``channel`` and ``direction`` too, which SQLite needs to read an index alone, in
    the orders they count them: by time, by kind, by contact), and contacts an index by
    segment, so counting invitations reads indexes in order, never a touch row
    and never a sort."""
    _run(
        db,
        """
        CREATE TABLE message_replies (
            touch_id INTEGER PRIMARY KEY REFERENCES touches(id) ON DELETE CASCADE,
            contact_id INTEGER NOT NULL,
            channel TEXT NOT NULL,
            sent INTEGER NOT NULL,
            run INTEGER NOT NULL,
            replied INTEGER,
            week_quarter INTEGER GENERATED ALWAYS AS
                (((sent + 6048000000) / 900 + 288) % 672) VIRTUAL
        );
        CREATE INDEX message_replies_cells
            ON message_replies(channel, run = 1, week_quarter, sent, replied, run, contact_id);
        DROP INDEX touches_invitations;
        CREATE INDEX touches_invitations
            ON touches(at, id, contact_id, status, status_at, has_note, moment, template,
                channel, direction)
            WHERE channel = 'linkedin_invite' AND direction = 'out';
        CREATE INDEX touches_invitation_kinds
            ON touches(template, moment, has_note, status, at, id, status_at, contact_id,
                channel, direction)
            WHERE channel = 'linkedin_invite' AND direction = 'out';
        CREATE INDEX touches_invitation_contact
            ON touches(contact_id, at, id, status, status_at, has_note, channel, direction)
            WHERE channel = 'linkedin_invite' AND direction = 'out';
        CREATE INDEX contacts_segment ON contacts(segment)
        """,
    )


KNOWN = [m.name for m in migrations._migrations]
