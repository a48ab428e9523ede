"""Running a ``Plan``: each unit in one transaction of its own, the rep's ``[me]`` values
checked before anything is written (an import that needs one it lacks asks for it), the
new ones remembered after, and a folder's listing of what each file is and added.

A dry run does the whole import and rolls it back. For a folder, its units run inside one
outer transaction, each in a savepoint, so a later file sees what an earlier one would
add, exactly as the real run; the outer transaction is then rolled back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from tracker.errors import UsageError
from tracker.identity import try_phone
from tracker.importers.plan import Plan, Unit
from tracker.me import Me, NeedsMe, from_settings, read_values, remember
from tracker.service import Tracker
from tracker.service.import_report import ImportOptions, ImportSummary, ProgressCallback

Importer = Callable[..., None]


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


@dataclass
class UnitResult:
    unit: Unit
    summary: ImportSummary | None = None
    error: str = ""
    """Why the unit was refused (nothing of it written), when it was."""


@dataclass
class PlanResult:
    """What running a plan did: a summary (or a refusal) per unit, and what was added to
    ``[me]``."""

    plan: Plan
    dry_run: bool
    results: list[UnitResult] = field(default_factory=list)
    remembered: list[str] = field(default_factory=list)

    @property
    def summaries(self) -> list[ImportSummary]:
        return [r.summary for r in self.results if r.summary is not None]

    @property
    def refused(self) -> list[UnitResult]:
        return [r for r in self.results if r.error]

    @property
    def changed(self) -> bool:
        return any(s.changed for s in self.summaries)

    def listing(self) -> list[str]:
        """A folder's files, one line each: what it is, and what it added (or would)."""
        plan = self.plan
        if not plan.entries:
            return []
        verb = "would add" if self.dry_run else "added"
        units = len(plan.units)
        head = (
            f"{plan.path}: {len(plan.entries)} entr{'y' if len(plan.entries) == 1 else 'ies'} "
            f"(read one level deep), {units} to import"
        )
        lines = [head + (" (dry run: nothing was written)" if self.dry_run else "")]
        first_of: dict[int, Path] = {}
        width = min(max(len(_name(e.path)) for e in plan.entries), 40)
        for entry in plan.entries:
            name = _name(entry.path).ljust(width)
            if entry.unit is None:
                lines.append(f"  {name}  {entry.what}")
                continue
            result = self.results[entry.unit] if entry.unit < len(self.results) else None
            if entry.unit in first_of:
                outcome = f"with {first_of[entry.unit].name}"
            elif result is None:
                outcome = "not imported"
            elif result.error:
                outcome = f"refused: {result.error}"
            else:
                assert result.summary is not None
                outcome = f"{verb} {result.summary.adds()}"
            first_of.setdefault(entry.unit, entry.path)
            lines.append(f"  {name}  {entry.what} → {outcome}")
        return lines


def _name(path: Path) -> str:
    return path.name + ("/" if path.is_dir() else "")


def with_rep(options: ImportOptions, tracker: Tracker) -> ImportOptions:
    """``options`` with who the rep is: ``[me]`` and the ``--me`` values (and for the
    LinkedIn importer, the profile URL among them)."""
    settings = tracker.settings
    given = list(options.me_values)
    if options.me:
        given.append(options.me)
    rep = from_settings(settings).merged(read_values(given, settings.default_region))
    return replace(options, rep=rep, me=options.me or rep.linkedin)


def needs(unit: Unit, options: ImportOptions, tracker: Tracker) -> NeedsMe | None:
    """What ``unit`` asks for before it can start, when the rep has not said it."""
    fmt, rep = unit.detected.format, options.rep
    if unit.detected.kind == "email":
        from tracker.importers.mail_import import needs as mail_needs

        return mail_needs(rep, unit.path, unit.files)
    if fmt == "ics":
        from tracker.importers.calendar_import import needs as calendar_needs

        return calendar_needs(rep, options.create_contacts)
    if fmt == "whatsapp":
        from tracker.importers.whatsapp import ChatMessage
        from tracker.importers.whatsapp_import import read_chat, rep_senders

        region = tracker.settings.default_region
        try:
            items, chat, group, _ = read_chat(unit.path, tracker.tz, keep=True)
        except UsageError:
            return None  # the import itself says what is wrong with the file
        messages = [m for m in items if isinstance(m, ChatMessage)]
        try:
            rep_senders(messages, chat, group, rep, lambda raw: try_phone(raw, region))
        except NeedsMe as asked:
            return asked
    return None


