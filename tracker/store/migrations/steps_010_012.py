"""Sequences and speed: enrollments in sequences (m010), the index of settled
invitations (m011) and the reply facts the insights count (m012).

Never edit a step that has shipped: add a new one (``tracker/store/migrations``).
"""

from __future__ import annotations

from sqlite_utils import Database

from tracker.store.migrations.base import migrations, run_ddl


@migrations()
def m010_sequence_enrollments(db: Database) -> None:
    """Sequences: each contact's enrollments (the version of the sequence it started
    with, its start day, the rep's acts on it, and where it stood when last worked out,
    with the day it next needs another look), the day each step is shown on (for
    ``max_per_day``), and triggers that flag an enrollment when its contact's touches,
    consent or channels change, so the service works it out again."""
    run_ddl(
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
    run_ddl(
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
    run_ddl(
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
