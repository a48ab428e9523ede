"""Identity keys kept in one canonical form, so the same person is never two contacts.

Phones become E.164 (valid for their region, not merely possible), LinkedIn profile URLs
become ``https://www.linkedin.com/in/<slug>`` with the slug lower-cased and
percent-decoded, and emails are lower-cased. ``phonenumbers`` (its metadata is a good part
of a cold start) is loaded the first time a number is read or formatted.

Also what telling people apart needs: names split by ``nameparser``, names and companies
folded for comparing, the labels of numbers and addresses, and numbers found in notes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from tracker.errors import UsageError
from tracker.models import DEFAULT_LABELS, Label

_EMAIL = re.compile(r"^[^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+\.[^@\s<>(),;:\"]+$")
LINKEDIN_PREFIX = "https://www.linkedin.com/in/"
_PLAIN_PROFILE = re.compile(r"(?:https?://)?(?:[a-z0-9-]+\.)*linkedin\.com/in/([A-Za-z0-9_-]+)/?")
"""A profile URL the full parse below would only lower-case: no query, port, user, percent
escape or other path segment (an export's 30,000 URLs take this path)."""


def normalize_phone(raw: str, region: str) -> str:
    """E.164 for ``raw``, read in ``region`` when it has no country code.

    Raises ``UsageError`` for text that is not a valid number.
    """
    import phonenumbers

    text = raw.strip()
    if not text:
        raise UsageError("empty phone number")
    try:
        number = phonenumbers.parse(text, region.upper() or None)
    except phonenumbers.NumberParseException:
        raise UsageError(f"invalid phone number {raw!r}{_region_hint(text, region)}") from None
    if not phonenumbers.is_valid_number(number):
        raise UsageError(f"invalid phone number {raw!r}{_region_hint(text, region)}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _region_hint(text: str, region: str) -> str:
    """For a number written without a country code: the region it was read in, and how
    to give another (empty for a number that has one, or too few digits to be one)."""
    if text.startswith(("+", "00")) or not region or sum(ch.isdigit() for ch in text) < 6:
        return ""
    return (
        f" for region {region.upper()} (it has no country code): write it with one"
        " (+44 20 7946 0958) or set contacts.default_region"
    )


def try_phone(raw: str, region: str) -> str | None:
    """Like ``normalize_phone`` but ``None`` instead of an error."""
    try:
        return normalize_phone(raw, region)
    except UsageError:
        return None


PHONE_MIN_DIGITS = 7
"""Fewer digits than this are not a phone number (the shortest local numbers in common
use have seven): neither a contact reference nor a search for a phone."""


def looks_like_phone(text: str) -> bool:
    """Digits, spaces and phone punctuation, with at least ``PHONE_MIN_DIGITS`` digits."""
    stripped = text.strip()
    return (
        sum(ch.isdigit() for ch in stripped) >= PHONE_MIN_DIGITS
        and re.fullmatch(r"[+\d\s().\-/]+", stripped) is not None
    )


def phone_regions(e164: str) -> tuple[str, ...]:
    """Time zones a number may be in, as IANA names (empty when unknown)."""
    import phonenumbers
    from phonenumbers import timezone as phone_timezone

    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return ()
    zones = phone_timezone.time_zones_for_number(number)
    return tuple(z for z in zones if z != "Etc/Unknown")


def format_phone(e164: str) -> str:
    """A readable international spelling of a stored number."""
    import phonenumbers

    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalize_email(raw: str) -> str:
    """A lower-cased address; ``UsageError`` if it is not one."""
    text = raw.strip().lower()
    if text.startswith("mailto:"):
        text = text[len("mailto:") :]
    if not _EMAIL.match(text):
        raise UsageError(f"invalid email {raw!r}")
    return text


def normalize_linkedin(raw: str) -> str:
    """The canonical profile URL for any common spelling of one.

    Accepts ``linkedin.com/in/slug``, ``https://uk.linkedin.com/in/Slug/?trk=x`` and the
    like; anything that is not a ``/in/`` profile is a ``UsageError``.
    """
    text = raw.strip()
    plain = _PLAIN_PROFILE.fullmatch(text)
    if plain is not None:
        return LINKEDIN_PREFIX + plain.group(1).lower()
    if not text:
        raise UsageError("empty LinkedIn URL")
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError:  # a stray "[" or "]" reads as a broken IPv6 address
        raise UsageError(f"invalid LinkedIn URL {raw!r}") from None
    host = (parts.hostname or "").lower()
    if not (host == "linkedin.com" or host.endswith(".linkedin.com")):
        raise UsageError(f"invalid LinkedIn URL {raw!r}: not a linkedin.com address")
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) < 2 or segments[0].lower() not in ("in", "pub"):
        raise UsageError(f"invalid LinkedIn URL {raw!r}: not a /in/ profile")
    slug = unquote(segments[1]).strip().lower()
    if not slug or "/" in slug or any(ch.isspace() for ch in slug):
        raise UsageError(f"invalid LinkedIn URL {raw!r}")
    return LINKEDIN_PREFIX + slug


def split_name(full: str) -> tuple[str, str]:
    """First and last name from a display name, by ``nameparser``: it knows titles
    ("Dr. Jane Smith" is Jane Smith), suffixes ("Jr.") and "Last, First" ("Smith, John"
    is John Smith). A middle name is in neither; the display name keeps it."""
    words = full.split()
    if not words:
        return "", ""
    if len(words) <= 2 and "," not in full and "." not in full:
        first, last = words[0], words[-1] if len(words) == 2 else ""
        if first.casefold() not in _TITLES and last.casefold() not in _SUFFIXES:
            return first, last  # "Dana Fictional": nothing for the parser to find
    return _parsed_name(" ".join(words))


def _parsed_name(text: str) -> tuple[str, str]:
    first, _, last = _name_parts(text)
    if not first and not last:
        words = text.split()
        return words[0], " ".join(words[1:])
    return first, last


@lru_cache(maxsize=4096)
def _name_parts(text: str) -> tuple[str, str, str]:
    from nameparser import HumanName  # loaded when a name is first split

    parsed = HumanName(text)
    return str(parsed.first), str(parsed.middle), str(parsed.last)


def name_key(name: str) -> str:
    """A name for spotting one person under two spellings: "Dr. Jane Smith", "Smith,
    Jane" and "jane  smith" are the same key (titles, suffixes and order aside)."""
    words = name.split()
    if words and "," not in name and "." not in name and words[0].casefold() not in _TITLES:
        return fold(name)  # nothing for the parser to find
    parts = _name_parts(" ".join(words)) if words else ("", "", "")
    return fold(" ".join(p for p in parts if p)) or fold(name)


_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "rev", "hon"})
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", "mba", "cpa"})


