"""vCard 2.1, 3.0 and 4.0 → people: folded lines, escaped ``, ; \\n``, Android's
QUOTED-PRINTABLE 2.1 cards, ``item1.`` groups and ``tel:`` URIs (FORMATS.md, "Contacts").

``BDAY`` is the contact's birthday (``1988-05-12``, ``19880512``, ``--0512``).
Every TEL and EMAIL is kept, labelled from its TYPE (``mobile``, ``work``, ``home``,
``other``); the primary is the mobile when the card says which, else the preferred one,
else the first (DOMAIN.md, "Imports and identity").
"""

from __future__ import annotations

import quopri
import re
from dataclasses import dataclass, field

from tracker.identity import label_of
from tracker.importers.common import fail
from tracker.importers.contacts_csv import is_system_group
from tracker.key_dates import read_file_date, typed
from tracker.models import BIRTHDAY
from tracker.service.imports import Person

_LINE_BREAK = re.compile(r"\r\r\n|\r\n|\r|\n")
"""Line ends; some iPhone exports end every line with CR CR LF, which is one line end
(not a blank line after each line: that would break every folded PHOTO)."""
_UNESCAPE = re.compile(r"\\(.)", re.DOTALL)


@dataclass
class Property:
    name: str
    params: dict[str, list[str]]
    value: str
    line: int

    @property
    def types(self) -> set[str]:
        found = {t.casefold() for t in self.params.get("type", [])}
        return found | {t.casefold() for t in self.params.get("", [])}


