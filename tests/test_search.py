"""What a search finds and in what order (``Tracker.search``, rules in ``tracker.search``):
every word must match, each in any field; digits find a phone only when they look like a
phone number; ``%`` and ``_`` are plain characters; results rank exact name or identifier,
then name prefix, then other fields, then message text, BM25 within a tier."""

from __future__ import annotations

import pytest

from tests.helpers import person, touch
from tracker.search import Tier, parse
from tracker.search_words import Term, snippet
from tracker.service import Tracker


def found(tracker: Tracker, text: str, **options: object) -> list[tuple[str, str, int | None]]:
    """(contact, field, touch id) of each hit, in order."""
    results = tracker.search(text, **options)  # type: ignore[arg-type]
    return [(hit.contact, hit.field, hit.touch_id) for hit in results.hits]


def names(tracker: Tracker, text: str, **options: object) -> list[str]:
    return [name for name, _, _ in found(tracker, text, **options)]


@pytest.fixture
def people(tracker: Tracker) -> Tracker:
    person(tracker, "Ann Lee", emails=["ann.lee415@example.com"], company="Globex")
    person(tracker, "Adam Fox", phone="+1 415 555 0100", company="Acme", tags=("conf",))
    person(tracker, "Ivan Stark", company="Acme", title="CTO", notes="Asked for a 50% discount")
    person(tracker, "Stanley Ivanov", company="Initech")
    person(tracker, "José Muñoz", linkedin_url="linkedin.com/in/jose-munoz")
    return tracker


def test_every_word_must_match_each_in_any_field(people: Tracker) -> None:
    assert names(people, "ivan acme") == ["Ivan Stark"]  # name + company
    assert names(people, "ivan cto") == ["Ivan Stark"]  # name + title
    assert names(people, "acme conf") == ["Adam Fox"]  # company + tag
    assert names(people, "ivan globex") == []  # Ivan is not at Globex
    assert names(people, "acme") == ["Adam Fox", "Ivan Stark"]


def test_two_words_find_the_person(people: Tracker) -> None:
    results = people.search("ivan stark")
    assert [(h.contact, h.tier) for h in results.hits] == [("Ivan Stark", Tier.EXACT)]


def test_an_email_found_by_its_words_not_a_phone_holding_its_digits(people: Tracker) -> None:
    assert found(people, "ann.lee415") == [("Ann Lee", "email", None)]
    # Three or more digits alone are not a phone number: no phone holding 415 matches.
    assert names(people, "415") == []
    assert names(people, "lee415") == ["Ann Lee"]


def test_digits_find_a_phone_when_they_look_like_one(people: Tracker) -> None:
    for typed in ("+1 415 555 0100", "(415) 555-0100", "415.555.0100", "555-0100", "5550100"):
        assert found(people, typed) == [("Adam Fox", "phone", None)], typed
    whole = people.search("(415) 555-0100").hits[0]
    assert whole.tier is Tier.EXACT and whole.snippet.text == "+1 415-555-0100"
    assert people.search("555-0100").hits[0].tier is Tier.FIELD  # only its end
    assert names(people, "555-01") == []  # six digits: not a phone number


def test_a_number_written_with_a_trunk_prefix_finds_its_international_form(
    tracker: Tracker,
) -> None:
    person(tracker, "Olivia Brown", phone="+44 7911 123456")
    assert names(tracker, "07911 123456") == ["Olivia Brown"]


def test_percent_and_underscore_are_plain_characters(people: Tracker) -> None:
    assert names(people, "%") == []  # not everyone
    assert names(people, "_") == []
    assert not people.search("%").query.searchable
    assert names(people, "a_n") == []  # not "a, any character, n"
    assert names(people, "50%") == ["Ivan Stark"]  # the note says "50%"
    assert names(people, "ivan %") == ["Ivan Stark"]
    assert names(people, "ann %") == []  # Ann's fields hold no "%"


