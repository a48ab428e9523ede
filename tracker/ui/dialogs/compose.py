"""Write a message with the coach: pick the channel and a template, fill the fields the
tracker cannot know, edit the text and watch the checks as you type (counters, and each
finding with its severity, its reason and the words it is about), copy it, and log it as
sent in one key.

The contact, their history and the templates are loaded once, off the event loop; after
that drafting and checking are pure functions of what is on screen. A message the coach
blocks (opted out, the step-back rule, a note over the limit, a field left unfilled) is
refused with the reason; logging it anyway takes a second, explicit confirmation. A text
with a ``{field}`` still in it is never copied. No connection note is offered where
LinkedIn would not take one. The first time a draft needs the user's own name, a small
dialog asks for it and saves it in ``config.toml``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Button, Input, Label, Static, TextArea
from textual.widgets.text_area import Selection

from tracker.coach.checks import check
from tracker.coach.display import counters_line, findings_text, location
from tracker.coach.findings import CheckResult
from tracker.coach.suggestions import (
    COMPOSE_CHANNELS,
    FILLABLE_FIELDS,
    ComposeContext,
)
from tracker.coach.templates import FIELD, Template, render
from tracker.config import Settings
from tracker.errors import TrackerError
from tracker.models import Channel, Kind
from tracker.ui.dialogs.base import title
from tracker.ui.dialogs.compose_send import Sending
from tracker.ui.dialogs.confirm import ask_to_discard
from tracker.ui.dialogs.your_name import YourNameDialog
from tracker.ui.reach import copy_text
from tracker.ui.widgets.choice import Choice
from tracker.ui.widgets.template_fields import TemplateFields
from tracker.words import CHANNEL_LABELS, KIND_TITLES

if TYPE_CHECKING:
    from tracker.ui.app import OutreachApp

CHECK_DELAY = 0.15
"""Seconds of quiet typing before the checks run again."""

NAME_FIELDS = ("my_name", "my_first_name")
"""The fields the user's own name fills (asked for once, then saved)."""

HINT = "ctrl+g: select a finding's words · ctrl+r: the template's text again"


