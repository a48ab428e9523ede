"""Import: a LinkedIn export, texts, calls, mail, a calendar, a WhatsApp chat or a contacts
file, from inside the app.

The path field tells what the file is as you type (``plan_import`` in a thread, as the
CLI's ``outreach import PATH`` does: a folder's own files, each with what it is; its
error right under the field). The import runs in a thread worker with a progress bar fed
by the importer's callback, then shows the importer's own summary, in the screen's words
(its Columns and You fields, not the CLI's flags); a malformed file is one line of error
and nothing is written. Escape while it runs cancels it: the importer's next
progress call raises, and the file's one transaction is rolled back. Imports always go
into the user's own database, even from the demo. After a real import the queue is fresh,
and leaving goes to Today.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Button, Checkbox, Input, ProgressBar, Static
from textual.worker import get_current_worker

from tracker.errors import CancelledError, TrackerError
from tracker.importers import ImportOptions, ImportSummary, Plan, PlanResult
from tracker.importers.wording import in_app_words
from tracker.text import safe
from tracker.ui.screens.base import MainScreen, keys
from tracker.ui.widgets.choice import Choice
from tracker.ui.widgets.field import Field
from tracker.ui.widgets.key_footer import KeyFooter
from tracker.ui.widgets.path_input import PathInput
from tracker.ui.widgets.status_bar import StatusBar

KINDS: list[tuple[str, str | None]] = [
    ("tell from the contents", None),
    ("LinkedIn export", "linkedin"),
    ("texts: SMS backup or iMessage", "sms"),
    ("calls: Android call log", "calls"),
    ("email: mbox or .eml", "email"),
    ("calendar: .ics", "calendar"),
    ("WhatsApp chat", "whatsapp"),
    ("contacts: vCard or CSV", "contacts"),
]
DEBOUNCE = 0.3
LISTED = 40
"""A folder's files listed under the path at most (the summary lists them all)."""
MAKES_TOUCHES = frozenset({"linkedin", "sms", "calls", "email", "calendar", "whatsapp", ""})
"""Kinds whose people may match no contact (``""``: a folder of several)."""


def detect(path: Path, kind: str | None) -> Plan:
    """What ``path`` holds: one file, or a folder's own files (``UsageError`` when it is
    nothing the importers read; a folder of more than 20,000 entries is refused unread)."""
    from tracker.importers import plan_import

    return plan_import(path, kind)


def _found_text(plan: Plan) -> Text:
    """What the path is, and for a folder, each of its files."""
    text = Text.assemble(("Found: ", "dim"), (plan.detected.label, "bold"))
    for entry in plan.entries[:LISTED]:
        name = entry.path.name + ("/" if entry.path.is_dir() else "")
        style = "" if entry.unit is not None else "dim"
        text.append(f"\n  {name}: {in_app_words(entry.what)}", style=style)
    if len(plan.entries) > LISTED:
        text.append(f"\n  … and {len(plan.entries) - LISTED:,} more", style="dim")
    return text


