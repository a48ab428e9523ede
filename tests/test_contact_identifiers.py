"""Several labelled phones and emails per contact from the CLI (``add``/``edit`` with
``--phone``/``--email`` more than once, ``show``, ``list --format json``), every one of
them a key to find the contact, and names split by nameparser."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_helpers import Outreach
from tracker.identity import split_name
from tracker.models import Channel
from tracker.service import Tracker


@pytest.fixture
def run(tmp_path: Path) -> Outreach:
    return Outreach(tmp_path / "cli.db")


def _phones(data: dict[str, object]) -> object:
    return data["phones"]


def test_add_several_phones_and_emails(run: Outreach) -> None:
    run(
        "add",
        "Dana Fictional",
        "--phone",
        "work:+13125550188",
        "--phone",
        "(312) 555-0142",
        "--email",
        "home:dana@example.com",
        "--email",
        "Work:dana@northwind.example",
    )
    data = run.json("show", "1", "--format", "json")
    # A number without a label is a mobile, and the mobile is the primary.
    assert data["phone"] == "+13125550142" and data["email"] == "dana@example.com"
    assert data["phones"] == [
        {"value": "+13125550142", "label": "mobile", "primary": True},
        {"value": "+13125550188", "label": "work", "primary": False},
    ]
    assert data["emails"] == [
        {"value": "dana@example.com", "label": "home", "primary": True},
        {"value": "dana@northwind.example", "label": "work", "primary": False},
    ]
    (listed,) = run.json("list", "--format", "json")
    assert (listed["phones"], listed["emails"]) == (data["phones"], data["emails"])
    text = run("show", "1").stdout
    assert "  Phone:          +1 312-555-0142 (mobile, primary)\n" in text
    assert "                  +1 312-555-0188 (work)\n" in text
    for ref in ("+1 312 555 0188", "dana@northwind.example", "312.555.0142"):
        assert (
            run("show", ref, "--format", "json").stdout
            == run("show", "1", "--format", "json").stdout
        )
    assert [r["id"] for r in run.json("list", "--search", "555-0188", "--format", "json")] == [1]


def test_a_number_belongs_to_one_contact(run: Outreach) -> None:
    run("add", "Dana Fictional", "--phone", "+13125550142", "--phone", "work:+13125550188")
    err = run("add", "Sam Seller", "--phone", "312-555-0188", code=2).stderr
    assert err == (
        "outreach: error: phone +13125550188 already belongs to contact 1 (Dana Fictional)\n"
    )
    err = run("add", "Sam Seller", "--phone", "fax:+13125550100", code=2).stderr
    assert err == (
        "outreach: error: unknown label 'fax' for a phone (choose from mobile, work, home, other)\n"
    )
    err = run("add", "Sam", "--email", "mobile:s@x.example", code=2).stderr
    assert "unknown label 'mobile' for an email (choose from work, home, other)" in err
    assert run.json("list", "--format", "json")[0]["name"] == "Dana Fictional"
    assert len(run.json("list", "--format", "json")) == 1


def test_edit_replaces_or_adds_and_removes(run: Outreach) -> None:
    run("add", "Dana Fictional", "--phone", "work:+13125550188", "--email", "dana@example.com")
    run("edit", "1", "--add-phone", "+13125550142", "--add-email", "home:d@home.example")
    data = run.json("show", "1", "--format", "json")
    # Adding keeps the primary.
    assert [p["value"] for p in data["phones"]] == ["+13125550188", "+13125550142"]
    assert data["phone"] == "+13125550188"
    run("edit", "1", "--remove-phone", "(312) 555-0188")
    data = run.json("show", "1", "--format", "json")
    assert data["phones"] == [{"value": "+13125550142", "label": "mobile", "primary": True}]
    assert (
        "no phone +13125550100" in run("edit", "1", "--remove-phone", "312 555 0100", code=2).stderr
    )
    # --phone replaces the whole set; --email '' removes every email.
    run("edit", "1", "--phone", "home:+13125550170", "--phone", "work:+13125550171", "--email", "")
    data = run.json("show", "1", "--format", "json")
    assert data["phones"] == [
        {"value": "+13125550170", "label": "home", "primary": True},
        {"value": "+13125550171", "label": "work", "primary": False},
    ]
    assert (data["emails"], data["email"]) == ([], "")
    assert (
        "replace the phones or add"
        in run("edit", "1", "--phone", "+13125550142", "--add-phone", "+13125550143", code=2).stderr
    )
    assert "Replaces all the contact's phones" in " ".join(run("edit", "--help").stdout.split())


def test_edit_in_the_app_is_undone_with_its_identifiers(tracker: Tracker) -> None:
    dana = tracker.add_contact(
        {"name": "Dana Fictional", "phones": ["+13125550142", "work:+13125550188"]}
    )
    step = tracker.change_contact(dana.id, {"phone": "+13125550199"}, None)
    # The form's one phone field sets the primary; the other numbers stay.
    assert [(i.value, i.primary) for i in tracker.identifiers(dana.id)] == [
        ("+13125550199", True),
        ("+13125550188", False),
    ]
    step.revert(tracker)
    assert [(i.value, i.label) for i in tracker.identifiers(dana.id)] == [
        ("+13125550142", "mobile"),
        ("+13125550188", "work"),
    ]
    assert tracker.contact(dana.id).phone == "+13125550142"


@pytest.mark.parametrize(
    ("name", "first", "last"),
    [
        ("Dr. Jane Smith", "Jane", "Smith"),
        ("Smith, John", "John", "Smith"),
        ("Jane Smith Jr.", "Jane", "Smith"),
        ("Prof. Dr. Hans Müller", "Hans", "Müller"),
        ("van der Berg, Anna", "Anna", "van der Berg"),
        ("José Muñoz", "José", "Muñoz"),
        ("Madonna", "Madonna", ""),
        ("", "", ""),
    ],
)
def test_names_are_split_by_nameparser(name: str, first: str, last: str) -> None:
    assert split_name(name) == (first, last)


def test_a_title_is_not_a_first_name(run: Outreach, tracker: Tracker) -> None:
    run("add", "Dr. Jane Smith", "--phone", "+13125550142")
    run("add", "Smith, John", "--phone", "+13125550143")
    jane = run.json("show", "1", "--format", "json")
    assert (jane["name"], jane["first_name"], jane["last_name"]) == (
        "Dr. Jane Smith",
        "Jane",
        "Smith",
    )
    assert run.json("show", "2", "--format", "json")["first_name"] == "John"
    named = ("--field", "my_name=Sam Seller")
    draft = run("draft", "1", "--channel", "sms", *named).stdout
    assert draft.startswith("Hi Jane,")
    assert run("draft", "2", "--channel", "sms", "--field", "my_name=Sam Seller").stdout.startswith(
        "Hi John,"
    )
    contact = tracker.add_contact({"name": "Ms. Ada Lovelace"})
    text, _, _ = tracker.draft(contact, Channel.LINKEDIN_INVITE)
    assert text.startswith("Hi Ada,")