@dataclass
class Card:
    line: int
    properties: list[Property] = field(default_factory=list)

    def all(self, name: str) -> list[Property]:
        return [p for p in self.properties if p.name == name]

    def first(self, name: str) -> str:
        found = self.all(name)
        return found[0].value if found else ""


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Unfold continuation lines (leading space or tab) and QUOTED-PRINTABLE soft breaks,
    read as a blank-line-free stream: a blank line carries nothing in a vCard, so a
    continuation after one still continues the line before it."""
    out: list[tuple[int, str]] = []
    qp_open = False
    for number, raw in enumerate(_LINE_BREAK.split(text), start=1):
        if not raw and not qp_open:
            continue
        if out and raw[:1] in (" ", "\t") and not qp_open:
            out[-1] = (out[-1][0], out[-1][1] + raw[1:])
        elif out and qp_open:
            out[-1] = (out[-1][0], out[-1][1][:-1] + raw)
        else:
            out.append((number, raw))
        current = out[-1][1]
        qp_open = "QUOTED-PRINTABLE" in current.split(":", 1)[0].upper() and current.endswith("=")
    return out


def _split_unescaped(value: str, separator: str) -> list[str]:
    parts, current, escaped = [], [], False
    for char in value:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def unescape(value: str) -> str:
    """Undo vCard escapes; line breaks (also quoted-printable CRLF) become ``\n``."""
    text = _UNESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _property(line: str, number: int, name: str) -> Property:
    head, sep, value = line.partition(":")
    if not sep:
        fail(name, number, f"not a vCard line: {line[:40]!r}")
    pieces = head.split(";")
    prop_name = pieces[0].rsplit(".", 1)[-1].strip().casefold()
    params: dict[str, list[str]] = {}
    for piece in pieces[1:]:
        key, eq, val = piece.partition("=")
        if not eq:
            key, val = "", key
        values = [v.strip().strip('"') for v in val.split(",") if v.strip()]
        params.setdefault(key.strip().casefold(), []).extend(values)
    encoding = {v.casefold() for v in params.get("encoding", [])} | {
        v.casefold() for v in params.get("", [])
    }
    if "quoted-printable" in encoding:
        charset = (params.get("charset") or ["utf-8"])[0]
        raw = quopri.decodestring(value.encode("latin-1", "replace"))
        try:
            value = raw.decode(charset)
        except (LookupError, UnicodeDecodeError):
            value = raw.decode("cp1252", "replace")
        if "\x00" in value:
            fail(name, number, "a NUL byte in a QUOTED-PRINTABLE value (=00): not text")
    return Property(prop_name, params, value, number)


def parse_vcards(text: str, name: str) -> list[Card]:
    """Every card in ``text``; anything outside ``BEGIN:VCARD``/``END:VCARD`` is fatal."""
    cards: list[Card] = []
    current: Card | None = None
    for number, line in _logical_lines(text):
        if not line.strip():
            continue
        upper = line.strip().upper()
        if upper == "BEGIN:VCARD":
            if current is not None:
                fail(name, current.line, f"card {len(cards) + 1} has no END:VCARD")
            current = Card(number)
        elif upper == "END:VCARD":
            if current is None:
                fail(name, number, "END:VCARD without BEGIN:VCARD")
            cards.append(current)
            current = None
        elif current is None:
            fail(name, number, "not a vCard file (expected BEGIN:VCARD)")
        else:
            current.properties.append(_property(line, number, name))
    if current is not None:
        fail(name, current.line, f"card {len(cards) + 1} has no END:VCARD")
    if not cards:
        fail(name, 1, "no vCard in this file (expected BEGIN:VCARD)")
    return cards


def _labelled(props: list[Property], kind: str) -> list[tuple[str, str]]:
    """Every value with its label, the preferred (``PREF``) ones first."""

    def rank(prop: Property) -> int:
        return 0 if "pref" in prop.types or "pref" in prop.params else 1

    found = [(_clean_value(p), label_of(p.types, kind)) for p in sorted(props, key=rank)]
    return [(value, label) for value, label in found if value]


def _clean_value(prop: Property) -> str:
    value = unescape(prop.value).strip()
    if value.lower().startswith(("tel:", "mailto:")):
        value = value.split(":", 1)[1]
    return value


def card_person(card: Card) -> Person:
    family, given = "", ""
    n = card.first("n")
    if n:
        parts = [unescape(p).strip() for p in _split_unescaped(n, ";")]
        family, given = [*parts, "", ""][:2]
    full = unescape(card.first("fn")).strip() or " ".join(x for x in (given, family) if x)
    linkedin, websites = "", []
    for prop in card.all("url") + card.all("x-socialprofile"):
        value = _clean_value(prop)
        if "linkedin.com/in/" in value.lower() and not linkedin:
            linkedin = value
        elif value:
            websites.append(value)
    org = card.first("org")
    company = unescape(_split_unescaped(org, ";")[0]).strip() if org else ""
    notes = [unescape(card.first("note")).strip()]
    if websites:
        notes.append("Websites: " + ", ".join(websites))
    tags: list[str] = []
    for prop in card.all("categories"):
        tags.extend(unescape(t).strip() for t in _split_unescaped(prop.value, ","))
    tags = [t for t in tags if not is_system_group(t)]
    return Person(
        name=full,
        first_name=given,
        last_name=family,
        company=company,
        title=unescape(card.first("title")).strip(),
        phones=_labelled(card.all("tel"), "phone"),
        emails=_labelled(card.all("email"), "email"),
        linkedin_url=linkedin,
        notes="\n".join(n for n in notes if n),
        tags=tuple(t for t in tags if t),
        key_dates=_birthday(card),
    )


def _birthday(card: Card) -> str:
    """``BDAY`` as the key date's text (``1988-05-12`` or ``--05-12``); Apple's cards mark
    a birthday without a year with a made-up one (``X-APPLE-OMIT-YEAR=1604``). A value
    that is no date is passed on as it is, for the import to count."""
    found = card.all("bday")
    if not found:
        return ""
    raw = unescape(found[0].value).strip()
    omitted = found[0].params.get("x-apple-omit-year", [""])[0]
    key_date = read_file_date(BIRTHDAY, raw, int(omitted) if omitted.isdigit() else None)
    return raw if key_date is None else typed(key_date)