def better_split(name: str, first: str, last: str) -> tuple[str, str] | None:
    """For a stored first and last name that are the old word-by-word split of ``name``
    ("Dr." and "Jane Smith"): the parser's split when its first name differs (a title,
    "Last, First"); ``None`` when there is nothing to mend."""
    words = name.split()
    if not words or (first, last) != (words[0], " ".join(words[1:])):
        return None
    if "," not in name and words[0].casefold().rstrip(".") not in _TITLES:
        return None
    better = split_name(name)
    return better if better[0] != first else None


def fold(text: str) -> str:
    """``text`` for comparing names: accents, case and spacing ignored."""
    if text.isascii():
        return " ".join(text.casefold().split())
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


COMPANY_SUFFIXES = frozenset(
    {
        "inc", "incorporated", "llc", "llp", "lp", "ltd", "limited", "gmbh", "corp",
        "corporation", "co", "plc", "sa", "sas", "sarl", "srl", "spa", "ag", "kg", "bv",
        "nv", "oy", "ab", "pty", "pte", "kk",
    }
)  # fmt: skip
"""Legal-form words that do not tell two companies apart ("Acme Inc." is "ACME")."""
_NOT_A_WORD = re.compile(r"[^\w&]+")


def fold_company(text: str) -> str:
    """A company name for comparing: folded, punctuation and legal forms ("Inc.", "GmbH",
    "LLC", "Ltd") dropped. "Northwind Widgets, Inc." and "northwind widgets" are equal."""
    words = _NOT_A_WORD.sub(" ", fold(text).replace(".", "")).split()
    while len(words) > 1 and words[-1] in COMPANY_SUFFIXES:
        words.pop()
    return " ".join(words)


