"""A realistic demo database: forty people and the history a working rep would have with them.

Everything is placed relative to a given "now", so the queue always holds items of all nine
review kinds, whatever the day. It writes through the ``Tracker`` operations (no SQL here),
is fully deterministic (no randomness), and is meant for its own file
(``tracker.paths.demo_db_path()``) so it never mixes with real data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from tracker.models import Channel, Direction, InviteStatus, Kind, Moment
from tracker.service import Tracker
from tracker.timeutil import local_date

# One event in a person's history: (days ago, local "HH:MM", operation, text, extra).
Event = tuple[Any, ...]


@dataclass(frozen=True)
class Person:
    name: str
    company: str
    title: str
    segment: str
    relationship: str
    phone: str = ""
    email: str = ""
    linkedin: str = ""
    tags: tuple[str, ...] = ()
    cadence: int | None = None
    added: int = 60
    history: tuple[Event, ...] = ()


_CHANNELS = {
    "sms": Channel.SMS,
    "email": Channel.EMAIL,
    "msg": Channel.LINKEDIN_MESSAGE,
    "call": Channel.CALL,
    "meet": Channel.MEETING,
}

# fmt: off
PEOPLE: tuple[Person, ...] = (
    # Thank a new connection.
    Person("Priya Raman", "Lumen Health", "Director of Operations", "decision_maker", "met_briefly",
           "312 555 0142", "priya.raman@lumenhealth.example", "linkedin.com/in/priya-raman-demo",
           ("healthcare", "chicago"), history=(
               (6, "09:15", "invite", "Hi Priya, I enjoyed your HIMSS talk on patient intake and "
                "the point about forms nobody finishes. I work on intake tooling for clinics and "
                "would be glad to connect.", "after_event"),
               (2, "18:40", "accepted"))),
    Person("Marcus Bell", "Forge Robotics", "Head of Partnerships", "influencer", "stranger",
           email="marcus@forgerobotics.example", tags=("robotics",), history=(
               (9, "11:00", "invite", "", "cold"), (5, "07:55", "accepted"))),
    Person("Elena Sokolova", "Quarry Labs", "Product Marketing Manager", "champion",
           "introduced", linkedin="linkedin.com/in/elena-sokolova-demo", tags=("saas",), history=(
               (4, "14:20", "invite", "Hi Elena, Dev Shah suggested we talk about launch "
                "messaging for data tools. I'd love to connect and compare notes.",
                "mutual_connection"),
               (1, "08:10", "accepted"))),
    # Text after a call.
    Person("Tomás Herrera", "Bluebird Freight", "VP Logistics", "decision_maker", "introduced",
           "(773) 555-0118", "tomas.herrera@bluebird.example", tags=("logistics", "q1-pipeline"),
           history=(
               (10, "10:30", ">email", "Intro from Jess: route planning pilot"),
               (8, "16:05", "<email", "Happy to talk. Does Friday work?"),
               (1, "15:00", ">call", "Walked through pilot scope; wants pricing by Friday"))),
    Person("Grace Okafor", "Meridian Dental Group", "Practice Manager", "influencer",
           "met_briefly", "(312) 555-0167", "grace@meridiandental.example",
           tags=("healthcare",), history=(
               (20, "12:00", "opt_in"),
               (6, "13:10", "<sms", "Can you call me Tuesday after lunch?"),
               (6, "13:30", ">sms", "Absolutely. Tuesday at 1:30 works. Talk then!"),
               (2, "13:35", "<call", "She called back: interested in the three-location plan"))),
    # Follow-ups due.
    Person("Sam Whitaker", "Copperline Insurance", "CFO", "decision_maker", "met_briefly",
           "(646) 555-0102", "sam.whitaker@copperline.example", tags=("insurance", "q1-pipeline"),
           history=(
               (12, "15:00", "meet", "Demo with the finance team; asked for an ROI worksheet"),
               (12, "16:00", "follow_up", "send the ROI worksheet he asked for", -3))),
    Person("Aisha Karim", "Northwind Schools", "IT Director", "decision_maker", "introduced",
           email="aisha.karim@northwind.example", tags=("education",), history=(
               (9, "09:00", ">email", "Following up on the device rollout question"),
               (8, "10:20", "<email", "Let's reconnect once the budget is approved."),
               (8, "10:30", "follow_up", "ask whether the budget was approved", 0))),
    Person("Daniel Cho", "Tidewater Capital", "Associate", "influencer", "stranger",
           linkedin="linkedin.com/in/daniel-cho-demo", tags=("finance",), history=(
               (10, "17:45", "<msg", "Interesting. Do you have a case study from a fund our size?"),
               (10, "18:00", "follow_up", "send the case study", -1))),
    # No reply.
    Person("Hannah Lindqvist", "Arcadia Software", "Head of RevOps", "decision_maker",
           "met_briefly", "(415) 555-0199", "hannah@arcadia.example",
           "linkedin.com/in/hannah-lindqvist-demo", ("saas", "q1-pipeline"), history=(
               (40, "10:00", "invite", "Hi Hannah, great chatting at the RevOps meetup about "
                "forecast hygiene. Would be glad to stay in touch.", "after_event"),
               (38, "09:00", "accepted"),
               (35, "11:00", ">msg", "Thanks for connecting, Hannah! Here's the forecast "
                "checklist I mentioned."),
               (34, "08:30", "<msg", "This is great, thank you. Let's talk in the new quarter."),
               (5, "14:00", ">email", "Proposal for a Q1 pilot"))),
    Person("Victor Nguyen", "Pellucid AI", "CTO", "decision_maker", "stranger",
           linkedin="linkedin.com/in/victor-nguyen-demo", tags=("ai",), history=(
               (4, "10:10", ">msg", "Would you be open to a 15-minute chat about eval tooling?"),)),
    Person("Rosa Delgado", "Summit Realty Partners", "Managing Broker", "decision_maker",
           "met_briefly", email="rosa@summitrealty.example", tags=("real-estate",), history=(
               (8, "09:40", ">email", "The listing-alert workflow we discussed"),)),
    # Unanswered texts.
    Person("Jake Moreno", "Ridgeline Outfitters", "Owner", "decision_maker", "met_briefly",
           "(720) 555-0134", tags=("retail", "denver"), history=(
               (30, "12:00", "opt_in"),
               (20, "17:00", "<sms", "Sure, text me the catalog pricing when it's ready."),
               (1, "10:00", ">sms", "Hi Jake, it's the catalog pricing you asked about: 12% "
                "off through March. Want me to hold a slot for your spring order?"))),
    Person("Mei Tanaka", "Oakridge Clinic", "Office Manager", "influencer", "introduced",
           "(312) 555-0121", "mei.tanaka@oakridge.example", tags=("healthcare", "chicago"),
           history=(
               (10, "11:00", ">call", "Intro call; she runs scheduling for four doctors"),
               (10, "11:40", ">sms", "Thanks for the time today, Mei! Sending the scheduling "
                "guide now."),
               (9, "08:15", "<sms", "Got it, thanks!"),
               (2, "09:30", ">sms", "Hi Mei, did the guide help? Happy to walk your team "
                "through it this week."))),
    # Step back.
    Person("Chris Palmer", "Vantage Fitness", "Regional Director", "decision_maker", "stranger",
           "(602) 555-0155", tags=("fitness",), history=(
               (15, "12:00", "<sms", "Send me something in writing."),
               (9, "10:00", ">sms", "Hi Chris, here's the one-pager on member retention."),
               (5, "10:00", ">sms", "Hi Chris, any thoughts on the one-pager?"),
               (2, "16:00", ">sms", "Chris, would a quick call be easier this week?"))),
    Person("Laura Benson", "Keystone Builders", "Project Executive", "influencer",
           "met_briefly", "(617) 555-0173", "laura.benson@keystone.example",
           tags=("construction",), history=(
               (6, "09:00", ">sms", "Hi Laura, it's about the site-photo app from the expo."),
               (3, "09:05", ">sms", "Laura, should I send the pricing by email instead?"))),
    # Stale invitations.
    Person("Oliver Grant", "Helix Biotech", "VP R&D", "decision_maker", "stranger",
           email="oliver.grant@helix.example", linkedin="linkedin.com/in/oliver-grant-demo",
           tags=("biotech",), history=(
               (15, "10:00", "invite", "Hi Oliver, your post on lab scheduling struck a chord. "
                "I help research teams book shared equipment and would like to connect.",
                "profile_view"),)),
    Person("Fatima Zahra", "Crescent Media", "Marketing Manager", "influencer", "stranger",
           linkedin="linkedin.com/in/fatima-zahra-demo", tags=("media",), history=(
               (18, "13:00", "invite", "", "cold"),)),
    Person("Ben Schultz", "Granite Payments", "Sales Director", "mirror", "stranger",
           "(214) 555-0148", linkedin="linkedin.com/in/ben-schultz-demo", tags=("fintech",),
           history=(
               (23, "09:30", "invite", "Hi Ben, fellow sales lead in payments here. Enjoyed "
                "your thread on pipeline reviews; would be glad to connect.", "profile_view"),)),
    Person("Nora Quinn", "Lattice Security", "CISO", "decision_maker", "stranger",
           email="nora.quinn@lattice.example", linkedin="linkedin.com/in/nora-quinn-demo",
           tags=("security",), history=((29, "15:30", "invite", "", "cold"),)),
    # Ready to re-invite.
    Person("Ethan Brooks", "Pinecrest Hospitality", "General Manager", "decision_maker",
           "stranger", linkedin="linkedin.com/in/ethan-brooks-demo", tags=("hospitality",),
           history=(
               (60, "10:00", "invite", "Hi Ethan, I work with hotel teams on guest messaging "
                "and would like to connect.", "cold"),
               (30, "09:00", "withdrawn"))),
    Person("Sofia Marchetti", "Alta Design Studio", "Creative Director", "champion",
           "met_briefly", linkedin="linkedin.com/in/sofia-marchetti-demo", tags=("design",),
           history=(
               (50, "16:00", "invite", "Hi Sofia, we met at the Chicago design week mixer. "
                "Would love to stay in touch.", "after_event"),
               (22, "11:00", "withdrawn"))),
    # Keep in touch.
    Person("Kevin O'Brien", "Stackhouse", "Engineering Manager", "mirror", "former_colleague",
           "(312) 555-0110", "kevin@stackhouse.example", tags=("alumni", "chicago"), cadence=30,
           history=((41, "12:30", "meet", "Lunch; he is hiring two SDRs"),)),
    Person("Lucía Fernández", "Freelance", "Brand Strategist", "other", "friend",
           "(312) 555-0183", tags=("friends",), cadence=60, history=(
               (75, "08:30", "meet", "Coffee at Dollop; she may refer two clients"),)),
    Person("Raj Patel", "Northstar Advisors", "Partner", "decision_maker", "former_colleague",
           email="raj@northstar.example", linkedin="linkedin.com/in/raj-patel-demo",
           tags=("mentor",), cadence=14, history=(
               (20, "19:00", "<msg", "Proud of you. Ping me when the pilot closes."),)),
    # Nothing due today: a healthy pipeline.
    Person("Zoe Mitchell", "Brightline Transit", "Operations Lead", "influencer", "stranger",
           linkedin="linkedin.com/in/zoe-mitchell-demo", tags=("transport",), history=(
               (5, "10:00", "invite", "", "cold"),)),
    Person("Isaac Adler", "Adler & Sons", "Owner", "decision_maker", "introduced",
           email="isaac@adlersons.example", tags=("retail",), history=(
               (3, "10:00", ">email", "Quote for the spring refresh"),
               (1, "15:20", "<email", "Looks good. Send the contract over."))),
    Person("Hiro Sato", "Kumo Cloud", "Solutions Engineer", "mirror", "met_briefly",
           linkedin="linkedin.com/in/hiro-sato-demo", tags=("saas",), history=(
               (24, "10:00", "invite", "Hi Hiro, good to meet you at the cloud summit.",
                "after_event"),
               (20, "09:00", "accepted"),
               (19, "09:30", ">msg", "Thanks for connecting, Hiro! Here's the benchmark."),
               (18, "12:00", "<msg", "Thanks, very useful."))),
    Person("Amara Osei", "Greenfield Energy", "Procurement Manager", "influencer",
           "met_briefly", email="amara.osei@greenfield.example", tags=("energy",), history=(
               (6, "14:00", "meet", "Site visit; procurement decides in December"),
               (6, "15:00", "follow_up", "check on the December procurement decision", 7))),
    Person("Jonah Weiss", "Brookside Realty", "Agent", "other", "stranger", "(847) 555-0126",
           tags=("real-estate",), history=(
               (12, "10:00", ">sms", "Hi Jonah, quick question about your listings tool."),
               (11, "10:00", "<sms", "STOP"))),
    Person("Camila Reyes", "Solstice Travel", "Founder", "decision_maker", "met_briefly",
           "(305) 555-0137", "camila@solstice.example", tags=("travel",), history=(
               (30, "12:00", "opt_in"),
               (3, "11:00", ">call", "No answer", "no_answer"),
               (1, "16:00", "<call", "She called back; wants a proposal"),
               (1, "16:30", ">sms", "Great talking, Camila! Proposal coming Thursday."),
               (0, "08:05", "<sms", "Perfect, thank you!"))),
    Person("Peter Novak", "Danube Logistics", "COO", "decision_maker", "introduced",
           email="peter.novak@danube.example", tags=("logistics",), history=(
               (3, "13:00", "meet", "Lunch; interested in the routing pilot"),
               (2, "09:00", ">email", "Routing pilot summary and next steps"))),
    Person("Yara Haddad", "Cedar Health", "Chief Nursing Officer", "decision_maker",
           "stranger", linkedin="linkedin.com/in/yara-haddad-demo", tags=("healthcare",),
           history=((10, "11:00", "invite", "Hi Yara, I read your piece on nurse scheduling and "
                     "would be glad to connect.", "profile_view"),)),
    Person("Liam Foster", "Riverbend Bank", "VP Lending", "decision_maker", "stranger",
           linkedin="linkedin.com/in/liam-foster-demo", tags=("finance",), history=(
               (30, "10:00", "invite", "", "cold"), (5, "10:00", "ignored"))),
    Person("Chloe Dubois", "Maison Verte", "Founder", "decision_maker", "friend",
           "(312) 555-0192", tags=("friends", "chicago"), cadence=30, history=(
               (7, "19:00", "meet", "Dinner; she's opening a second shop in spring"),)),
    Person("Marco Rossi", "Vela Yachts", "Sales Director", "mirror", "stranger",
           linkedin="linkedin.com/in/marco-rossi-demo", tags=("marine",), history=(
               (16, "10:00", "invite", "", "cold"),
               (1, "09:00", "snooze", "stale_invite", 3))),
    Person("Ingrid Larsen", "Fjord Analytics", "Data Lead", "influencer", "met_briefly",
           "(206) 555-0145", tags=("saas",), history=(
               (30, "12:00", "opt_in"),
               (2, "10:00", ">sms", "Hi Ingrid, are you going to the Seattle data meetup?"),
               (1, "17:00", "<sms", "Yes! See you there."))),
    Person("Derek Wong", "Orchid Hotels", "Director of Sales", "decision_maker", "stranger",
           linkedin="linkedin.com/in/derek-wong-demo", tags=("hospitality",), history=(
               (2, "15:00", ">msg", "Hi Derek, curious how your team handles group bookings?"),)),
    Person("Ava Thompson", "Bloom Florals", "Owner", "decision_maker", "met_briefly",
           "(312) 555-0164", tags=("retail", "chicago"), added=0),
    Person("Samuel Adeyemi", "Harbor Freight Lines", "Fleet Manager", "influencer",
           "introduced", "(504) 555-0131", tags=("logistics",), history=(
               (30, "12:00", "opt_in"),
               (5, "10:00", ">call", "Discussed the fleet telematics trial"),
               (5, "10:30", ">sms", "Thanks Samuel! Trial details: 30 days, 10 trucks. "
                "Start Monday?"),
               (4, "09:00", "<sms", "Monday works."))),
    Person("Tessa Morgan", "Willow Law", "Office Administrator", "influencer", "met_briefly",
           email="tessa@willowlaw.example", tags=("legal",), history=(
               (4, "09:00", "<email", "Could you send the onboarding checklist?"),
               (1, "11:00", ">email", "Onboarding checklist attached"))),
)
# fmt: on

CLOSED_DAYS = 4
"""Reviews closed on the days before "now", so the demo starts with a streak."""


class _Builder:
    def __init__(self, tracker: Tracker, now: datetime) -> None:
        self.tracker = tracker
        self.now = now
        self.today: date = local_date(now, tracker.tz)

    def at(self, days_ago: int, hhmm: str) -> datetime:
        hour, minute = (int(part) for part in hhmm.split(":"))
        day = self.today - timedelta(days=days_ago)
        moment = datetime.combine(day, time(hour, minute), tzinfo=self.tracker.tz)
        return min(moment, self.now - timedelta(minutes=1))

    def person(self, person: Person) -> None:
        tracker = self.tracker
        raw = {
            "name": person.name,
            "company": person.company,
            "title": person.title,
            "segment": person.segment,
            "relationship": person.relationship,
            "phone": person.phone,
            "email": person.email,
            "linkedin_url": person.linkedin,
            "keep_in_touch_days": str(person.cadence) if person.cadence else "",
        }
        first_event = max((event[0] for event in person.history), default=0)
        added = max(person.added, first_event + 1) if person.history else person.added
        contact = tracker.add_contact(raw, person.tags, at=self.at(added, "09:00"))
        for days_ago, hhmm, operation, *rest in person.history:
            self.event(contact, self.at(days_ago, hhmm), operation, rest)

    def event(self, contact: Any, at: datetime, operation: str, rest: list[Any]) -> None:
        tracker = self.tracker
        text = rest[0] if rest else ""
        if operation == "invite":
            moment = Moment(rest[1]) if len(rest) > 1 else None
            tracker.log(contact, Channel.LINKEDIN_INVITE, Direction.OUT, at, text, moment)
        elif operation in ("accepted", "ignored", "withdrawn"):
            tracker.set_invitation(contact, InviteStatus(operation), at)
        elif operation == "opt_in":
            tracker.opt_in(contact, at)
        elif operation == "follow_up":
            due = self.today + timedelta(days=rest[1])
            tracker.follow_up(contact, due, text, at)
        elif operation == "snooze":
            tracker.snooze(contact, Kind(text), self.today + timedelta(days=rest[1]))
        elif operation == "meet":
            tracker.log(contact, Channel.MEETING, Direction.OUT, at, text)
        else:
            direction = Direction.OUT if operation[0] == ">" else Direction.IN
            channel = _CHANNELS[operation[1:]]
            status = rest[1] if len(rest) > 1 else None
            tracker.log(contact, channel, direction, at, text, status=status)


def build_demo(tracker: Tracker, now: datetime) -> int:
    """Fill an empty database with the demo people as of ``now``; returns how many."""
    if not tracker.is_empty():
        raise ValueError("the demo needs an empty database")
    builder = _Builder(tracker, now)
    for person in PEOPLE:
        builder.person(person)
    for days_ago in range(CLOSED_DAYS, 0, -1):
        tracker.close_review(builder.today - timedelta(days=days_ago), 9, 0)
    return len(PEOPLE)
