from __future__ import annotations

import datetime as dt

from reporting.flags.base import Flag, Rule, Severity, register
from reporting.flags.dates import add_months, say_date
from reporting.flags.snapshot import CaseSnapshot, EntryRecord, PersonRecord
from reporting.flags.text import counted, join_words


def likely_adult(person: PersonRecord, at: dt.date) -> bool:
    """Adult on the date; an adult recorded without a date of birth (not a subject) counts as one."""
    if person.date_of_birth is None:
        return not person.is_subject
    return person.is_adult_on(at)


Role = tuple[str, str]  # ("lives with", "Tia Marlow")


def say_roles(roles: list[Role]) -> str:
    """'lives with Ollie Marlow and Tia Marlow; partner of Leanne Marlow'."""
    names: dict[str, list[str]] = {}
    for verb, name in roles:
        if name not in names.setdefault(verb, []):
            names[verb].append(name)
    return "; ".join(f"{verb} {join_words(sorted(who))}" for verb, who in names.items())


def adults_around(snapshot: CaseSnapshot, child: PersonRecord, at: dt.date) -> dict[int, list[Role]]:
    """Adults who live with a subject child, parent it, or partner its carer, with why each counts."""
    roles: dict[int, list[Role]] = {}
    child_households = snapshot.households_of(child.id, at)
    housemates: set[int] = set()
    for household_id in child_households:
        housemates |= snapshot.members_on(household_id, at)
    for person_id in housemates - {child.id}:
        roles.setdefault(person_id, []).append(("lives with", child.name))
    parents = snapshot.parents_of(child.id, at)
    for person_id in parents:
        roles.setdefault(person_id, []).append(("parent or carer of", child.name))
    carers = {p for p in parents if p in housemates} if child_households else parents
    for carer_id in carers:
        for partner_id in snapshot.partners_of(carer_id, at):
            if partner_id != child.id:
                roles.setdefault(partner_id, []).append(("partner of", snapshot.name(carer_id)))
    adults: dict[int, list[Role]] = {}
    for person_id, why in roles.items():
        person = snapshot.person(person_id)
        if person is not None and person.alive_on(at) and likely_adult(person, at):
            adults[person_id] = why
    return adults


@register
class UnseenAdult(Rule):
    id = "unseen_adult"
    title = "Adult around the child not seen by a professional"
    severity = Severity.HIGH
    rationale = (
        "Reviews keep finding 'unseen men': adults living with or caring for the child whom no professional ever met."
    )
    defaults = {"window_months": 6}
    param_help = {"window_months": "An adult not recorded as seen in this many months is flagged."}

    def evaluate(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        since = add_months(at, -self.int_param("window_months"))
        roles: dict[int, list[Role]] = {}
        children: dict[int, set[int]] = {}
        for child in snapshot.subject_children(at):
            for adult_id, why in adults_around(snapshot, child, at).items():
                roles.setdefault(adult_id, []).extend(why)
                children.setdefault(adult_id, set()).add(child.id)
        if not roles:
            return []
        last_seen: dict[int, EntryRecord] = {}
        named: dict[int, list[EntryRecord]] = {}
        for adult_id in roles:
            sightings = snapshot.entries_seeing(adult_id, at)
            if sightings:
                last_seen[adult_id] = sightings[-1]
            for entry in snapshot.entries_about(adult_id, at, since):
                if adult_id not in entry.seen and adult_id not in entry.seen_alone:
                    named.setdefault(adult_id, []).append(entry)
        flags = []
        for adult_id, why in roles.items():
            seen = last_seen.get(adult_id)
            if seen is not None and seen.occurred_on >= since:
                continue
            name = snapshot.name(adult_id)
            explanation = f"No professional has recorded seeing {name} ({say_roles(why)}) since {say_date(since)}"
            if seen is None:
                explanation += "; no entry records them as ever seen"
            else:
                explanation += f"; last seen by {seen.agency.name} on {say_date(seen.occurred_on)}"
            mentions = named.get(adult_id, [])
            if mentions:
                verb = "names" if len(mentions) == 1 else "name"
                explanation += f", though {counted(len(mentions), 'entry', 'entries')} since then {verb} them"
            evidence = ([seen] if seen is not None else []) + mentions
            flags.append(
                self.flag(
                    key=f"person:{adult_id}",
                    people=[adult_id, *children[adult_id]],
                    evidence=evidence,
                    explanation=explanation + ".",
                )
            )
        return flags