def is_person_name(text: str) -> bool:
    """Whether ``text`` names someone: a contact named after their number or address (an
    import names one so when the file gives no name) has no name to compare."""
    return "@" not in text and any(ch.isalpha() for ch in text)


def first_name_key(first: str, name: str) -> str:
    """The folded first name to compare two people by ("" when there is none)."""
    if not is_person_name(name or first):
        return ""
    return fold(first or split_name(name)[0])


_LABEL_WORDS = {
    "mobile": "mobile",
    "cell": "mobile",
    "cellular": "mobile",
    "iphone": "mobile",
    "work": "work",
    "business": "work",
    "office": "work",
    "company": "work",
    "car": "mobile",
    "home": "home",
    "personal": "home",
    "other": "other",
}
_NO_LABEL = frozenset({"", "pref", "voice", "internet", "text", "msg", "x400"})


def label_of(words: Iterable[str], kind: str) -> str:
    """The label (``mobile``, ``work``, ``home``, ``other``) a file's words for a number
    or address mean (vCard TYPEs, Google's "* Mobile", an Outlook column's name), the
    first of those in that order when several are said; with no words that say anything,
    the default for ``kind``."""
    said: set[str] = set()
    told = False
    for raw in words:
        for word in raw.replace("*", " ").replace("_", " ").casefold().split():
            label = _LABEL_WORDS.get(word)
            if label is not None and not (label == "mobile" and kind == "email"):
                said.add(label)
            told = told or word not in _NO_LABEL
    for label in Label:
        if label.value in said:
            return label.value
    return "other" if told else DEFAULT_LABELS[kind]


def split_label(text: str) -> tuple[str | None, str]:
    """``"work:+13125550188"`` as ``("work", "+13125550188")``; text without a known
    label before a colon is all value (``(None, text)``)."""
    head, sep, rest = text.partition(":")
    if sep and head.strip().casefold() in {label.value for label in Label}:
        return head.strip().casefold(), rest.strip()
    return None, text.strip()


def primary_first(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``(value, label)`` pairs, duplicates dropped, with the primary first: the first
    mobile when there is one, else the first given."""
    unique = list({value: (value, label) for value, label in reversed(items)}.values())[::-1]
    for position, (_, label) in enumerate(unique):
        if label == Label.MOBILE:
            return [unique[position], *unique[:position], *unique[position + 1 :]]
    return unique


_PHONE_LIKE = re.compile(r"\+?\(?\d[\d\s().\-/]{5,}\d")


def phones_in(text: str, region: str) -> list[str]:
    """The valid phone numbers written in free text (notes), in E.164, in order."""
    found: list[str] = []
    for match in _PHONE_LIKE.finditer(text):
        phone = try_phone(match.group(), region)
        if phone and phone not in found:
            found.append(phone)
    return found


NOTE_LINES = {"phone": "Other phones:", "email": "Other emails:"}
"""The note lines earlier imports wrote for the numbers and addresses beyond the first."""


def claim_note_identifiers(notes: str, region: str, claim: Callable[[str, str], bool]) -> str:
    """``notes`` without the "Other phones: ..." / "Other emails: ..." values that became
    identifiers: ``claim(kind, value)`` (E.164 or a lower-cased address) says whether the
    contact holds that value now. A value that is invalid or not claimed (another contact
    holds it) stays in its line; a line left empty goes."""
    kept: list[str] = []
    for line in notes.split("\n"):
        kind = next((k for k, head in NOTE_LINES.items() if line.startswith(head)), None)
        if kind is None:
            kept.append(line)
            continue
        left = []
        for raw in line[len(NOTE_LINES[kind]) :].split(","):
            if not raw.strip():
                continue
            value = try_phone(raw, region) if kind == "phone" else _try_email(raw)
            if value is None or not claim(kind, value):
                left.append(raw.strip())
        if left:
            kept.append(f"{NOTE_LINES[kind]} {', '.join(left)}")
    return "\n".join(kept)


def _try_email(raw: str) -> str | None:
    try:
        return normalize_email(raw)
    except UsageError:
        return None