def importer_for(unit: Unit) -> Importer:
    """The function that imports ``unit`` into an open session."""
    fmt = unit.detected.format
    if fmt == "linkedin":
        from tracker.importers.linkedin import import_linkedin

        return import_linkedin
    if fmt == "android":
        from tracker.importers.sms_android import import_android

        return import_android
    if fmt == "imessage":
        from tracker.importers.imessage import import_imessage

        if unit.files:
            return _each_file(import_imessage, unit.files)
        return import_imessage
    if fmt in ("vcard", "csv"):
        from tracker.importers.contacts import import_contacts

        return import_contacts
    if fmt == "android-calls":
        from tracker.importers.calls_import import import_calls

        return import_calls
    if fmt in ("mbox", "eml"):
        from tracker.importers.mail_import import import_mail

        return lambda session, path, progress=None: import_mail(session, path, progress, unit.files)
    if fmt == "ics":
        from tracker.importers.calendar_import import import_calendar

        return import_calendar
    if fmt == "whatsapp":
        from tracker.importers.whatsapp_import import import_whatsapp

        return import_whatsapp
    raise UsageError(f"{unit.path}: {unit.label}: importing it is not available")


def _each_file(importer: Importer, files: tuple[Path, ...]) -> Importer:
    """Several files of one folder, one after the other, in one session."""

    def run(session: object, path: Path, progress: ProgressCallback | None = None) -> None:
        for done, file in enumerate(files, start=1):
            importer(session, file, None)
            if progress:
                progress(done, len(files))

    return run


def run_plan(
    tracker: Tracker,
    plan: Plan,
    options: ImportOptions | None = None,
    progress: ProgressCallback | None = None,
    now: datetime | None = None,
    on_unit: Callable[[Unit], None] | None = None,
) -> PlanResult:
    """Import every unit of ``plan``, each in one transaction. A unit that fails is
    refused alone (for a folder: listed, the others go on; for one file: raised)."""
    options = with_rep(options or ImportOptions(), tracker)
    for unit in plan.units:
        asked = needs(unit, options, tracker)
        if asked is not None:
            from tracker.importers.whatsapp_import import forget_chat

            forget_chat()
            raise asked
    result = PlanResult(plan, options.dry_run)
    folder = len(plan.units) > 1
    store = tracker.store
    try:
        with store.write() if folder and options.dry_run else _nothing():
            for unit in plan.units:
                if on_unit:
                    on_unit(unit)
                result.results.append(_run_unit(tracker, unit, options, progress, now, folder))
            if folder and options.dry_run:
                raise _DryRun
    except _DryRun:
        pass
    _remember(result, options, tracker)
    return result


def _run_unit(
    tracker: Tracker,
    unit: Unit,
    options: ImportOptions,
    progress: ProgressCallback | None,
    now: datetime | None,
    folder: bool,
) -> UnitResult:
    from tracker.service.imports import ImportSession

    summary = ImportSummary(str(unit.path), unit.label, options.dry_run)
    importer = importer_for(unit)
    try:
        try:
            with ImportSession.opened(tracker, summary, options, now) as session:
                importer(session, unit.path, progress)
                session.finish()
                if options.dry_run and not folder:
                    raise _DryRun
        except _DryRun:
            pass
        except OSError as exc:
            raise UsageError(f"{unit.path}: cannot read ({exc.strerror or exc})") from None
    except UsageError as exc:
        if not folder or isinstance(exc, NeedsMe):
            raise
        return UnitResult(unit, error=str(exc).removeprefix(f"{unit.path}: "))
    return UnitResult(unit, summary)


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _remember(result: PlanResult, options: ImportOptions, tracker: Tracker) -> None:
    """Add the ``--me`` values ``[me]`` lacks to config.toml, once something imported."""
    if not result.summaries:
        return
    region = tracker.settings.default_region
    given = list(options.me_values) + ([options.me] if options.me else [])
    new = read_values(given, region).new_in(from_settings(tracker.settings))
    if not new:
        return
    said = new.described()
    if not options.dry_run:
        try:
            written = remember(new)
        except UsageError as exc:
            said = [f"not written ({exc})"]
        else:
            if written is not None:
                tracker.settings = replace(
                    tracker.settings,
                    **{k: getattr(written, k) for k in ("emails", "phones", "linkedin", "names")},
                )
    result.remembered = said
    result.summaries[-1].remembered = said


__all__ = ["Me", "PlanResult", "UnitResult", "run_plan", "with_rep"]