def test_accents_and_case_are_ignored(people: Tracker) -> None:
    assert names(people, "jose munoz") == ["José Muñoz"]
    assert people.search("JOSE MUNOZ").hits[0].tier is Tier.EXACT
    assert names(people, "MUÑ") == ["José Muñoz"]


def test_exact_identifiers_rank_first(people: Tracker) -> None:
    hit = people.search("ann.lee415@example.com").hits[0]
    assert (hit.contact, hit.field, hit.tier) == ("Ann Lee", "email", Tier.EXACT)
    hit = people.search("https://www.linkedin.com/in/jose-munoz/").hits[0]
    assert (hit.contact, hit.field, hit.tier) == ("José Muñoz", "linkedin_url", Tier.EXACT)


def test_ranked_exact_name_then_name_prefix_then_fields_then_messages(tracker: Tracker) -> None:
    other = person(tracker, "Zed Other")
    person(tracker, "Notes Holder", notes="Introduced by Dana Stone last spring")
    person(tracker, "Dana Stoneman")
    person(tracker, "Stone Dana")
    person(tracker, "Dana Stone")
    touch(tracker, other, "sms", "2026-02-01T10:00", text="Say hi to Dana Stone for me")
    results = tracker.search("dana stone")
    assert [(h.contact, h.tier) for h in results.hits] == [
        ("Dana Stone", Tier.EXACT),
        ("Dana Stoneman", Tier.NAME_START),
        ("Stone Dana", Tier.NAME),
        ("Notes Holder", Tier.FIELD),
        ("Zed Other", Tier.MESSAGE),
    ]
    assert results.hits[3].field == "notes"
    assert results.hits[4].field == "text" and results.hits[4].touch_id is not None


def test_messages_rank_by_relevance_within_their_tier(tracker: Tracker) -> None:
    dana, lee = person(tracker, "Dana Fictional"), person(tracker, "Lee Example")
    long = "We spoke about the budget, the timeline, the team and, briefly, the pilot."
    first = touch(tracker, dana, "email", "2026-03-01T10:00", text=long)
    second = touch(tracker, lee, "sms", "2026-02-01T10:00", text="Pilot: is the pilot on?")
    assert [touch_id for _, _, touch_id in found(tracker, "pilot")] == [second, first]


def test_a_word_in_a_message_finds_the_touch_with_its_snippet(tracker: Tracker) -> None:
    dana = person(tracker, "Dana Fictional", company="Northwind")
    text = (
        "Thanks for the call today. As promised, here is the outline of the pilot we"
        " discussed, with the two sites and the dates; let me know what the team thinks."
    )
    touch_id = touch(tracker, dana, "email", "2026-03-01T10:00", text=text)
    (hit,) = tracker.search("pilot").hits
    assert (hit.contact, hit.touch_id, hit.field, hit.tier) == (
        "Dana Fictional",
        touch_id,
        "text",
        Tier.MESSAGE,
    )
    assert hit.channel is not None and hit.channel.value == "email" and hit.at is not None
    start, end = hit.snippet.marks[0]
    assert hit.snippet.text[start:end] == "pilot"
    assert hit.snippet.text.startswith("…") and len(hit.snippet.text) < len(text)


def test_words_split_between_the_contacts_fields_and_a_message(tracker: Tracker) -> None:
    dana, lee = person(tracker, "Dana Fictional"), person(tracker, "Lee Example")
    proposal = touch(tracker, dana, "email", "2026-03-01T10:00", text="Re: pilot proposal")
    touch(tracker, lee, "email", "2026-03-01T10:00", text="Re: pilot proposal")
    results = tracker.search("dana pilot")
    assert [(h.contact, h.touch_id, h.tier) for h in results.hits] == [
        ("Dana Fictional", proposal, Tier.MESSAGE_AND_FIELDS)
    ]