class ComposeDialog(Sending):
    """Returns ``True`` once the message is logged as sent, ``None`` when closed."""

    BINDINGS = [
        Binding("ctrl+s", "log", "Log as sent", id="compose.log"),
        Binding("ctrl+o", "copy", "Copy", id="compose.copy"),
        Binding("ctrl+g", "next_finding", "Select a finding's words", id="compose.finding"),
        Binding("ctrl+r", "reset", "The template's text again", id="compose.reset"),
    ]

    class Loaded(Message):
        def __init__(self, context: ComposeContext) -> None:
            super().__init__()
            self.context = context

    class Named(Message):
        """The user's name was saved (``settings`` now in force), or ``error``."""

        def __init__(self, settings: Settings | None, error: str = "") -> None:
            super().__init__()
            self.settings, self.error = settings, error

    def __init__(self, contact_id: int, who: str, kind: Kind | None = None) -> None:
        """``who``: the contact's name, already made safe; ``kind``: the queue item's."""
        super().__init__()
        self.contact_id = contact_id
        self.who = who
        self.kind = kind
        self.context: ComposeContext | None = None
        self.channel = Channel.SMS
        self.template: Template | None = None
        self.result: CheckResult | None = None
        self._rendered = ""
        self._timer: Timer | None = None
        self._finding = -1
        self._busy = False

    @property
    def outreach(self) -> OutreachApp:
        return cast("OutreachApp", self.app)

    def compose(self) -> ComposeResult:
        about = f"{self.who} · {KIND_TITLES[self.kind]}" if self.kind else self.who
        with Vertical(classes="dialog wide compose"):
            yield title("Write a message", about)
            with Horizontal(classes="compose-row"):
                yield Label("Channel")
                options = [(CHANNEL_LABELS[c], c.value) for c in COMPOSE_CHANNELS]
                yield Choice(options, id="channel")
                yield Label("Template")
                yield Choice([("loading…", None)], id="template")
            yield TemplateFields(classes="compose-row", id="compose-fields")
            yield TextArea("", compact=True, id="compose-text")
            yield Static("", id="compose-counters")
            with VerticalScroll(id="compose-findings-box"):
                yield Static(Text("Loading…"), id="compose-findings")
            yield Static(Text(HINT), id="compose-status")
            with Horizontal(classes="dialog-buttons"):
                yield Static("", classes="dialog-hint")
                yield Button("Copy (ctrl+o)", compact=True, id="copy")
                yield Button("Log as sent (ctrl+s)", variant="primary", compact=True, id="log")
                yield Button("Close (esc)", compact=True, id="close")

    def on_mount(self) -> None:
        self.query_one(TemplateFields).show(())
        self.query_one("#compose-text", TextArea).focus()
        self._load()

    @work(thread=True, exclusive=True, group="compose-load")
    def _load(self) -> None:
        now = self.outreach.now()
        try:
            found = self.outreach.data.run(
                lambda t: t.compose_context(self.contact_id, self.kind, now)
            )
        except TrackerError as exc:
            self.post_message(self.Done(error=str(exc)))
            return
        self.post_message(self.Loaded(found))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        context = self.context = message.context
        offered = [(CHANNEL_LABELS[c], c.value) for c in context.channels]
        self.query_one("#channel", Choice).set_options(offered, context.channel.value)
        self._use_channel(context.channel)
        self._focus_first_empty()

    def _focus_first_empty(self) -> None:
        """The cursor goes to the first template field still empty, else into the text."""
        fields = self.query_one(TemplateFields)
        for box in fields.query(Input):
            if fields.display and box.parent is not None and box.parent.display and not box.value:
                box.focus()
                return
        self.query_one("#compose-text", TextArea).focus()

    # -- channel, template, fields ---------------------------------------------------
    def _use_channel(self, channel: Channel) -> None:
        """Offer ``channel``'s templates. Text the user wrote themselves stays as it is
        (ctrl+r puts the new template's in its place)."""
        if self.context is None:
            return
        self.channel = channel
        found = self.context.for_channel(channel)
        options = [(t.name + ("" if t.builtin else " (yours)"), t.name) for t in found]
        self.query_one("#template", Choice).set_options(options, found[0].name if found else None)
        self._use_template(found[0] if found else None, keep_text=self._written())
        self._text_changed()  # the same words may pass on one channel and not another

    def _written(self) -> bool:
        """Whether the text is the user's own: something other than the template's."""
        text = self.query_one("#compose-text", TextArea).text
        return bool(text.strip()) and text != self._rendered

    def _use_template(self, template: Template | None, keep_text: bool = False) -> None:
        self.template = template
        self._show_fields()
        if keep_text:
            self._rendered = render(template, self._values())[0] if template else ""
            self._say("Your text is kept: ctrl+r puts this template's text in its place.")
        else:
            self._fill()
            self._say("")
        self._ask_name()

    def _show_fields(self) -> None:
        """An input for each field the template uses that the tracker cannot fill."""
        used = self.template.fields if self.template else ()
        known = self.context.values if self.context else {}
        wanted = [n for n in FILLABLE_FIELDS if n in used and not known.get(n)]
        self.query_one(TemplateFields).show(wanted)

    def _values(self) -> dict[str, str]:
        known = dict(self.context.values) if self.context else {}
        return self.query_one(TemplateFields).typed() | {k: v for k, v in known.items() if v}

    # -- the user's own name -----------------------------------------------------------
    def _ask_name(self) -> None:
        """The first time a draft needs the user's name and none is set, ask for it."""
        app = self.outreach
        used = self.template.fields if self.template else ()
        known = self.context.values if self.context else {}
        if app.asked_for_name or not any(n in used and not known.get(n) for n in NAME_FIELDS):
            return
        app.asked_for_name = True

        def answered(name: str | None) -> None:
            if name:
                self._save_name(name)
            else:
                self._say("Your name is not set: {my_name} stays in the draft until you fill it.")

        app.push_screen(YourNameDialog(), answered)

    @work(thread=True, exclusive=True, group="compose-name")
    def _save_name(self, name: str) -> None:
        app = self.outreach
        try:
            settings = app.data.set_setting("coach.my_name", name)
            if app.home is not app.data:
                app.home.use_settings(settings)
        except TrackerError as exc:
            self.post_message(self.Named(None, str(exc)))
            return
        self.post_message(self.Named(settings))

    @on(Named)
    def _named(self, message: Named) -> None:
        if message.settings is None or self.context is None:
            self._say(f"Your name was not saved: {message.error}", "bold red")
            return
        settings = self.outreach.settings = message.settings
        name = settings.my_name
        values = {**self.context.values, "my_name": name, "my_first_name": name.split()[0]}
        self.context = replace(self.context, values=values)
        if self.query_one("#compose-text", TextArea).text == self._rendered:
            self._fill()
        self._show_fields()
        self._say(f"Saved your name ({name}) as [coach] my_name in config.toml.")
        self._text_changed()

    def _fill(self) -> None:
        """The template's text with the fields filled, in place of what is there (an edit
        the user can take back with ctrl+z)."""
        area = self.query_one("#compose-text", TextArea)
        text = render(self.template, self._values())[0] if self.template else ""
        if not area.text:
            area.load_text(text)
        else:
            area.replace(text, (0, 0), area.document.end, maintain_selection_offset=False)
        area.move_cursor(area.document.end)
        self._rendered = text

    @on(Choice.Changed, "#channel")
    def _channel_changed(self, event: Choice.Changed) -> None:
        if self.context is not None and event.value and Channel(event.value) is not self.channel:
            self._use_channel(Channel(event.value))

    @on(Choice.Changed, "#template")
    def _template_changed(self, event: Choice.Changed) -> None:
        if self.context is None or not event.value:
            return
        if self.template is None or event.value != self.template.name:
            self._use_template(self.context.templates.get(event.value))

    @on(Input.Changed, "#compose-fields Input")
    def _field_changed(self) -> None:
        # Typed fields rebuild the text only while it is still the template's own.
        if self.query_one("#compose-text", TextArea).text == self._rendered:
            self._fill()
        else:
            self._say("You changed the text: ctrl+r rebuilds it from the template and fields.")

    @on(Input.Submitted)
    def _field_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#compose-text", TextArea).focus()

    def action_reset(self) -> None:
        if self.template is not None:
            self._fill()

    # -- checks as you type ----------------------------------------------------------
    @on(TextArea.Changed, "#compose-text")
    def _text_changed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(CHECK_DELAY, self.run_checks)

    def run_checks(self) -> None:
        """Check the text as it is now, as of the app's clock, and show the result."""
        context = self.context
        if context is None:
            return
        app = self.outreach
        text = self.query_one("#compose-text", TextArea).text
        self.result = check(
            self.channel, context.contact, context.history, text, app.now(), app.settings, app.tz
        )
        if self.channel is Channel.LINKEDIN_INVITE:
            self.result.findings.extend(context.limit_findings(bool(text.strip())))
        self._finding = -1
        counted = counters_line(self.channel, self.result, text, app.settings.note_limit)
        self.query_one("#compose-counters", Static).update(counted)
        note = f"No LinkedIn invitation offered: {context.no_invite}." if context.no_invite else ""
        found = findings_text(self.result, text, note)
        self.query_one("#compose-findings", Static).update(found)

    def action_next_finding(self) -> None:
        """Select, in the text, the words the next finding is about."""
        spans = [f.span for f in (self.result.findings if self.result else []) if f.span]
        if not spans:
            self._say("No finding points at particular words.")
            return
        self._finding = (self._finding + 1) % len(spans)
        start, end = spans[self._finding]
        area = self.query_one("#compose-text", TextArea)
        text = area.text
        area.selection = Selection(location(text, start), location(text, end))
        area.focus()

    # -- copy and log ----------------------------------------------------------------
    def _say(self, text: str, style: str = "italic") -> None:
        self.query_one("#compose-status", Static).update(Text(text or HINT, style=style))

    def action_copy(self) -> None:
        text = self.query_one("#compose-text", TextArea).text
        if not text.strip():
            self._say("Nothing to copy yet.")
            return
        unfilled = list(dict.fromkeys(FIELD.findall(text)))
        if unfilled:
            fill = ", ".join("{" + name + "}" for name in unfilled)
            self._say(f"Not copied: fill in {fill} first.", "bold red")
            return
        self.run_checks()
        blocked = self.result is not None and self.result.blocked
        then = " Paste it where you send it, then ctrl+s logs it as sent."
        if blocked:
            then += " (The coach blocks it: see the findings.)"
        copy_text(
            self.outreach, text, lambda where: self._say(f"{where[0].upper()}{where[1:]}.{then}")
        )

    @on(Button.Pressed, "#copy")
    def _copy_pressed(self) -> None:
        self.action_copy()

    @on(Button.Pressed, "#close")
    def _close_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        """Escape: close, asking first when the user wrote something of their own."""
        if self._written() or self.query_one(TemplateFields).typed():
            ask_to_discard(self, lambda: self.dismiss(None))
        else:
            self.dismiss(None)
