"""The first steps: contacts, touches and the rest of the core tables (m001), the
summaries the review reads (m002), and the small steps that followed (a touch's template,
the last inbound touch, the invitations' index).

Never edit a step that has shipped: add a new one (``tracker/store/migrations``).
"""

from __future__ import annotations

from sqlite_utils import Database

from tracker.store.migrations.base import migrations, run_ddl


@migrations()
def m001_core(db: Database) -> None:
    """Contacts, tags, touches, follow-ups, snoozes, closed reviews and app settings."""
    run_ddl(
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
    run_ddl(
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
    run_ddl(db, "ALTER TABLE touches ADD COLUMN template TEXT")


@migrations()
def m004_state_last_inbound(db: Database) -> None:
    """When the contact last reached out, for the warmth part of the priority score."""
    run_ddl(
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
    run_ddl(
        db,
        """
        CREATE INDEX touches_invitations ON touches(at, id)
            WHERE channel = 'linkedin_invite' AND direction = 'out'
        """,
    )
