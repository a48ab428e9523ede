"""The links a contact can be reached by: their LinkedIn profile, a call, a text, an email.

Each link is built from the contact's stored, normalised fields only: the canonical
``https://www.linkedin.com/in/<slug>`` URL, the E.164 number, the email address; each is
checked again against its form before it becomes a link, so no string from a file (a
``javascript:`` URL, a shell command, a ``mailto:`` with headers) is ever handed to the
program that opens links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from tracker.errors import UsageError
from tracker.identity import LINKEDIN_PREFIX, format_phone, normalize_email, normalize_linkedin
from tracker.models import Contact

_E164 = re.compile(r"\+[1-9][0-9]{6,14}")
_SLUG = re.compile(r"[^\s/?#\\]+")
_ADDRESS = re.compile(r"[^\s@?&#%/\\:<>\"']+@[A-Za-z0-9.-]+\.[A-Za-z0-9-]+")


@dataclass(frozen=True)
class Link:
    """One way to reach a contact: what it does, in words, and the URL that does it."""

    label: str
    url: str


def contact_links(contact: Contact) -> list[Link]:
    """The contact's LinkedIn profile, a call and a text to their primary phone (no text
    once they opted out), and an email to their primary address, where each is on file
    in its stored form."""
    found: list[Link] = []
    profile = linkedin_link(contact.linkedin_url)
    if profile:
        found.append(Link("Open their LinkedIn profile", profile))
    phone = contact.phone if _E164.fullmatch(contact.phone or "") else ""
    if phone:
        shown = format_phone(phone)
        found.append(Link(f"Call {shown}", f"tel:{phone}"))
        if not contact.opted_out():
            found.append(Link(f"Text {shown}", f"sms:{phone}"))
    address = email_address(contact.email)
    if address:
        found.append(Link(f"Email {address}", "mailto:" + quote(address, safe="@.+-_")))
    return found


def linkedin_link(stored: str | None) -> str:
    """The profile URL when ``stored`` is a canonical one (as the tracker keeps them),
    its slug percent-encoded; else empty."""
    if not stored or not stored.startswith(LINKEDIN_PREFIX):
        return ""
    slug = stored[len(LINKEDIN_PREFIX) :]
    try:
        canonical = normalize_linkedin(stored)
    except UsageError:
        return ""
    if canonical != stored or not _SLUG.fullmatch(slug):
        return ""
    return LINKEDIN_PREFIX + quote(slug, safe="-_.~")


def email_address(stored: str | None) -> str:
    """``stored`` when it is a plain, normalised address (nothing a ``mailto:`` would
    read as a header or a second recipient); else empty."""
    if not stored:
        return ""
    try:
        normal = normalize_email(stored)
    except UsageError:
        return ""
    return normal if normal == stored and _ADDRESS.fullmatch(normal) else ""
