"""Who the rep is, for every import: their email addresses (mail from them is outbound),
phone numbers, LinkedIn profile and the names chat exports show them by.

They live in ``config.toml``'s ``[me]`` section; ``--me VALUE`` (repeatable) gives more,
each told apart by its form: an address, a number, a profile URL, else a name. An import
that needs one and has none stops before writing and asks for it (``NeedsMe``); the first
one given is remembered in ``[me]`` (``remember``), the file's comments kept.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path

from tracker.config import Settings
from tracker.errors import UsageError
from tracker.identity import (
    looks_like_phone,
    normalize_email,
    normalize_linkedin,
    try_phone,
)

KINDS = ("emails", "phones", "linkedin", "names")
"""The ``[me]`` settings, in the order they are listed."""
_WHAT = {
    "emails": "email address",
    "phones": "phone number",
    "linkedin": "LinkedIn profile URL",
    "names": "name as the chat shows it",
}
_EXAMPLE = {
    "emails": "you@example.com",
    "phones": "+13125550100",
    "linkedin": "https://www.linkedin.com/in/you",
    "names": '"Sam Seller"',
}


@dataclass(frozen=True)
class Me:
    """The rep's own identifiers, as stored: lower-case addresses, E.164 numbers, a
    canonical profile URL, names as typed."""

    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    linkedin: str = ""
    names: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.emails or self.phones or self.linkedin or self.names)

    def is_email(self, address: str) -> bool:
        return address.strip().lower() in self.emails

    def is_name(self, name: str) -> bool:
        """Whether a chat's sender is the rep: one of their names (any case)."""
        folded = " ".join(name.split()).casefold()
        return bool(folded) and any(folded == " ".join(n.split()).casefold() for n in self.names)

    def merged(self, other: Me) -> Me:
        """These values, then ``other``'s that are new (the first profile URL wins)."""
        return Me(
            emails=_union(self.emails, other.emails),
            phones=_union(self.phones, other.phones),
            linkedin=self.linkedin or other.linkedin,
            names=_union(self.names, other.names, fold=True),
        )

    def new_in(self, known: Me) -> Me:
        """What this holds that ``known`` does not (what an import would remember)."""
        folded = {n.casefold() for n in known.names}
        return Me(
            emails=tuple(e for e in self.emails if e not in known.emails),
            phones=tuple(p for p in self.phones if p not in known.phones),
            linkedin="" if known.linkedin or self.linkedin == known.linkedin else self.linkedin,
            names=tuple(n for n in self.names if n.casefold() not in folded),
        )

    def described(self) -> list[str]:
        """``emails sam@example.com`` ... one phrase per kind held."""
        out = []
        for kind in KINDS:
            value = getattr(self, kind)
            values = (value,) if isinstance(value, str) else value
            if values and values[0]:
                out.append(f"{kind} {', '.join(values)}")
        return out


def _union(first: tuple[str, ...], second: tuple[str, ...], fold: bool = False) -> tuple[str, ...]:
    seen = {v.casefold() if fold else v for v in first}
    extra = []
    for value in second:
        key = value.casefold() if fold else value
        if key not in seen:
            seen.add(key)
            extra.append(value)
    return (*first, *extra)


def from_settings(settings: Settings) -> Me:
    """The ``[me]`` section as settings hold it (values read as ``--me`` would read them;
    one that is not valid is left out: the loader already refused the worst)."""
    me = Me(linkedin=_quiet_linkedin(settings.linkedin), names=tuple(settings.names))
    emails = []
    for raw in settings.emails:
        try:
            emails.append(normalize_email(raw))
        except UsageError:
            continue
    phones = [p for p in (try_phone(raw, settings.default_region) for raw in settings.phones) if p]
    return replace(me, emails=tuple(dict.fromkeys(emails)), phones=tuple(dict.fromkeys(phones)))


def _quiet_linkedin(raw: str) -> str:
    if not raw.strip():
        return ""
    try:
        return normalize_linkedin(raw)
    except UsageError:
        return ""


def read_values(values: tuple[str, ...] | list[str], region: str) -> Me:
    """``--me`` values told apart by form: an address, a profile URL, a number, else a
    name. A value that has the form of one but is not valid is a ``UsageError``."""
    me = Me()
    for raw in values:
        text = " ".join(raw.split())
        if not text:
            continue
        lowered = text.lower()
        if "@" in text and " " not in text:
            try:
                me = me.merged(Me(emails=(normalize_email(text),)))
            except UsageError:
                raise UsageError(f"--me {raw!r}: not a valid email address") from None
        elif "linkedin.com" in lowered or lowered.startswith(("http://", "https://", "www.")):
            try:
                me = me.merged(Me(linkedin=normalize_linkedin(text)))
            except UsageError as exc:
                raise UsageError(f"--me {raw!r}: {exc}") from None
            if me.linkedin != normalize_linkedin(text):
                raise UsageError("--me: give one LinkedIn profile URL, not two")
        elif looks_like_phone(text):
            phone = try_phone(text, region)
            if phone is None:
                raise UsageError(f"--me {raw!r}: not a valid phone number")
            me = me.merged(Me(phones=(phone,)))
        else:
            me = me.merged(Me(names=(text,)))
    return me


class NeedsMe(UsageError):
    """An import that cannot tell which side is the rep's: it stops before writing and
    asks for ``kind`` (``emails``, ``names``...) for ``subject`` ("this mbox")."""

    def __init__(self, kind: str, subject: str) -> None:
        self.kind, self.subject = kind, subject
        super().__init__(self.asking(f"give it with --me {_EXAMPLE[kind]}"))

    def asking(self, how: str) -> str:
        """The request, with ``how`` to answer it (the CLI's flag, the app's field)."""
        return f"{self.subject} needs your {_WHAT[self.kind]}: {how}"


def remember(new: Me, path: Path | None = None) -> Settings | None:
    """Add ``new``'s values to ``[me]`` in the config file (other lines and comments kept);
    the settings the file now gives, or ``None`` when there was nothing to add."""
    from tracker.config import load_settings
    from tracker.config_write import set_setting

    if not new:
        return None
    settings = load_settings(path)
    current = from_settings(settings)
    written: Settings | None = None
    for spec in fields(Me):
        kind = spec.name
        value = getattr(new, kind)
        if not value:
            continue
        if kind == "linkedin":
            if current.linkedin:
                continue
            raw = value
        else:
            merged = _union(getattr(settings, kind), value, fold=kind == "names")
            raw = "[" + ", ".join(_toml_string(v) for v in merged) + "]"
        written = set_setting(f"me.{kind}", raw, path).settings
    return written


def _toml_string(value: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)