def test_notes_tags_and_titles_are_searched(tracker: Tracker) -> None:
    person(tracker, "Dana Fictional", notes="Loves sailing", tags=("expo-2026",), title="CFO")
    assert found(tracker, "sailing") == [("Dana Fictional", "notes", None)]
    assert found(tracker, "expo") == [("Dana Fictional", "tags", None)]
    assert found(tracker, "cfo") == [("Dana Fictional", "title", None)]


def test_every_phone_and_email_of_a_contact_is_searched(tracker: Tracker) -> None:
    person(
        tracker,
        "Dana Fictional",
        phones=["mobile:+13125550142", "work:+13125550199"],
        emails=["dana@home.example", "work:dana@northwind.example"],
    )
    assert names(tracker, "312 555 0199") == ["Dana Fictional"]
    assert found(tracker, "northwind") == [("Dana Fictional", "email", None)]


def test_one_result_per_contact_when_asked(tracker: Tracker) -> None:
    dana = person(tracker, "Dana Fictional", notes="pilot customer")
    touch(tracker, dana, "sms", "2026-03-01T10:00", text="About the pilot")
    touch(tracker, dana, "sms", "2026-03-02T10:00", text="The pilot starts Monday")
    assert len(tracker.search("pilot").hits) == 3
    assert found(tracker, "pilot", per_contact=True) == [("Dana Fictional", "notes", None)]


def test_limit_and_more(tracker: Tracker) -> None:
    for n in range(5):
        person(tracker, f"Person {n}", company="Acme")
    results = tracker.search("acme", 3)
    assert len(results.hits) == 3 and results.more
    assert not tracker.search("acme", 5).more


def test_tag_and_segment_keep_to_their_contacts(tracker: Tracker) -> None:
    person(tracker, "Dana One", company="Acme", tags=("vip",), segment="champion")
    person(tracker, "Dana Two", company="Acme")
    assert names(tracker, "acme", tag="vip") == ["Dana One"]
    assert names(tracker, "acme", segment="champion") == ["Dana One"]


def test_a_query_is_read_word_by_word() -> None:
    query = parse("  ann.lee415   Acme ", "US")
    assert [t.text for t in query.terms] == ["ann.lee415", "Acme"]
    assert query.terms[0].tokens == ("ann", "lee415") and not query.terms[0].phone
    assert parse("(415) 555-0100", "US").phone == "+14155550100"
    assert parse("555-0100 acme", "US").terms[0].phone == "5550100"
    assert parse("% _", "US").literals == ("%", "_")


def test_a_snippet_is_cut_around_the_match_at_word_boundaries() -> None:
    text = " ".join(f"word{n}" for n in range(40)) + " pilot " + "tail " * 30
    shown = snippet(text, [Term("pil", ("pil",))], width=40)
    assert shown.text.startswith("…") and shown.text.endswith("…")
    (mark,) = shown.marks
    assert shown.text[mark[0] : mark[1]] == "pilot"
    assert len(shown.text) <= 42
    short = snippet("Hi\nthere,  Dana", [Term("dana", ("dana",))])
    assert short.text == "Hi there, Dana" and short.marks == ((10, 14),)


def test_one_character_finds_the_names_that_start_with_it(people: Tracker) -> None:
    ivan = people.search("i").hits
    assert [(h.contact, h.tier) for h in ivan] == [("Ivan Stark", Tier.NAME_START)]
    assert names(people, "S") == ["Stanley Ivanov"]  # not Ivan Stark's last name
    dana = person(people, "Dana Fictional")
    touch(people, dana, "sms", "2026-03-01T10:00", text="I think a call works")
    assert names(people, "a") == ["Adam Fox", "Ann Lee"]  # no message holding "a"


def test_full_text_syntax_and_nul_are_plain_text(people: Tracker) -> None:
    assert names(people, "ivan\x00stark") == ["Ivan Stark"]
    for typed in ('"', "NEAR(", "ivan OR", "stark*", "^ivan", "{name}:", "(", "-ivan"):
        people.search(typed)  # never an SQL error
    assert names(people, "ivan OR adam") == []  # OR is a word here, and nobody has it
