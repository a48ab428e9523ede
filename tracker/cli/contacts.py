"""Contact commands: add, edit, show, list, delete."""

from __future__ import annotations

from typing import Any

import click

from tracker.cli.common import MAX_INT, Invocation, pass_invocation, pass_reader
from tracker.cli.render import dumps, local, profile, table, touch_line
from tracker.cli.search import require_words
from tracker.key_dates import changes_from_options, typed
from tracker.models import CONTACT_SORTS, Channel, Identifier, Relationship, Segment
from tracker.service.values import choice
from tracker.text import shown, tag_text
from tracker.timeutil import now_utc
from tracker.words import plural


def contact_options(func: Any) -> Any:
    """The editable fields, shared by add and edit."""
    options = [
        click.option("--linkedin", "linkedin_url", metavar="URL", help="LinkedIn profile URL."),
        click.option("--company", help="Company."),
        click.option("--title", help="Job title."),
        click.option(
            "--segment",
            metavar="SEGMENT",
            help=f"One of: {', '.join(s.value for s in Segment)}.",
        ),
        click.option(
            "--relationship",
            metavar="RELATIONSHIP",
            help=f"One of: {', '.join(r.value for r in Relationship)}.",
        ),
        click.option("--first-name", "first_name", help="First name (default: from NAME)."),
        click.option("--last-name", "last_name", help="Last name (default: from NAME)."),
        click.option("--notes", help="Free-form notes."),
        click.option(
            "--keep-in-touch",
            "keep_in_touch_days",
            metavar="DAYS",
            help="Cadence in days; the review asks for a touch when it lapses.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def key_date_options(func: Any) -> Any:
    """``--birthday`` and ``--date LABEL=DATE``, shared by add and edit."""
    func = click.option(
        "--date",
        "dates",
        multiple=True,
        metavar="LABEL=DATE",
        help="Another date that comes round every year, e.g. --date renewal=2027-03-01 or "
        "--date 'work anniversary=2019-06-03' (repeat for more; LABEL= removes one).",
    )(func)
    return click.option(
        "--birthday",
        metavar="DATE",
        help="Their birthday: 1988-05-12, or --05-12 without the year ('' removes it).",
    )(func)


PHONE_HELP = (
    "A phone number, any common spelling, with an optional label (mobile, work, home or"
    " other):"
    " --phone work:+13125550188. Repeat for several; the first mobile (a number without a"
    " label is one) is the primary, else the first."
)
EMAIL_HELP = (
    "An email address with an optional label (work, home or other):"
    " --email home:dana@example.com."
    " Repeat for several; the first is the primary."
)


def _raw(values: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "name",
        "linkedin_url",
        "company",
        "title",
        "segment",
        "relationship",
        "first_name",
        "last_name",
        "notes",
        "keep_in_touch_days",
    )
    raw = {k: values[k] for k in keys if values.get(k) is not None}
    for option, key in (("phone", "phones"), ("email", "emails")):
        if values.get(option):
            raw[key] = list(values[option])
    return raw


@click.command()
@click.argument("name")
@click.option("--phone", multiple=True, metavar="[LABEL:]PHONE", help=PHONE_HELP)
@click.option("--email", multiple=True, metavar="[LABEL:]EMAIL", help=EMAIL_HELP)
@contact_options
@key_date_options
@click.option("--tag", "tags", multiple=True, help="A tag (repeat for more).")
@pass_invocation
def add(
    invocation: Invocation,
    tags: tuple[str, ...],
    birthday: str | None,
    dates: tuple[str, ...],
    **values: Any,
) -> None:
    """Add a contact and print its id."""
    key_dates = changes_from_options(birthday, dates)
    contact = invocation.tracker.add_contact(_raw(values), tags, key_dates=key_dates)
    click.echo(contact.id)


@click.command()
@click.argument("contact")
@click.option("--name", help="New display name.")
@click.option(
    "--phone",
    multiple=True,
    metavar="[LABEL:]PHONE",
    help=PHONE_HELP + " Replaces all the contact's phones (--phone '' removes them all).",
)
@click.option(
    "--email",
    multiple=True,
    metavar="[LABEL:]EMAIL",
    help=EMAIL_HELP + " Replaces all the contact's emails (--email '' removes them all).",
)
@click.option(
    "--add-phone",
    "add_phones",
    multiple=True,
    metavar="[LABEL:]PHONE",
    help="Add a phone, keeping the others (and the primary).",
)
@click.option(
    "--remove-phone", "remove_phones", multiple=True, metavar="PHONE", help="Remove a phone."
)
@click.option(
    "--add-email",
    "add_emails",
    multiple=True,
    metavar="[LABEL:]EMAIL",
    help="Add an email, keeping the others (and the primary).",
)
@click.option(
    "--remove-email", "remove_emails", multiple=True, metavar="EMAIL", help="Remove an email."
)
@contact_options
@key_date_options
@click.option("--tag", "tags", multiple=True, help="Set the tags (repeat; replaces them).")
@click.option("--add-tag", "add_tags", multiple=True, help="Add a tag, keeping the others.")
@click.option("--remove-tag", "remove_tags", multiple=True, help="Remove a tag.")
@pass_invocation
def edit(
    invocation: Invocation,
    contact: str,
    tags: tuple[str, ...],
    add_tags: tuple[str, ...],
    remove_tags: tuple[str, ...],
    add_phones: tuple[str, ...],
    remove_phones: tuple[str, ...],
    add_emails: tuple[str, ...],
    remove_emails: tuple[str, ...],
    birthday: str | None,
    dates: tuple[str, ...],
    **values: Any,
) -> None:
    """Change a contact's fields. An empty value (--title '') clears a field.

    --phone and --email replace the whole set of phones or emails; --add-phone,
    --remove-phone, --add-email and --remove-email change some and keep the rest.
    --birthday and --date set key dates, keeping the others."""
    key_dates = changes_from_options(birthday, dates)
    found = invocation.resolve(contact)
    new_tags: list[str] | None = None
    if tags or add_tags or remove_tags:
        base = list(tags) if tags else list(found.tags)
        removed = {tag_text(t) for t in remove_tags}
        new_tags = [t for t in [*base, *add_tags] if tag_text(t) not in removed]
    raw = _raw(values)
    add = {k: v for k, v in (("phone", add_phones), ("email", add_emails)) if v}
    remove = {k: v for k, v in (("phone", remove_phones), ("email", remove_emails)) if v}
    if not raw and new_tags is None and not add and not remove and not key_dates:
        raise click.UsageError("nothing to change: give at least one field option")
    updated = invocation.tracker.edit_contact(found, raw, new_tags, add, remove, key_dates)
    click.echo(f"updated contact {updated.id} ({shown(updated.name)})")


@click.command()
@click.argument("contact")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@pass_reader
def show(invocation: Invocation, contact: str, fmt: str) -> None:
    """Show a contact's profile and timeline (newest first)."""
    from tracker.cli.sequences import plan_record, plan_text

    found = invocation.resolve(contact)
    touches = invocation.tracker.touches(found.id, newest_first=True)
    identifiers = invocation.tracker.identifiers(found.id)
    clock = invocation.tracker.clock()
    plans = invocation.tracker.contact_plans(found.id, clock)
    now = now_utc()
    ahead = [t.at for t in touches if t.channel is Channel.MEETING and t.at > now]
    next_meeting = min(ahead, default=None)
    key_dates = invocation.tracker.key_dates(found.id)
    if fmt == "json":
        data = {k: v for k, v in found.__dict__.items()}
        for key, value in list(data.items()):
            if hasattr(value, "isoformat"):
                data[key] = value.isoformat()
            elif isinstance(value, tuple):
                data[key] = list(value)
        data.update(_labelled(identifiers))
        data["key_dates"] = [{"label": k.label, "date": typed(k)} for k in key_dates]
        data["sequence"] = plan_record(plans, clock.today, invocation.tz)
        data["touches"] = [
            {
                **{k: v for k, v in t.__dict__.items() if k not in ("at", "status_at")},
                "at": t.at.isoformat(),
                "status_at": t.status_at.isoformat() if t.status_at else None,
            }
            for t in touches
        ]
        data["next_meeting"] = next_meeting.isoformat() if next_meeting else None
        click.echo(dumps(data))
        return
    click.echo(profile(found, invocation.tz, identifiers, key_dates, next_meeting))
    click.echo(plan_text(plans, clock.today, invocation.tz))
    click.echo("")
    click.echo(f"Timeline ({plural(len(touches), 'touch')}, newest first)")
    for touch in touches:
        click.echo(touch_line(touch, invocation.tz, now))


@click.command(name="list")
@click.option(
    "--search",
    "-s",
    default="",
    help="Only contacts matching every word (any field or message; see `outreach search`),"
    " best match first.",
)
@click.option("--tag", default="", help="Only contacts with this tag.")
@click.option("--segment", default="", help="Only this segment.")
@click.option(
    "--sort",
    type=click.Choice(sorted(CONTACT_SORTS)),
    default=None,
    help="Sort by this column (default: name; with --search, the best match first).",
)
@click.option("--desc", is_flag=True, help="Sort descending.")
@click.option("--limit", type=click.IntRange(1, MAX_INT), default=1000, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@pass_reader
def list_(
    invocation: Invocation,
    search: str,
    tag: str,
    segment: str,
    sort: str | None,
    desc: bool,
    limit: int,
    fmt: str,
) -> None:
    """List contacts, filtered and sorted."""
    if segment:
        segment = choice(Segment, segment, "segment")
    if search:
        require_words(search, invocation.settings.default_region)
    tracker = invocation.tracker
    order = sort or ("" if search.strip() else "name")
    # One more than shown: whether a search found more (it has no cheap count).
    rows = tracker.contacts_page(search, order, desc, 0, min(limit, MAX_INT - 1) + 1, tag, segment)
    more = len(rows) > limit
    rows = rows[:limit]
    if fmt == "json":
        held = tracker.identifiers_for([r.id for r in rows])
        click.echo(
            dumps(
                [
                    {
                        "id": r.id,
                        "name": r.name,
                        "company": r.company,
                        "title": r.title,
                        "segment": r.segment,
                        "tags": list(r.tags),
                        "phone": r.phone,
                        "email": r.email,
                        **_labelled(held.get(r.id, [])),
                        "last_touch_at": r.last_touch_at.isoformat() if r.last_touch_at else None,
                        "follow_up_on": r.follow_up_on.isoformat() if r.follow_up_on else None,
                        "invitation": r.invite_status or None,
                    }
                    for r in rows
                ]
            )
        )
        return
    if not rows:
        click.echo(
            "No contacts match."
            if search or tag or segment or tracker.count_contacts()
            else "No contacts yet. Add one with: outreach add NAME --phone ..."
        )
        return
    click.echo(
        table(
            ("ID", "NAME", "COMPANY", "SEGMENT", "LAST TOUCH", "FOLLOW-UP", "INVITE", "TAGS"),
            [
                (
                    str(r.id),
                    r.name,
                    r.company,
                    r.segment,
                    local(r.last_touch_at, invocation.tz, False),
                    r.follow_up_on.isoformat() if r.follow_up_on else "",
                    r.invite_status,
                    ", ".join(r.tags),
                )
                for r in rows
            ],
        )
    )
    if more and search:
        click.echo(f"(the best {len(rows)} shown; raise --limit for more)")
    elif more:
        total = tracker.count_contacts("", tag, segment)
        click.echo(f"({len(rows)} of {total} shown; raise --limit for more)")


def _labelled(identifiers: list[Identifier]) -> dict[str, list[dict[str, object]]]:
    """``phones`` and ``emails`` as JSON lists of ``{"value", "label", "primary"}``."""
    return {
        f"{kind}s": [i.record() for i in identifiers if i.kind == kind]
        for kind in ("phone", "email")
    }


@click.command()
@click.argument("contact")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_invocation
def delete(invocation: Invocation, contact: str, yes: bool) -> None:
    """Delete a contact and all its touches."""
    found = invocation.resolve(contact)
    count = len(invocation.tracker.touches(found.id))
    if not yes:
        click.confirm(
            f"Delete {shown(found.name)} (#{found.id}) and {plural(count, 'touch')}?", abort=True
        )
    invocation.tracker.delete_contact(found)
    click.echo(f"deleted contact {found.id} ({shown(found.name)})")


COMMANDS = [add, edit, show, list_, delete]
