"""Contacts: every contact in a table paged from SQLite, sorted by any column, searched as
you type (``/``: any word of any field or message, best match first, the match shown;
enter opens the best). Only the rows on screen are drawn, so 30,000 contacts open and
scroll at once."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Input, Static

from tracker.models import ContactRow
from tracker.service.session import Session
from tracker.timeutil import local_date
from tracker.ui.screens.base import MainScreen, keys
from tracker.ui.widgets.key_footer import KeyFooter
from tracker.ui.widgets.paged_table import PAGE_SIZE, Column, PagedTable
from tracker.ui.widgets.status_bar import StatusBar
from tracker.words import SORT_LABELS, one_line, plural, short_date, words

if TYPE_CHECKING:  # the search's rules load with the first search, not with the list
    from tracker.search import ContactMatch

    Line = ContactRow | ContactMatch

COLUMNS = (
    Column("name", "Name", 14, weight=4, priority=9),
    Column("company", "Company", 10, weight=3, priority=8),
    Column("segment", "Segment", 10, weight=1, priority=3),
    Column("tags", "Tags", 8, weight=2, priority=2),
    Column("last_touch", "Last touch", 11, priority=7),  # "Nov 28 2025"
    Column("follow_up", "Follow-up", 11, priority=6),
    Column("invitation", "Invitation", 10, priority=5),
)
SEARCH_COLUMNS = (
    Column("name", "Name", 14, weight=3, priority=9),
    Column("match", "Match", 20, weight=8, priority=8),
    Column("company", "Company", 10, weight=2, priority=7),
    Column("last_touch", "Last touch", 10, priority=6),
)
"""The columns while searching: the match that found each contact beside its name."""
MATCH_LEAD = 8
"""Characters of a snippet kept ahead of the match in the table's narrow column."""
Query = tuple[str, str, bool]
"""(search, sort, descending); a search with no sort lists the best match first."""


def contact_of(line: Line) -> ContactRow:
    return line if isinstance(line, ContactRow) else line.row


class ContactsSource:
    """Pages of contacts for a (search, sort, descending) query."""

    def __init__(self, data: Session) -> None:
        self.data = data

    def count(self, query: Hashable) -> int:
        search, _, _ = cast(Query, query)
        return self.data.count_contacts(search)

    def page(self, query: Hashable, offset: int, limit: int) -> Sequence[Line]:
        search, sort, descending = cast(Query, query)
        if search:
            return self.data.search_contacts(search, sort, descending, offset, limit)
        return self.data.contacts_page(search, sort, descending, offset, limit)

    def position(self, query: Hashable, key: Hashable) -> int | None:
        search, sort, descending = cast(Query, query)
        return self.data.contact_position(cast(int, key), search, sort, descending)


