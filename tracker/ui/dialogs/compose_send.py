"""Logging a written message as sent, from the compose dialog: the touch it makes, the
coach's refusal of a blocked one and the confirmation it takes to log it anyway. A base of
``ComposeDialog``, which owns the text, the channel and the template."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.message import Message
from textual.widgets import Button, TextArea

from tracker.coach.suggestions import ComposeContext
from tracker.coach.templates import Template
from tracker.errors import BlockedError, TrackerError
from tracker.models import Channel, Direction
from tracker.service.edits import TouchDraft
from tracker.ui.dialogs.base import Dialog
from tracker.ui.dialogs.override import OverrideDialog
from tracker.words import MESSAGE_WORDS

if TYPE_CHECKING:
    from tracker.ui.app import OutreachApp


class Sending(Dialog[bool]):
    """``ctrl+s``: log the message as sent (``_say`` shows what happened)."""

    contact_id: int
    who: str
    context: ComposeContext | None
    channel: Channel
    template: Template | None
    _busy: bool

    class Done(Message):
        """A write finished: ``label`` when logged, else ``error`` (``blocked`` if the
        coach refused it)."""

        def __init__(self, label: str = "", error: str = "", blocked: bool = False) -> None:
            super().__init__()
            self.label, self.error, self.blocked = label, error, blocked

    @property
    def outreach(self) -> OutreachApp:
        return cast("OutreachApp", self.app)

    def _say(self, text: str, style: str = "italic") -> None:
        raise NotImplementedError

    def action_log(self) -> None:
        if self.context is None or self._busy:
            return
        text = self.query_one("#compose-text", TextArea).text.strip()
        if not text and self.channel is not Channel.LINKEDIN_INVITE:
            self._say("Write the message first (only an invitation can go without a note).")
            return
        self._send(text, force=False)

    def _send(self, text: str, force: bool) -> None:
        template = self.template
        invitation = self.channel is Channel.LINKEDIN_INVITE
        draft = TouchDraft(
            channel=self.channel,
            direction=Direction.OUT,
            at=self.outreach.now(),
            text=text,
            moment=template.moment if template and invitation else None,
            template=template.name if template else None,
            force=force,
        )
        if invitation:
            note = "with a note" if text else "without a note"
            label = f"Logged an invitation to {self.who}, {note}. (u undoes)"
        else:
            label = f"Logged a {MESSAGE_WORDS[self.channel]} to {self.who} as sent. (u undoes)"
        self._busy = True
        self._write(label, draft)

    @work(thread=True, exclusive=True, group="compose-log")
    def _write(self, label: str, draft: TouchDraft) -> None:
        contact_id, now = self.contact_id, draft.at
        try:
            said = self.outreach.data.write(label, lambda t: t.log_touch(contact_id, draft, now))
        except BlockedError as exc:
            self.post_message(self.Done(error=str(exc), blocked=True))
            return
        except TrackerError as exc:
            self.post_message(self.Done(error=str(exc)))
            return
        self.post_message(self.Done(label=said))

    @on(Done)
    def _done(self, message: Done) -> None:
        self._busy = False
        if message.label:
            self.outreach.after_write(message.label)
            self.dismiss(True)
            return
        if not message.blocked:
            if self.context is None:  # could not even load
                self.outreach.say(message.error, "error")
                self.dismiss(None)
                return
            self._say(f"Not logged: {message.error}", "bold red")
            return
        reasons = message.error
        self._say(f"Not logged: {reasons}", "bold red")
        text = self.query_one("#compose-text", TextArea).text.strip()

        def answered(anyway: bool | None) -> None:
            if anyway:
                self._send(text, force=True)

        invitation = self.channel is Channel.LINKEDIN_INVITE
        self.app.push_screen(OverrideDialog(reasons, invitation), answered)

    @on(Button.Pressed, "#log")
    def _log_pressed(self) -> None:
        self.action_log()