class ImportScreen(MainScreen):
    WHERE = "Import"
    TIPS = (
        "Each file imports all or nothing; importing the same file again adds nothing.",
        "A dry run does the whole import and writes nothing, so its summary is exact.",
        "Escape during an import cancels it; nothing from that file is saved.",
    )
    # fmt: off
    BINDINGS = keys("import", [
        ("question_mark", "app.help", "Help", "Every key on this screen", "help"),
        ("ctrl+s", "run", "Import", "Import the file (or a dry run of it)", "run"),
        ("escape", "back", "Back", "Back to where you were (cancels a running import)", "back"),
    ])
    # fmt: on

    class Found(Message):
        def __init__(self, typed: str, kind: str | None, found: Plan | None, error: str):
            super().__init__()
            self.typed, self.kind, self.found, self.error = typed, kind, found, error

    class Progress(Message):
        def __init__(self, done: int, total: int) -> None:
            super().__init__()
            self.done, self.total = done, total

    class Finished(Message):
        def __init__(self, result: ImportSummary | PlanResult | None, error: str = "") -> None:
            super().__init__()
            self.result, self.error = result, error

        @property
        def summary(self) -> ImportSummary | None:
            """The import's summary (the last file's, for a folder)."""
            if isinstance(self.result, PlanResult):
                return self.result.summaries[-1] if self.result.summaries else None
            return self.result

    def __init__(self) -> None:
        super().__init__()
        self.found: Plan | None = None
        self.running = False
        self.imported = False
        self._debounce: Timer | None = None
        self._cancel = threading.Event()

    def compose(self) -> ComposeResult:
        yield StatusBar("Import")
        with VerticalScroll(id="import-body"), Vertical(id="import-form"):
            yield Static(Text("Import what you already have", style="bold"), classes="title")
            yield Static(
                Text(
                    "A LinkedIn data export (its zip, its folder or one of its CSVs), an "
                    "Android “SMS Backup & Restore” texts or calls file, imessage-exporter "
                    "text, an mbox or .eml files, an .ics calendar, a WhatsApp chat, or "
                    "contacts as vCard or CSV (Google, Outlook, HubSpot, Close). A folder "
                    "is read one level deep."
                ),
                classes="muted",
            )
            if self.outreach.data.demo:  # the demo is never written to by an import
                yield Static(
                    Text(
                        "You are exploring the demo: this imports into your own data "
                        f"({self.outreach.home.db_path}), not the demo's. Escape after an "
                        "import leaves the demo for it.",
                        style="bold",
                    ),
                    id="import-demo",
                )
            yield Field(
                "File or folder",
                PathInput(placeholder="~/Downloads/Basic_LinkedInDataExport.zip", id="path"),
                hint="~ is your home folder; tab completes a name.",
                id="path-field",
            )
            yield Static("", id="detected")
            yield Field("What it is", Choice(KINDS, id="kind"), id="kind-field")
            yield Field(
                "You: your email, number, LinkedIn URL or name in chats (comma separated)",
                Input(placeholder="you@example.com, Sam Seller", compact=True, id="me"),
                hint="Only when an import asks; it is remembered in config.toml [me].",
                id="me-field",
            )
            yield Field(
                "Columns of another CSV (COLUMN=FIELD, comma separated)",
                Input(placeholder="Mobile=phone, Org=company", compact=True, id="map"),
                id="map-field",
            )
            yield Checkbox(
                "Create contacts for people who match none (named from the file)",
                compact=True,
                id="create",
            )
            yield Checkbox(
                "Dry run: report what would change, write nothing", compact=True, id="dry"
            )
            yield Static("", id="import-error")
            yield Static("", id="summary")
        # Below the form, always in sight: at 80x24 the form scrolls.
        with Horizontal(id="import-bar"), Vertical(id="import-actions"):
            yield ProgressBar(show_eta=False, id="progress")
            with Horizontal(id="import-buttons"):
                yield Button("Import (ctrl+s)", variant="primary", compact=True, id="run")
                yield Button("Back (escape)", compact=True, id="back")
        yield KeyFooter()

    def on_mount(self) -> None:
        for hidden in ("#progress", "#import-error", "#summary"):
            self.query_one(hidden).display = False
        self._show_options()
        self.query_one("#path", PathInput).focus()

    # -- what the file is ----------------------------------------------------------
    @property
    def kind(self) -> str | None:
        return self.query_one("#kind", Choice).value

    @on(Input.Changed, "#path")
    @on(Choice.Changed, "#kind")
    def _changed(self) -> None:
        self.found = None
        self.query_one("#path-field", Field).set_error(None)
        self.query_one("#detected", Static).update("")
        self._show_options()
        if self._debounce is not None:
            self._debounce.stop()
        if self.query_one("#path", PathInput).path is not None:
            self._debounce = self.set_timer(DEBOUNCE, self._detect_now)

    def _detect_now(self) -> None:
        box = self.query_one("#path", PathInput)
        if box.path is not None:
            self._detect(box.value, box.path, self.kind)

    @work(thread=True, exclusive=True, group="detect")
    def _detect(self, typed: str, path: Path, kind: str | None) -> None:
        try:
            found, error = detect(path, kind), ""
        except TrackerError as exc:
            found, error = None, in_app_words(str(exc), exc)
        except OSError as exc:
            found, error = None, f"{path}: cannot read ({exc.strerror or exc})"
        if not get_current_worker().is_cancelled:
            self.post_message(self.Found(typed, kind, found, error))

    @on(Found)
    def _found(self, message: Found) -> None:
        if message.typed != self.query_one("#path", PathInput).value or message.kind != self.kind:
            return
        self.found = message.found
        self.query_one("#path-field", Field).set_error(message.error or None)
        detected = self.query_one("#detected", Static)
        detected.update(_found_text(message.found) if message.found is not None else "")
        self._show_options()

    def _kinds(self) -> set[str]:
        """The kinds the path holds (the chosen kind until it is known)."""
        if self.found is None:
            return {self.kind or ""}
        return {unit.detected.kind for unit in self.found.units}

    def _has_csv(self) -> bool:
        return self.found is not None and any(u.detected.format == "csv" for u in self.found.units)

    def _show_options(self) -> None:
        kinds = self._kinds()
        self.query_one("#me-field").display = bool(
            kinds & {"linkedin", "email", "calendar", "whatsapp", ""}
        )
        self.query_one("#map-field").display = self._has_csv()
        self.query_one("#create").display = bool(kinds & MAKES_TOUCHES)

    # -- importing -----------------------------------------------------------------
    def _options(self) -> ImportOptions:
        from tracker.importers.contacts_csv import parse_map

        kinds = self._kinds()
        mapping = self.query_one("#map", Input).value if self._has_csv() else ""
        pairs = tuple(p.strip() for p in mapping.split(",") if p.strip())
        typed = self.query_one("#me", Input).value
        return ImportOptions(
            dry_run=self._checked("#dry"),
            create_contacts=bool(kinds & MAKES_TOUCHES) and self._checked("#create"),
            me_values=tuple(v.strip() for v in typed.split(",") if v.strip()),
            column_map=parse_map(pairs) if pairs else (),
        )

    def _checked(self, selector: str) -> bool:
        return self.query_one(selector, Checkbox).value

    def action_run(self) -> None:
        path = self.query_one("#path", PathInput).path
        field = self.query_one("#path-field", Field)
        if self.running:
            return
        if path is None:
            field.set_error("type the path of a file or folder")
            return
        try:
            options = self._options()
        except TrackerError as exc:
            self._error(in_app_words(str(exc), exc))
            return
        self.running = True
        self.query_one("#import-error").display = False
        self.query_one("#summary").display = False
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self.query_one("#run", Button).disabled = True
        self.query_one("#back", Button).label = "Cancel (esc)"
        self._cancel = threading.Event()
        self._import(path, self.kind, options, self._cancel)

    @work(thread=True, exclusive=True, group="import")
    def _import(
        self, path: Path, kind: str | None, options: ImportOptions, cancel: threading.Event
    ) -> None:
        last = [0.0]

        def progress(done: int, total: int) -> None:
            if cancel.is_set():
                raise CancelledError("Import cancelled: nothing from this file was saved.")
            now = time.monotonic()
            if now - last[0] >= 0.05 or done >= total:
                last[0] = now
                self.post_message(self.Progress(done, total))

        from tracker import importers

        home = self.outreach.home
        try:
            plan = detect(path, kind)  # refuses a huge folder before the importer walks it
            if len(plan.units) == 1:
                result: ImportSummary | PlanResult = home.run(
                    lambda t: importers.run_import(t, path, kind, options, progress)
                )
            else:
                result = home.run(lambda t: importers.run_plan(t, plan, options, progress))
        except TrackerError as exc:
            self.post_message(self.Finished(None, in_app_words(str(exc), exc)))
            return
        self.post_message(self.Finished(result))

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        self.query_one("#progress", ProgressBar).update(
            total=max(message.total, 1), progress=message.done
        )

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        self.running = False
        self.query_one("#run", Button).disabled = False
        self.query_one("#back", Button).label = "Back (escape)"
        self.query_one("#progress").display = False
        result = message.result
        if result is None:
            self._error(message.error)
            return
        text = Text()
        if isinstance(result, PlanResult):
            for line in result.listing():
                text.append(safe(in_app_words(line)) + "\n")
            summaries = result.summaries
            dry_run, changed = result.dry_run, result.changed
        else:
            summaries, dry_run, changed = [result], result.dry_run, result.changed
        for summary in summaries:
            for index, line in enumerate(summary.lines()):
                text.append(safe(in_app_words(line)) + "\n", style="bold" if index == 0 else "")
        app = self.outreach
        if not dry_run:
            self.imported = self.imported or changed
            if changed and app.queue is not None and not app.data.demo:
                app.refresh_queue()
            if self.imported and (app.queue is None or app.data.demo):
                text.append("\nEscape (or Back) goes to today's queue.", style="italic")
        box = self.query_one("#summary", Static)
        box.update(text)
        box.display = True
        self.query_one("#back", Button).focus()
        self.call_after_refresh(box.scroll_visible, animate=False)

    def _error(self, error: str) -> None:
        box = self.query_one("#import-error", Static)
        box.update(Text(safe(error, single_line=True), style="bold"))
        box.display = True
        self.call_after_refresh(box.scroll_visible, animate=False)

    # -- leaving -------------------------------------------------------------------
    def action_back(self) -> None:
        if self.running:
            if not self._cancel.is_set():
                self._cancel.set()
                self.outreach.say("Cancelling the import: nothing from this file will be saved.")
            return
        app = self.outreach
        if not self.imported:
            app.go_back()
        elif app.data.demo:
            app.leave_demo()
        elif app.queue is None:
            app.open_database()  # from the welcome screen: on to Today
        else:
            app.go_back()

    @on(Button.Pressed, "#run")
    def _run_pressed(self) -> None:
        self.action_run()

    @on(Button.Pressed, "#back")
    def _back_pressed(self) -> None:
        self.action_back()

    def on_unmount(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