class ContactsScreen(MainScreen):
    WHERE = "Contacts"
    STYLES = False  # in tracker.tcss, read at start
    TIPS = ("Click a column title to sort by it; click it again to reverse.",)
    # fmt: off
    BINDINGS = keys("contacts", [
        ("question_mark", "app.help", "Help", "Every key on this screen", "help"),
        ("slash", "filter", "Search", "Find by name, company, phone, email, tag, notes or "
         "a word of a message; enter opens the best match", "filter"),
        ("s", "sort", "Sort", "Sort by a column (again to reverse)", "sort"),
        ("n", "app.new_contact", "New", "Add a contact", "new"),
        ("e", "app.export('contacts')", "Export", "Export contacts, touches or the queue",
         "export"),
        ("i", "app.import", "Import", "Import a LinkedIn export, texts or contacts", "import",
         False),
        ("1", "app.today", "Today", "Back to today's queue", "today"),
        ("3", "app.insights", "Insights", "What works for you, in numbers", "insights", False),
        ("escape", "clear_filter", "Clear filter", "Clear the filter", "clear", False),
        ("q", "back", "Back", "Back to today's queue", "back"),
    ])
    # fmt: on

    @classmethod
    def read_ahead(cls, data: Session) -> None:
        data.read_ahead("", "name", False, PAGE_SIZE)  # the first query of __init__

    def __init__(self) -> None:
        super().__init__()
        self.search = ""
        self.sort = "name"
        self.descending = False
        self.ranked = True
        """While searching, list the best match first (until a column is sorted)."""
        self.all_count: int | None = None
        self._debounce: Timer | None = None
        self._open_best = False
        """Enter was pressed in the search: open the best match once it is listed."""

    def compose(self) -> ComposeResult:
        app = self.outreach
        tz = app.tz
        today = local_date(app.now(), tz)

        def cells(line: Line) -> list[str | Text]:
            row = contact_of(line)
            last = local_date(row.last_touch_at, tz) if row.last_touch_at else None
            due = row.follow_up_on
            follow = Text(short_date(due, today), style="bold" if due and due <= today else "")
            if not isinstance(line, ContactRow):  # a search's match
                from tracker.ui.widgets.search_match import match_cell

                match = match_cell(line.hit, tz, today, MATCH_LEAD)
                return [one_line(row.name), match, one_line(row.company), short_date(last, today)]
            return [
                one_line(row.name),
                one_line(row.company),
                words(row.segment),
                ", ".join(one_line(t) for t in row.tags),
                short_date(last, today),
                follow,
                row.invite_status,
            ]

        yield StatusBar("Contacts")
        with Horizontal(id="contacts-top"):
            yield Input(
                placeholder="/ find by name, company, phone, email, tag or words in messages",
                compact=True,
                id="filter",
            )
            yield Static("", id="count")
        table: PagedTable[Line] = PagedTable(
            COLUMNS,
            ContactsSource(app.data),
            cells,
            self._query(),
            key=lambda line: contact_of(line).id,
            empty="No contacts match. Escape clears the filter; n adds a contact.",
            id="contacts",
        )
        table.sort_key = self.sort
        yield table
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#contacts", PagedTable).focus()
        self.watch(self.app, "data_version", self._reload, init=False)

    def on_screen_resume(self) -> None:
        # Back from a contact opened from here, a new one, or one found with ctrl+p:
        # the cursor goes to them (when the list holds them).
        opened, self.outreach.last_contact = self.outreach.last_contact, None
        if opened is None or opened[1] is not self:
            return
        table = self._table()
        current = table.current
        if current is None or contact_of(current).id != opened[0]:
            table.go_to(opened[0])

    def _query(self) -> Query:
        sort = "" if self.search and self.ranked else self.sort
        return (self.search, sort, self.descending)

    def _table(self) -> PagedTable[Line]:
        return self.query_one("#contacts", PagedTable)

    def _reload(self, *_: object) -> None:
        self.all_count = None
        self._table().reload()

    @on(PagedTable.Counted)
    def _counted(self, event: PagedTable.Counted) -> None:
        if not event.total:
            self.call_after_refresh(self.outreach.load_queue)
        if not self.search:
            self.all_count = event.total
            label = plural(event.total, "contact")
        else:
            from tracker.search import LIST_LIMIT

            shown = f"{event.total:,}{'+' if event.total >= LIST_LIMIT else ''}"
            if self.all_count is not None:
                label = f"{shown} of {plural(self.all_count, 'contact')}"
            else:
                label = f"{shown} found"
        self.query_one("#count", Static).update(label)
        if self._open_best and not event.total:
            self._open_best = False
            self.notify("No contacts match.", severity="warning")

    @on(PagedTable.Highlighted)
    def _shown(self, event: PagedTable.Highlighted) -> None:
        # The app opened here reads today's queue (for the header) once rows are painted.
        if event.row is not None:
            self.call_after_refresh(self.outreach.load_queue)
            self._open_if_listed()

    @on(PagedTable.Chosen)
    def _chosen(self, event: PagedTable.Chosen) -> None:
        self.outreach.open_contact(contact_of(event.row).id)

    @on(PagedTable.HeaderClicked)
    def _header(self, event: PagedTable.HeaderClicked) -> None:
        self.sort_by(event.key)

    def sort_by(self, key: str) -> None:
        if self.search and self.ranked:
            self.descending = False  # the first sort of a search's matches
        else:
            self.descending = not self.descending if key == self.sort else False
        self.sort = key
        self.ranked = False
        table = self._table()
        table.sort_key = key
        table.descending = self.descending
        table.set_query(self._query())

    def action_sort(self) -> None:
        options = [(label, key) for key, label in SORT_LABELS.items()]
        subtitle = f"now {SORT_LABELS[self.sort]}, {'Z-A' if self.descending else 'A-Z'}"

        def chosen(key: object) -> None:
            if isinstance(key, str):
                self.sort_by(key)

        from tracker.ui.dialogs.choice import ChoiceDialog

        self.app.push_screen(
            ChoiceDialog("Sort by (again to reverse)", options, self.sort, subtitle), chosen
        )

    def action_filter(self) -> None:
        self.set_focus(self.query_one("#filter", Input))  # before the keys on their way

    def action_clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""
        self._table().focus()

    def action_back(self) -> None:
        self.outreach.go_back()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter" and self.is_mounted:
            return bool(self.query_one("#filter", Input).value)
        return True

    @on(Input.Changed, "#filter")
    def _typed(self, event: Input.Changed) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(0.15, self._apply_filter)

    def _apply_filter(self) -> bool:
        """Show the contacts matching what is typed; whether that changed the list."""
        search = self.query_one("#filter", Input).value.strip()
        changed = search != self.search
        if changed:
            self.search = search
            self.ranked = True
            table = self._table()
            table.columns = SEARCH_COLUMNS if search else COLUMNS
            table.sort_key = None if search else self.sort
            table.set_query(self._query())
        self.refresh_bindings()
        return changed

    @on(Input.Submitted, "#filter")
    def _submitted(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        if not self.query_one("#filter", Input).value.strip():
            self._apply_filter()
            self._table().focus()
            return
        self._open_best = True
        if not self._apply_filter():
            self._open_if_listed()

    def _open_if_listed(self) -> None:
        """Open the best match, once listed, after enter in the search."""
        table = self._table()
        if not self._open_best or table.total is None:
            return
        row = table.row_at(0) if table.total else None
        if row is not None:
            self._open_best = False
            table.cursor = 0
            # Back from the contact, the keys go to the list (its row highlighted), not
            # to the search box: ``1`` goes to Today rather than into the search.
            table.focus()
            self.outreach.open_contact(contact_of(row).id)
