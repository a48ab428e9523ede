"""The rows behind each CSV export, streamed from SQL in pages (never all in memory)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tracker.store.base import StoreBase

EXPORT_QUERIES: dict[str, tuple[tuple[str, ...], str]] = {
    "contacts": (
        (
            "id",
            "name",
            "first_name",
            "last_name",
            "company",
            "title",
            "phone",
            "email",
            "linkedin_url",
            "segment",
            "relationship",
            "tags",
            "notes",
            "keep_in_touch_days",
            "sms_opt_in_at",
            "sms_opt_out_at",
            "follow_up_on",
            "follow_up_reason",
            "follow_up_set_at",
            "created_at",
            "updated_at",
        ),
        """
        SELECT c.id, c.name, c.first_name, c.last_name, c.company, c.title, c.phone, c.email,
               c.linkedin_url, c.segment, c.relationship,
               (SELECT group_concat(tag, '; ') FROM
                   (SELECT tag FROM tags t WHERE t.contact_id = c.id ORDER BY tag)),
               c.notes, c.keep_in_touch_days, c.sms_opt_in_at, c.sms_opt_out_at,
               f.due_on, f.reason, f.set_at, c.created_at, c.updated_at
        FROM contacts c LEFT JOIN follow_ups f ON f.contact_id = c.id
        ORDER BY c.id
        """,
    ),
    "touches": (
        (
            "id",
            "contact_id",
            "contact",
            "channel",
            "direction",
            "at",
            "text",
            "status",
            "status_at",
            "has_note",
            "moment",
            "is_group",
            "source",
            "template",
            "created_at",
        ),
        """
        SELECT t.id, t.contact_id, c.name, t.channel, t.direction, t.at, t.text, t.status,
               t.status_at, t.has_note, t.moment, t.is_group, t.source, t.template,
               t.created_at
        FROM touches t JOIN contacts c ON c.id = t.contact_id
        ORDER BY t.id
        """,
    ),
    "invitations": (
        (
            "id",
            "contact_id",
            "contact",
            "company",
            "segment",
            "linkedin_url",
            "sent_at",
            "has_note",
            "note",
            "moment",
            "status",
            "status_at",
        ),
        """
        SELECT t.id, t.contact_id, c.name, c.company, c.segment, c.linkedin_url, t.at,
               t.has_note, t.text, t.moment, t.status, t.status_at
        FROM touches t JOIN contacts c ON c.id = t.contact_id
        WHERE t.channel = 'linkedin_invite' AND t.direction = 'out'
        ORDER BY t.at, t.id
        """,
    ),
}


class ExportMixin(StoreBase):
    """Streams export rows page by page."""

    def export_rows(self, what: str, page: int = 10_000) -> tuple[tuple[str, ...], Iterator[Any]]:
        header, sql = EXPORT_QUERIES[what]

        def rows() -> Iterator[Any]:
            cursor = self.conn.cursor()
            cursor.execute(sql)
            while True:
                batch = cursor.fetchmany(page)
                if not batch:
                    return
                yield from batch

        return header, rows()
