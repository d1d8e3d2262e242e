"""A synthetic family for pack benchmarks and pictures: every name, address and event is invented.

populate_family(case, acting_user) records relationships, two households and ecomap links for a
case that already has the demo's people (or makes them); add_entries(case, n, ...) adds n
chronology entries spread across agencies, kinds and significance, with a few restricted ones.
"""

from __future__ import annotations

import datetime as dt
import random

from cases.models import Person
from chronology.models import ChronologyEntry, EntryKind
from genogram import services as genogram

KINDS = [
    ("home_visit", "Home visit: children seen, home conditions poor, little food in the fridge."),
    ("appointment_missed", "Was not brought to the 9-month health review."),
    ("home_visit_no_access", "Announced home visit: no answer, curtains drawn, a dog heard inside."),
    ("school_absence", "Absent from school for three days; mother said she was unwell."),
    ("child_seen", "Seen alone at school. Said she looks after her brothers when mum sleeps."),
    (
        "domestic_abuse_incident",
        "Police called by a neighbour to shouting; mother had a cut lip, declined to support action.",
    ),
    ("parental_substance_misuse", "Recovery service: missed two key-work sessions, positive test for cannabis."),
    ("parental_mental_health", "GP: mother reports low mood and poor sleep; sertraline increased."),
    ("hospital_attendance", "Emergency department: scald to the left hand, explanation a spilled kettle."),
    ("appointment_attended", "Attended the dental appointment with grandmother."),
    ("household_change", "Mother's new partner reported to be staying most nights."),
    ("note", "Telephone call with the school: attendance now at 84 per cent this term."),
]
DETAIL = (
    "Observed the children in the living room. The baby was in a car seat on the sofa and had a "
    "strong smell of urine. The older child answered the door and said that mum was asleep upstairs. "
    "Advice given about safe sleeping and supervision; a follow-up visit is booked for next week."
)


def _person(case, given, family, **fields) -> Person:
    person, _ = Person.objects.get_or_create(case=case, given_name=given, family_name=family, defaults=fields)
    return person


def populate_family(case, acting_user, *, today: dt.date) -> dict[str, Person]:
    """The Marlow family's relationships, households and ecomap (people are made if missing)."""

    def years(n: int, days: int = 0) -> dt.date:
        return today.replace(year=today.year - n) - dt.timedelta(days=days)

    p = {
        "mother": _person(
            case, "Leanne", "Marlow", sex="female", date_of_birth=years(29, 40), ethnicity="White British"
        ),
        "father": _person(case, "Dean", "Marlow", sex="male", date_of_birth=years(33, 100), ethnicity="White British"),
        "tia": _person(case, "Tia", "Marlow", sex="female", date_of_birth=years(9, 75), is_subject=True),
        "ollie": _person(
            case, "Ollie", "Marlow", sex="male", known_as="Olly", date_of_birth=years(4, 200), is_subject=True
        ),
        "baby": _person(
            case, "Rowan", "Marlow", sex="male", date_of_birth=today - dt.timedelta(days=128), is_subject=True
        ),
        "partner": _person(case, "Craig", "Ellery", sex="male", known_as="Craig Ellis", date_of_birth=years(35, 10)),
        "maternal_grandmother": _person(case, "Pauline", "Stott", sex="female", date_of_birth=years(56, 30)),
        "paternal_grandmother": _person(case, "Brenda", "Marlow", sex="female", date_of_birth=years(61, 12)),
        "half_sister": _person(case, "Kacey", "Dunmore", sex="female", date_of_birth=years(12, 20)),
        "half_sister_mother": _person(case, "Shona", "Dunmore", sex="female", date_of_birth=years(34, 150)),
    }
    rel = []
    for child in ("tia", "ollie", "baby"):
        rel.append(("biological_parent", "mother", child, None))
        rel.append(("biological_parent", "father", child, None))
    rel += [
        ("biological_parent", "maternal_grandmother", "mother", None),
        ("biological_parent", "paternal_grandmother", "father", None),
        ("biological_parent", "father", "half_sister", None),
        ("biological_parent", "half_sister_mother", "half_sister", None),
        ("separated", "mother", "father", years(3)),
        ("partner", "mother", "partner", years(0, 200)),
        ("conflict", "father", "partner", years(0, 150)),
    ]
    for kind, a, b, start in rel:
        genogram.relationship_create(
            acting_user=acting_user, case=case, kind=kind, from_person=p[a], to_person=p[b], start_date=start
        )
    home = genogram.household_create(
        acting_user=acting_user, case=case, label="Mother's home", address="14 Larch Close, Northshire NS4 2QT"
    )
    dad = genogram.household_create(
        acting_user=acting_user, case=case, label="Father's flat", address="Flat 3, 88 Mill Lane, Northshire NS1 7AB"
    )
    for key in ("mother", "tia", "ollie"):
        genogram.household_member_add(acting_user=acting_user, household=home, person=p[key], from_date=years(5))
    genogram.household_member_add(
        acting_user=acting_user, household=home, person=p["baby"], from_date=p["baby"].date_of_birth
    )
    genogram.household_member_add(acting_user=acting_user, household=home, person=p["partner"], from_date=years(0, 180))
    genogram.household_member_add(acting_user=acting_user, household=dad, person=p["father"], from_date=years(3))
    for name, kind, strength, direction in [
        ("Riverside Primary School", "school", "strong", "from_resource"),
        ("Larch Road Surgery", "health", "tenuous", "none"),
        ("Northshire Recovery Service", "agency", "stressful", "to_resource"),
        ("Little Acorns Nursery", "school", "strong", "both"),
        ("Grandmother Pauline Stott", "extended_family", "strong", "from_resource"),
    ]:
        genogram.ecomap_link_create(
            acting_user=acting_user,
            case=case,
            household=home,
            resource_name=name,
            resource_kind=kind,
            strength=strength,
            direction=direction,
        )
    return p


def add_entries(case, count: int, *, people: dict[str, Person], agencies, recorder, start: dt.date, end: dt.date):
    """count entries spread evenly over [start, end], bulk-inserted (as an import would be)."""
    rng = random.Random(20260417)
    span = (end - start).days
    subjects = [people["tia"], people["ollie"], people["baby"]]
    rows = []
    for i in range(count):
        kind, summary = KINDS[i % len(KINDS)]
        rows.append(
            ChronologyEntry(
                case=case,
                agency=agencies[i % len(agencies)],
                recorded_by=recorder,
                occurred_on=start + dt.timedelta(days=(span * i) // max(count - 1, 1)),
                kind=kind if kind in EntryKind.values else "note",
                summary=summary.replace("mother", "Leanne").replace("Mother", "Leanne", 1) if i % 5 == 0 else summary,
                detail=DETAIL if i % 3 == 0 else "",
                significance=("low", "medium", "high")[rng.randrange(3)],
                restricted=(i % 97 == 13),
                sequence=i,
            )
        )
    created = ChronologyEntry.objects.bulk_create(rows, batch_size=500)
    through = ChronologyEntry.subjects.through
    through.objects.bulk_create(
        [through(chronologyentry_id=e.pk, person_id=subjects[i % 3].pk) for i, e in enumerate(created)],
        batch_size=1000,
    )
    return created
