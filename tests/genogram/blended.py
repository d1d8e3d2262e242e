"""A synthetic blended family of about 200 people over four generations, built in memory.

Couples separate and re-partner, children of one union are recorded out of birth order (ids do
not follow births), some children have one recorded parent, grandparents have died, households
hold the current couples and their children, and emotional, carer and sibling relationships run
across the family. Every name is invented; the same seed always gives the same family.
"""

from __future__ import annotations

import datetime as dt
import random

from genogram import graph as fg

AT = dt.date(2026, 6, 1)
GIVEN = {
    "male": ["Arlo", "Bram", "Cody", "Drew", "Ezra", "Finn", "Glen", "Hugo", "Ivor", "Jude", "Kit", "Lyle", "Milo"],
    "female": ["Ada", "Bea", "Cleo", "Dora", "Edie", "Faye", "Gwen", "Hope", "Iris", "Jess", "Kay", "Lena", "Mae"],
}
FAMILY = ["Ashdown", "Brightwell", "Coldharbour", "Dunsley", "Elmstead", "Fairlop", "Gorsey", "Hartwell", "Ivybridge"]


def blended_family(size: int = 200, seed: int = 13) -> fg.Family:
    rng = random.Random(seed)
    people: list[fg.PersonData] = []
    rels: list[fg.RelationshipData] = []
    households: list[fg.HouseholdData] = []
    memberships: list[fg.MembershipData] = []
    ids = iter(range(1, 100_000))

    def person(sex: str, born: dt.date, family_name: str, died: dt.date | None = None) -> fg.PersonData:
        p = fg.PersonData(
            id=next(ids),
            given_name=rng.choice(GIVEN[sex]),
            family_name=family_name,
            sex=sex,
            date_of_birth=born,
            date_of_death=died,
        )
        people.append(p)
        return p

    def rel(kind: str, a: fg.PersonData, b: fg.PersonData, start: dt.date | None = None, end: dt.date | None = None):
        rels.append(
            fg.RelationshipData(id=next(ids), from_id=a.id, to_id=b.id, kind=kind, start_date=start, end_date=end)
        )

    def home(label: str, *who: fg.PersonData, since: dt.date) -> None:
        household = fg.HouseholdData(id=next(ids), label=label)
        households.append(household)
        for p in who:
            memberships.append(fg.MembershipData(person_id=p.id, household_id=household.id, from_date=since))

    def children_of(parents: list[fg.PersonData], start: dt.date, count: int, family_name: str) -> list[fg.PersonData]:
        births = sorted(start + dt.timedelta(days=400 + rng.randint(0, 4000)) for _ in range(count))
        rng.shuffle(births)  # recorded out of birth order
        kids = []
        for born in births:
            if len(people) >= size:
                break
            kid = person(rng.choice(["male", "female"]), born, family_name)
            for parent in parents:
                rel("biological_parent", parent, kid)
            kids.append(kid)
        return kids

    generation = []
    for i in range(4):
        name = FAMILY[i]
        man = person("male", dt.date(1940 + i, 3, 1 + i), name, died=dt.date(2019, 5, 1) if i % 2 == 0 else None)
        woman = person("female", dt.date(1942 + i, 7, 2 + i), name)
        start = dt.date(1962 + i, 6, 1)
        rel("married", man, woman, start)
        home(f"{name} home", woman, *([] if man.date_of_death else [man]), since=start)
        generation += children_of([man, woman], start, rng.randint(3, 4), name)

    level = 1
    while len(people) < size and generation:
        next_generation = []
        for child in generation:
            if len(people) >= size:
                break
            if child.date_of_birth and child.date_of_birth.year > 2004:
                continue
            born = child.date_of_birth or dt.date(1990, 1, 1)
            other = "female" if child.sex == "male" else "male"
            first = person(other, born + dt.timedelta(days=rng.randint(-900, 900)), FAMILY[rng.randint(4, 8)])
            start = dt.date(born.year + 20, 5, 1)
            split = dt.date(born.year + 27, 9, 1)
            rel("married", child, first, start, split)
            rel("divorced", child, first, split)
            kids = children_of([child, first], start, rng.randint(1, 3), child.family_name)
            next_generation += kids
            if len(people) < size and rng.random() < 0.7:
                second = person(other, born + dt.timedelta(days=rng.randint(-900, 900)), FAMILY[rng.randint(4, 8)])
                start2 = dt.date(born.year + 29, 2, 1)
                rel("cohabiting", child, second, start2)
                later = children_of([child, second], start2, rng.randint(1, 2), second.family_name)
                next_generation += later
                home(f"{child.given_name}'s home", child, second, *later, since=start2)
                if kids and rng.random() < 0.5:
                    rel("step_parent", second, kids[0], start2)
            elif len(people) < size and rng.random() < 0.5:
                # a child recorded with one parent only
                solo = person(rng.choice(["male", "female"]), split + dt.timedelta(days=700), child.family_name)
                rel("biological_parent", child, solo)
                next_generation.append(solo)
        generation = next_generation
        level += 1

    # emotional relationships across the family, between people a practitioner would link
    by_id = {p.id: p for p in people}
    parent_links = [(r.from_id, r.to_id) for r in rels if r.kind == "biological_parent"]
    kinds = ["close", "distant", "conflict", "abuse", "cutoff"]
    for k, (parent, kid) in enumerate(rng.sample(parent_links, min(24, len(parent_links)))):
        rel(kinds[k % len(kinds)], by_id[kid], by_id[parent])
    siblings: dict[int, list[int]] = {}
    for parent, kid in parent_links:
        siblings.setdefault(parent, []).append(kid)
    pairs = [(kids[0], kids[-1]) for kids in siblings.values() if len(kids) > 2]
    for k, (a, b) in enumerate(pairs[:10]):
        rel("close" if k % 2 else "conflict", by_id[a], by_id[b])
    return fg.Family(
        people=tuple(people),
        relationships=tuple(rels),
        households=tuple(households),
        memberships=tuple(memberships),
    )
