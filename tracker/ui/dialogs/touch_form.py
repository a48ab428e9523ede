"""Log a touch (or edit one): channel, direction, when, status, moment and text, plus
"follow up in N days" when logging. Times are typed in local time; "now" is the default.

A text, LinkedIn message or invitation you log as sent goes past the coach first: one it
blocks is refused with the reason under the text, and is logged only if you confirm. An
invitation LinkedIn would not send (already connected, one pending, a recent withdrawal)
is not offered: the form defaults to a LinkedIn message instead."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, tzinfo

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Input, TextArea

from tracker.errors import DateError, TrackerError, UsageError
from tracker.models import CallStatus, Channel, Direction, InviteStatus, Moment, Touch
from tracker.service import Tracker
from tracker.service.edits import TouchDraft
from tracker.text import safe
from tracker.timeutil import parse_when
from tracker.ui.dialogs.base import title
from tracker.ui.dialogs.form import FormDialog
from tracker.ui.dialogs.override import OverrideDialog
from tracker.ui.widgets.choice import Choice
from tracker.ui.widgets.field import Field
from tracker.words import CHANNEL_LABELS, when, words

MAX_FOLLOW_UP_DAYS = 3650
COACHED = frozenset({Channel.SMS, Channel.LINKEDIN_INVITE, Channel.LINKEDIN_MESSAGE})


def parse_moment(text: str, now: datetime, tz: tzinfo, ahead_ok: bool = False) -> datetime:
    """What the shared parser reads (``now``, ``yesterday``, ``yesterday 14:00``,
    ``friday 2pm``, ``3 days ago``, ``2026-11-20 09:30``; a day alone keeps the time of
    day of ``now``), relative to ``now``; a time ahead of ``now`` only when ``ahead_ok``
    (a meeting can be logged ahead)."""
    moment = parse_when(text.strip() or "now", tz, now=now)
    if moment > now + timedelta(minutes=1) and not ahead_ok:
        raise UsageError("that time is in the future (only a meeting can be logged ahead)")
    return moment


class TouchForm(FormDialog[TouchDraft]):
    """Returns a ``TouchDraft`` (the caller writes it), or ``None`` when cancelled.

    ``contact_id`` lets the coach check an outbound message before the form closes;
    ``template`` is recorded with a message prefilled from one (on its own channel);
    ``invite_refusal`` says why an invitation would be refused, when the caller knows
    (else the form asks the service).
    """

    class _Checked(Message):
        def __init__(
            self, draft: TouchDraft, blocked: str, error: str = "", limits: str = ""
        ) -> None:
            super().__init__()
            self.draft, self.blocked, self.error = draft, blocked, error
            self.limits = limits
            """A LinkedIn limit the invitation passes (a warning, never a refusal)."""

    class _InviteRefused(Message):
        """Why an invitation to the contact would be refused now (empty: it would not)."""

        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    def __init__(
        self,
        who: str,
        now: Callable[[], datetime],
        tz: tzinfo,
        channel: Channel = Channel.SMS,
        direction: Direction = Direction.OUT,
        touch: Touch | None = None,
        heading: str = "Log a touch",
        text: str = "",
        contact_id: int | None = None,
        template: str | None = None,
        invite_refusal: str | None = None,
    ) -> None:
        super().__init__()
        self.who = who
        self.now = now
        self.tz = tz
        self.touch = touch
        self.channel = touch.channel if touch else channel
        self.direction = touch.direction if touch else direction
        self.heading = "Edit touch" if touch else heading
        # Stored text is shown made safe; left as it was, it is saved back untouched.
        self.text = safe(touch.text) if touch else text
        self.contact_id = contact_id
        self.template = template
        self.invite_refusal = invite_refusal or ""
        """Why an invitation would be refused (then the form does not offer one)."""
        self._ask_service = invite_refusal is None
        if self.invite_refusal and self.channel is Channel.LINKEDIN_INVITE and touch is None:
            self.channel = Channel.LINKEDIN_MESSAGE

    def compose(self) -> ComposeResult:
        touch = self.touch
        with Vertical(classes="dialog wide"):
            yield title(self.heading, self.who)
            with VerticalScroll(classes="dialog-body"):
                with Horizontal(classes="field-row"):
                    yield Field(
                        "Channel",
                        Choice(self._channel_options(), self.channel.value, id="channel"),
                        id="channel-field",
                    )
                    yield Field(
                        "Direction",
                        Choice(
                            [("out: you → them", "out"), ("in: them → you", "in")],
                            self.direction.value,
                            id="direction",
                        ),
                        id="direction-field",
                    )
                with Horizontal(classes="field-row"):
                    yield Field(
                        "When",
                        Input(
                            when(touch.at, self.tz) if touch else "now",
                            placeholder="now, yesterday 14:00, 2026-11-20 09:30",
                            compact=True,
                            id="when",
                        ),
                        id="when-field",
                    )
                    yield Field(
                        "Status",
                        Choice([], id="status"),
                        id="status-field",
                    )
                    yield Field(
                        "Moment",
                        Choice(
                            [("none", None)] + [(words(m.value), m.value) for m in Moment],
                            touch.moment.value if touch and touch.moment else None,
                            id="moment",
                        ),
                        id="moment-field",
                    )
                yield Field(
                    "Text or note",
                    TextArea(self.text, compact=True, id="text", classes="message"),
                    id="text-field",
                )
                if touch is None:
                    with Horizontal(classes="field-row"):
                        yield Field(
                            "Follow up in … days",
                            Input(
                                placeholder="empty: no follow-up", compact=True, id="follow_days"
                            ),
                            id="follow_days-field",
                        )
                        yield Field(
                            "Follow-up reason",
                            Input(
                                placeholder="e.g. send the pricing",
                                compact=True,
                                id="follow_reason",
                            ),
                            id="follow_reason-field",
                        )
            yield from self.buttons()

    def on_mount(self) -> None:
        self._statuses(keep=self.touch.status if self.touch else None)
        self.query_one("#text", TextArea).focus()
        if self.contact_id is not None and self.touch is None and self._ask_service:
            self._ask_invite_refusal(self.contact_id)

    @work(thread=True, exclusive=True, group="touch-invite")
    def _ask_invite_refusal(self, contact_id: int) -> None:
        now = self.now()

        def job(tracker: Tracker) -> str:
            return tracker.invitation_refusal(tracker.contact(contact_id), now)

        try:
            reason = str(self.app.data.run(job))  # type: ignore[attr-defined]
        except TrackerError:
            return  # the coach says it again when the touch is saved
        self.post_message(self._InviteRefused(reason))

    @on(_InviteRefused)
    def _invite_refused(self, message: _InviteRefused) -> None:
        self.invite_refusal = message.reason
        self._channels()

    def _channel_options(self, direction: Direction | None = None) -> list[tuple[str, str]]:
        """Every channel, but an outbound invitation only where LinkedIn would send one
        (an edited touch keeps every choice)."""
        hide = (
            bool(self.invite_refusal)
            and self.touch is None
            and (direction or self.direction) is Direction.OUT
        )
        return [
            (label, c.value)
            for c, label in CHANNEL_LABELS.items()
            if not (hide and c is Channel.LINKEDIN_INVITE)
        ]

    def _channels(self) -> None:
        """The channel choices for the direction chosen; a connected contact's form then
        defaults to a LinkedIn message rather than an invitation."""
        channel = self.query_one("#channel", Choice)
        _, direction = self._selected()
        options = self._channel_options(direction)
        current = channel.value
        if current not in [v for _, v in options]:
            current = Channel.LINKEDIN_MESSAGE.value
        if [v for _, v in options] != [v for _, v in channel.options]:
            channel.set_options(options, current)

    @on(Choice.Changed, "#channel, #direction")
    def _kind_changed(self, event: Choice.Changed) -> None:
        if event.choice.id == "direction":
            self._channels()
        self._statuses()

    def _selected(self) -> tuple[Channel, Direction]:
        channel = self.query_one("#channel", Choice).value
        direction = self.query_one("#direction", Choice).value
        return Channel(str(channel)), Direction(str(direction))

    def _statuses(self, keep: str | None = None) -> None:
        channel, direction = self._selected()
        status = self.query_one("#status", Choice)
        if channel is Channel.CALL:
            choices = [(words(s.value), s.value) for s in CallStatus]
        elif channel is Channel.LINKEDIN_INVITE and direction is Direction.OUT:
            choices = [(s.value, s.value) for s in InviteStatus]
        else:
            choices = []
        status.set_options(choices, keep)
        self.query_one("#status-field", Field).display = bool(choices)

    def _text_value(self) -> str:
        typed = self.query_one("#text", TextArea).text
        if self.touch is not None and typed == self.text:
            return self.touch.text
        return typed.strip()

    def collect(self) -> TouchDraft | None:
        channel, direction = self._selected()
        ok = True
        now = self.now()
        try:
            typed = self.query_one("#when", Input).value
            at = parse_moment(typed, now, self.tz, ahead_ok=channel is Channel.MEETING)
            self.set_error("when-field", None)
        except DateError as exc:
            self.set_error("when-field", exc.for_field("When"))
            ok = False
        except UsageError as exc:
            self.set_error("when-field", f"When: {exc}")
            ok = False
        days: int | None = None
        reason = ""
        if self.touch is None:
            days_text = self.query_one("#follow_days", Input).value.strip()
            reason = self.query_one("#follow_reason", Input).value.strip()
            error = None
            if days_text:
                if not days_text.isdigit() or int(days_text) > MAX_FOLLOW_UP_DAYS:
                    error = f"a number of days from 0 to {MAX_FOLLOW_UP_DAYS}"
                else:
                    days = int(days_text)
            elif reason:
                error = "say in how many days, or clear the reason"
            self.set_error("follow_days-field", error)
            ok = ok and error is None
        if not ok:
            return None
        status_value = self.query_one("#status", Choice).value
        moment_value = self.query_one("#moment", Choice).value
        return TouchDraft(
            channel=channel,
            direction=direction,
            at=at,
            text=self._text_value(),
            status=str(status_value) if isinstance(status_value, str) else None,
            moment=Moment(moment_value) if isinstance(moment_value, str) else None,
            follow_up_days=days,
            follow_up_reason=reason,
            template=self.template if self.template and channel is self.channel else None,
        )

    # -- the coach -----------------------------------------------------------------
    def action_save(self) -> None:
        """An outbound text, LinkedIn message or invitation is checked before it closes."""
        draft = self.collect() if self.contact_id is not None and self.touch is None else None
        if draft is None or draft.direction is Direction.IN or draft.channel not in COACHED:
            super().action_save()
            return
        self._guard(draft)

    @work(thread=True, exclusive=True, group="touch-guard")
    def _guard(self, draft: TouchDraft) -> None:
        contact_id = self.contact_id
        assert contact_id is not None

        def job(tracker: Tracker) -> tuple[str, str]:
            contact = tracker.contact(contact_id)
            blocked = "; ".join(tracker.refusals(contact, draft.channel, draft.text, draft.at))
            limits = ""
            if draft.channel is Channel.LINKEDIN_INVITE:
                found = tracker.invitation_limits(draft.at, bool(draft.text.strip()))
                limits = "; ".join(w.message for w in found)
            return blocked, limits

        try:
            blocked, limits = self.app.data.run(job)  # type: ignore[attr-defined]
        except TrackerError as exc:
            self.post_message(self._Checked(draft, "", str(exc)))
            return
        self.post_message(self._Checked(draft, blocked, limits=limits))

    @on(_Checked)
    def _checked(self, message: _Checked) -> None:
        if message.error:
            self.app.notify(message.error, title="Not saved", severity="error", markup=False)
            return
        if message.limits:
            self.app.notify(
                safe(message.limits), title="LinkedIn limit", severity="warning", markup=False
            )
        if not message.blocked:
            self.dismiss(message.draft)
            return
        invitation = message.draft.channel is Channel.LINKEDIN_INVITE
        who = "This is refused" if invitation else "The coach blocks this"
        self.set_error("text-field", f"{who}: {message.blocked}")

        def answered(anyway: bool | None) -> None:
            if anyway:
                self.dismiss(replace(message.draft, force=True))

        self.app.push_screen(OverrideDialog(message.blocked, invitation), answered)
