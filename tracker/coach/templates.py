"""Message templates: built-in ones for the six moments and the relationships, plus the
user's own from ``templates.toml`` (same folder as ``config.toml``), which win by name.

A template's text has ``{fields}`` filled from the contact, the user's settings and the
history (``{call_day}``: "today", "yesterday", "on Tuesday"); extra fields (``{event}``,
``{mutual}``, ``{topic}``, ``{next_step}``) come from the caller. A field is a name in
braces that could be a field (letters, digits, underscores: ``{company}``, not ``{1}`` or
``{ }``). A field left without a value stays in the text as ``{field}`` and the checks
block it. The coach picks, among the templates that fit, the first whose fields it can
fill (``candidates``, ``best``).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from tracker.coach.when import day_fields
from tracker.config import Settings
from tracker.errors import UsageError
from tracker.identity import split_name
from tracker.models import Channel, Contact, Moment, Relationship, Touch

TEMPLATES_FILENAME = "templates.toml"
FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
"""A template field: a name in braces that could be one (``{company}``; not ``{1}``)."""


class UnfillableError(UsageError):
    """No template that fits can be filled: ``template`` (the coach's first choice)
    needs ``missing``."""

    def __init__(self, template: Template, missing: Sequence[str]) -> None:
        self.template, self.missing = template, tuple(missing)
        fields = ", ".join("{" + name + "}" for name in self.missing)
        super().__init__(f"template {template.name} needs {fields}")


@dataclass(frozen=True)
class Template:
    name: str
    channel: Channel
    text: str
    moment: Moment | None = None
    relationships: tuple[Relationship, ...] = ()
    builtin: bool = True

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(FIELD.findall(self.text)))


_R = Relationship
BUILTIN: tuple[Template, ...] = (
    Template(
        "note-before-event",
        Channel.LINKEDIN_INVITE,
        "Hi {first_name}, I see we are both going to {event}. I would love to compare notes "
        "on what you are hoping to get out of it, and maybe say hello in person there. "
        "Looking forward to connecting.",
        Moment.BEFORE_EVENT,
    ),
    Template(
        "note-after-event",
        Channel.LINKEDIN_INVITE,
        "Hi {first_name}, it was good to meet you at {event}. I enjoyed our chat about how "
        "{company} is approaching the year ahead. I would be glad to stay in touch and keep "
        "the conversation going here.",
        Moment.AFTER_EVENT,
    ),
    Template(
        "note-after-call",
        Channel.LINKEDIN_INVITE,
        "Hi {first_name}, thank you for taking the time to talk {call_day}. I appreciated "
        "hearing how things work at {company}, and I would like to stay connected here as we "
        "take the next step.",
        Moment.AFTER_CALL,
    ),
    Template(
        "note-meaningful-interaction",
        Channel.LINKEDIN_INVITE,
        "Hi {first_name}, I enjoyed your thoughts on {topic} and they stuck with me. I work "
        "on similar questions and would value being connected so I can keep learning from "
        "what you share.",
        Moment.MEANINGFUL_INTERACTION,
    ),
    Template(
        "note-mutual-connection",
        Channel.LINKEDIN_INVITE,
        "Hi {first_name}, {mutual} suggested we should know each other, given your work at "
        "{company}. I would be glad to connect and hear what you are focused on these days.",
        Moment.MUTUAL_CONNECTION,
    ),
    Template(
        "note-profile-view",
        Channel.LINKEDIN_INVITE,
        "Hi {first_name}, I noticed you viewed my profile and had a look at yours in return. "
        "Your work at {company} looks interesting, and I would be happy to connect and learn "
        "more about it.",
        Moment.PROFILE_VIEW,
    ),
    Template(
        "note-cold",
        Channel.LINKEDIN_INVITE,
        "Hi {first_name}, I came across your profile while reading about teams like yours at "
        "{company}. I work with people in similar roles and would be glad to connect and "
        "swap notes now and then.",
        Moment.COLD,
    ),
    Template(
        "note-cold-general",
        Channel.LINKEDIN_INVITE,
        "Hi {first_name}, I came across your profile while looking for people who work on "
        "the same kind of problems I do. I would be glad to connect and swap notes now and "
        "then.",
        Moment.COLD,
    ),
    Template(
        "note-reconnect",
        Channel.LINKEDIN_INVITE,
        "Hi {first_name}, it has been a while since we worked together. I would love to "
        "reconnect here and hear how things are going at {company}.",
        None,
        (_R.FORMER_COLLEAGUE, _R.FRIEND),
    ),
    Template(
        "note-reconnect-general",
        Channel.LINKEDIN_INVITE,
        "Hi {first_name}, it has been a while since we last met. I would love to reconnect "
        "here and hear how things are going for you.",
        None,
        (_R.FORMER_COLLEAGUE, _R.FRIEND),
    ),
    Template(
        "text-intro",
        Channel.SMS,
        "Hi {first_name}, this is {my_name}. Thanks for agreeing to stay in touch by text. "
        "Is this a good number to reach you?",
    ),
    Template(
        "text-after-call",
        Channel.SMS,
        "Hi {first_name}, {my_name} here. Thanks for the call {call_day}. Does {next_step} "
        "still work for you?",
        Moment.AFTER_CALL,
    ),
    Template(
        "text-after-call-short",
        Channel.SMS,
        "Hi {first_name}, {my_name} here. Thanks for the call {call_day}. What would be a "
        "good next step on your side?",
        Moment.AFTER_CALL,
    ),
    Template(
        "text-nudge",
        Channel.SMS,
        "Hi {first_name}, {my_name} here. Just checking you saw my last message. Is now "
        "still a good time to talk?",
    ),
    Template(
        "message-thanks",
        Channel.LINKEDIN_MESSAGE,
        "Hi {first_name}, thanks for connecting! I thought you might find this useful given "
        "your work at {company}: {topic}. Happy to return the favour any time.",
    ),
    Template(
        "message-thanks-short",
        Channel.LINKEDIN_MESSAGE,
        "Hi {first_name}, thanks for connecting! What are you focused on these days? Happy "
        "to help where I can.",
    ),
    Template(
        "message-nudge",
        Channel.LINKEDIN_MESSAGE,
        "Hi {first_name}, just floating my last note back to the top of your inbox. Would a "
        "short call next week be useful?",
    ),
    Template(
        "email-nudge",
        Channel.EMAIL,
        "Hi {first_name},\n\nDid you get a chance to look at my last email? Happy to answer "
        "any questions on a short call this week.\n\n{my_name}",
    ),
    Template(
        "email-after-call",
        Channel.EMAIL,
        "Hi {first_name},\n\nThank you for taking the time to talk {call_day}. Does "
        "{next_step} still work for you?\n\n{my_name}",
        Moment.AFTER_CALL,
    ),
    Template(
        "message-after-call",
        Channel.LINKEDIN_MESSAGE,
        "Hi {first_name}, thank you for taking the time to talk {call_day}. Does {next_step} "
        "still work for you?",
        Moment.AFTER_CALL,
    ),
    Template(
        "message-after-call-short",
        Channel.LINKEDIN_MESSAGE,
        "Hi {first_name}, thank you for taking the time to talk {call_day}. What would be a "
        "good next step on your side?",
        Moment.AFTER_CALL,
    ),
    Template(
        "whatsapp-nudge",
        Channel.WHATSAPP,
        "Hi {first_name}, just checking you saw my last message. Would a short call this "
        "week help?",
    ),
    Template(
        "whatsapp-after-call",
        Channel.WHATSAPP,
        "Hi {first_name}, thanks for the call {call_day}. Does {next_step} still work for you?",
        Moment.AFTER_CALL,
    ),
    Template(
        "whatsapp-after-call-short",
        Channel.WHATSAPP,
        "Hi {first_name}, thanks for the call {call_day}. What would be a good next step on "
        "your side?",
        Moment.AFTER_CALL,
    ),
    Template(
        "text-birthday",
        Channel.SMS,
        "Happy birthday, {first_name}! {my_name} here, wishing you a great day. Any plans "
        "to celebrate?",
    ),
    Template(
        "message-birthday",
        Channel.LINKEDIN_MESSAGE,
        "Happy birthday, {first_name}! I hope the year ahead is a good one. Any plans to "
        "celebrate?",
    ),
    Template(
        "email-birthday",
        Channel.EMAIL,
        "Hi {first_name},\n\nHappy birthday! I hope the year ahead is a good one. Any plans "
        "to celebrate?\n\n{my_name}",
    ),
    Template(
        "text-congrats",
        Channel.SMS,
        "Hi {first_name}, {my_name} here. Congratulations on {occasion}! How are things "
        "going on your side?",
    ),
    Template(
        "message-congrats",
        Channel.LINKEDIN_MESSAGE,
        "Hi {first_name}, congratulations on {occasion}! How are things going on your side?",
    ),
    Template(
        "email-congrats",
        Channel.EMAIL,
        "Hi {first_name},\n\nCongratulations on {occasion}! How are things going on your "
        "side?\n\n{my_name}",
    ),
    Template(
        "email-after-call-short",
        Channel.EMAIL,
        "Hi {first_name},\n\nThank you for taking the time to talk {call_day}. What would be "
        "a good next step on your side?",
        Moment.AFTER_CALL,
    ),
)


def templates_path() -> Path:
    from tracker.paths import config_dir

    return config_dir() / TEMPLATES_FILENAME


def load_templates(path: Path | None = None) -> dict[str, Template]:
    """Built-ins, then the user's file over them. A bad file is a ``UsageError``."""
    found = {t.name: t for t in BUILTIN}
    path = path or templates_path()
    if not path.exists():
        return found
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: not valid TOML ({exc})") from None
    entries = data.get("template", [])
    if not isinstance(entries, list):
        raise UsageError(f"{path}: use [[template]] tables")
    for number, entry in enumerate(entries, start=1):
        where = f"{path}: template {number}"
        if not isinstance(entry, dict):
            raise UsageError(f"{where}: must be a table")
        try:
            name, channel, text = entry["name"], entry["channel"], entry["text"]
        except KeyError as missing:
            raise UsageError(f"{where}: missing {missing.args[0]!r}") from None
        try:
            template = Template(
                name=str(name),
                channel=Channel(channel),
                text=str(text),
                moment=Moment(entry["moment"]) if entry.get("moment") else None,
                relationships=tuple(Relationship(r) for r in entry.get("relationships", [])),
                builtin=False,
            )
        except ValueError as exc:
            raise UsageError(f"{where} ({name}): {exc}") from None
        found[template.name] = template
    return found


def contact_fields(contact: Contact, settings: Settings) -> dict[str, str]:
    """The fields a template can use that the tracker already knows."""
    first = contact.first_name or split_name(contact.name)[0]
    my_name = settings.my_name.strip()
    values = {
        "first_name": first,
        "last_name": contact.last_name,
        "name": contact.name,
        "company": contact.company,
        "title": contact.title,
        "my_name": my_name,
        "my_first_name": split_name(my_name)[0],
    }
    return {k: v for k, v in values.items() if v}


def known_fields(
    contact: Contact,
    settings: Settings,
    history: Sequence[Touch],
    as_of: datetime,
    tz: tzinfo,
) -> dict[str, str]:
    """Every field the tracker can fill for ``contact`` as of ``as_of``: the contact's,
    the user's name, and the days of their latest call and meeting."""
    return contact_fields(contact, settings) | day_fields(history, as_of, tz)


def render(template: Template, values: Mapping[str, str]) -> tuple[str, list[str]]:
    """The text with fields filled; and the fields left unfilled (kept as ``{field}``)."""
    missing: list[str] = []

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        if values.get(key):
            return values[key]
        missing.append(key)
        return match.group(0)

    return FIELD.sub(fill, template.text), list(dict.fromkeys(missing))


def unfilled(template: Template, values: Mapping[str, str]) -> list[str]:
    """The fields of ``template`` that ``values`` leaves empty."""
    return [name for name in template.fields if not values.get(name)]


def _user_first(found: list[Template]) -> list[Template]:
    return [t for t in found if not t.builtin] + [t for t in found if t.builtin]


def candidates(
    templates: Mapping[str, Template],
    channel: Channel,
    contact: Contact,
    moment: Moment | None = None,
    hints: Sequence[str] = (),
) -> list[Template]:
    """The templates that fit this channel, contact and moment, best first. ``hints``
    name the ones the situation calls for, in order (e.g. ``text-after-call`` then
    ``text-after-call-short`` after a call): when any exists, only they fit."""
    on_channel = [t for t in templates.values() if t.channel is channel]
    if not on_channel:
        raise UsageError(f"no template for channel {channel.value}")
    named = [templates[h] for h in hints if h in templates and templates[h].channel is channel]
    if named:
        return named
    if channel is Channel.LINKEDIN_INVITE:
        if contact.relationship:
            mine = [t for t in on_channel if contact.relationship in t.relationships]
            if mine:
                return _user_first(mine)
        wanted = moment or Moment.COLD
        fit = [t for t in on_channel if t.moment is wanted and not t.relationships]
        if fit:
            return _user_first(fit)
    fit = [t for t in on_channel if moment is None or t.moment in (None, moment)]
    return _user_first(fit) or on_channel[:1]


def best(found: Sequence[Template], values: Mapping[str, str]) -> Template:
    """The first of ``found`` whose fields ``values`` fill; when none can be filled, the
    one that leaves the fewest empty (the first of those)."""
    return min(found, key=lambda t: (len(unfilled(t, values)), found.index(t)))
