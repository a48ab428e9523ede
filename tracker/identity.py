"""Identity keys kept in one canonical form, so the same person is never two contacts.

Phones become E.164 (valid for their region, not merely possible), LinkedIn profile URLs
become ``https://www.linkedin.com/in/<slug>`` with the slug lower-cased and
percent-decoded, and emails are lower-cased. ``phonenumbers`` (its metadata is a good part
of a cold start) is loaded the first time a number is read or formatted.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from tracker.errors import UsageError

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
        raise UsageError(f"invalid phone number {raw!r}") from None
    if not phonenumbers.is_valid_number(number):
        raise UsageError(f"invalid phone number {raw!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def try_phone(raw: str, region: str) -> str | None:
    """Like ``normalize_phone`` but ``None`` instead of an error."""
    try:
        return normalize_phone(raw, region)
    except UsageError:
        return None


def looks_like_phone(text: str) -> bool:
    """Digits, spaces and phone punctuation, with at least seven digits."""
    stripped = text.strip()
    return (
        sum(ch.isdigit() for ch in stripped) >= 7
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
    """First and last name from a display name: the first word, then the rest."""
    words = full.split()
    if not words:
        return "", ""
    return words[0], " ".join(words[1:])
