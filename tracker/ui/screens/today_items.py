"""What Today does with the selected item beyond logging and scheduling: copy the coach's
suggestion (saying where it went), reach the contact (``O``: their LinkedIn profile, a
call, a text, an email), and say why ``w``/``a``/``i`` do nothing on an item that is not
a pending invitation. A base of ``TodayScreen``, which owns the list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work

from tracker.errors import TrackerError
from tracker.models import Kind
from tracker.service.day import QueueEntry
from tracker.ui.reach import copy_text, open_links
from tracker.ui.screens.today_bulk import MarkedItems
from tracker.ui.widgets.item_detail import ItemDetail, invitation_item
from tracker.ui.widgets.queue_list import QueueList
from tracker.words import ITEM_TITLES, MESSAGE_WORDS, one_line

if TYPE_CHECKING:
    from tracker.coach.suggestions import Suggestion


class ItemExtras(MarkedItems):
    """Copying, reaching, and the invitation keys' explanation, for ``TodayScreen``."""

    def __init__(self) -> None:
        super().__init__()
        self._copied: dict[str, Suggestion] = {}
        """The suggestion copied for each entry (``l`` then logs it with that text)."""
        self._copy_wanted: str | None = None

    @on(ItemDetail.Drafted)
    def _drafted(self, event: ItemDetail.Drafted) -> None:
        entry = self.current
        if entry is not None and entry.key == event.key == self._copy_wanted:
            self._copy_wanted = None
            self._copy(entry, event.suggestion)

    def explain_key(self, key: str) -> bool:
        """``w``, ``a`` or ``i`` on an item that is not a pending invitation: say why
        nothing happens (the keys are not offered there, but a person may press them).
        The app asks, in turn with the other keys (``tracker.ui.keys_in_flight``)."""
        entry = self.current
        queue = self.query_one(QueueList)
        if entry is None or entry.item.kind is Kind.STALE_INVITE or queue.marked or queue.ranging:
            return False  # the keys act (on marked items they say what they did)
        bound = self.remapped_bindings().key_to_bindings.get(key, ())
        acts = [b for b in bound if b.action.startswith("invitation(")]
        if any(invitation_item(entry, "withdrawn" in b.action) for b in acts):
            return False  # a sequence's step that withdraws its invitation: w acts
        if acts:
            self.outreach.say(not_an_invitation(entry), "warning")
        return bool(acts)

    def action_copy(self) -> None:
        entry = self.current
        if entry is None:
            return
        known = self.query_one(ItemDetail).suggestion(entry)
        if known is None:  # copied as soon as the coach has drafted it
            self._copy_wanted = entry.key
            return
        self._copy(entry, known)

    def _copy(self, entry: QueueEntry, suggestion: Suggestion) -> None:
        what = MESSAGE_WORDS[suggestion.channel]
        who = entry.item.contact
        if not suggestion.text:
            self.outreach.say(
                f"No {what} suggested for {who}: {suggestion.why_not}. "
                "m writes a message by another channel.",
                "warning",
            )
            return
        self._copied[entry.key] = suggestion
        fill = ", ".join("{" + name + "}" for name in suggestion.missing)
        then = (f" Fill in {fill} first." if fill else "") + (
            " Paste it where you send it, then press l to log it (the text is filled in)."
        )
        copy_text(
            self.outreach,
            suggestion.text,
            lambda where: self.outreach.say(f"The coach's {what} for {who}: {where}.{then}"),
        )

    def action_open_link(self) -> None:
        if entry := self.current:
            self._reach(entry.item.contact_id, one_line(entry.item.contact))

    @work(thread=True, exclusive=True, group="today-reach")
    def _reach(self, contact_id: int, who: str) -> None:
        from tracker.links import contact_links

        try:
            contact = self.outreach.data.run(lambda t: t.contact(contact_id))
        except TrackerError as exc:
            self.app.call_from_thread(self.outreach.say, str(exc), "error")
            return
        self.app.call_from_thread(open_links, self.outreach, who, contact_links(contact))


def not_an_invitation(entry: QueueEntry) -> str:
    """Why ``w``, ``a`` and ``i`` did nothing on ``entry`` (not a pending invitation)."""
    item = entry.item
    kind = item.kind
    who = one_line(item.contact)
    if kind is Kind.RESEND_INVITE:
        why = "its invitation was withdrawn already; l logs a new one"
    elif kind is Kind.THANK_NEW_CONNECTION:
        why = "they accepted your invitation already; m writes the thank-you"
    else:
        why = f"it is “{ITEM_TITLES[kind]}”, not a pending invitation"
    return f"w, a and i mark a pending invitation: nothing changed for {who} ({why})."
