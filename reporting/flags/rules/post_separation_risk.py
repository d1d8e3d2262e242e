from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reporting.flags.base import Flag, Rule, Severity, by_agency_and_date, register
from reporting.flags.dates import add_months, say_date
from reporting.flags.snapshot import PARTNER_KINDS, CaseSnapshot, EntryRecord
from reporting.flags.text import join_words

ENDED_KINDS = {"separated": "recorded as separated", "divorced": "recorded as divorced"}


@dataclass(frozen=True, slots=True)
class Separation:
    day: dt.date
    adults: frozenset[int]
    how: str


def separations(snapshot: CaseSnapshot, at: dt.date) -> list[Separation]:
    """Separations up to the date, from the genogram: a separated or divorced relationship (from its start),
    a partner relationship that ended, or a partner leaving the household the couple shared."""
    found: list[Separation] = []
    for r in snapshot.relationships:
        pair = frozenset({r.from_person, r.to_person})
        if r.kind in ENDED_KINDS and r.start_date is not None and r.start_date <= at:
            found.append(Separation(r.start_date, pair, ENDED_KINDS[r.kind]))
        elif r.kind in PARTNER_KINDS and r.end_date is not None and r.end_date <= at:
            found.append(Separation(r.end_date, pair, "their relationship recorded as ended"))
    for m in snapshot.memberships:
        if m.to_date is None or m.to_date > at:
            continue
        last_day = m.to_date - dt.timedelta(days=1)
        stayed = snapshot.members_on(m.household_id, last_day)
        for partner in snapshot.partners_of(m.person_id, last_day) & stayed:
            if partner != m.person_id:
                found.append(
                    Separation(
                        m.to_date,
                        frozenset({m.person_id, partner}),
                        f"{snapshot.name(m.person_id)} left {m.household_label}",
                    )
                )
    return sorted(found, key=lambda s: (s.day, sorted(s.adults)))


def with_person(entry: EntryRecord, person_id: int) -> bool:
    return person_id in entry.present or person_id in entry.seen or person_id in entry.seen_alone


@register
class PostSeparationRisk(Rule):
    """Contact is an entry recording the adult and a child both seen or present, where the adult does not
    live in the child's household on that day (the parent the child lives with is not 'having contact')."""

    id = "post_separation_risk"
    title = "Contact with a child after separation following domestic abuse"
    severity = Severity.HIGH
    rationale = (
        "Separation is when domestic abuse most often escalates, and child contact is where it continues; "
        "reviews find children harmed during contact arranged without anyone weighing the abuse."
    )
    defaults = {"window_months": 6}
    param_help = {
        "window_months": "A separation within this many months after a domestic abuse incident involving "
        "one of the couple is flagged if that adult then has contact with a child."
    }

    def evaluate(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        months = self.int_param("window_months")
        incidents = snapshot.entries_of(at, ["domestic_abuse_incident"])
        if not incidents:
            return []
        flagged: set[frozenset[int]] = set()
        flags = []
        for separation in separations(snapshot, at):
            if separation.adults in flagged:
                continue  # one flag for a couple: their first separation that qualifies
            adults: dict[int, tuple[list[EntryRecord], list[EntryRecord], set[int]]] = {}
            for adult_id in sorted(separation.adults):
                person = snapshot.person(adult_id)
                if person is None or person.is_child_on(separation.day):
                    continue
                abuse = [
                    e
                    for e in incidents
                    if (adult_id in e.subjects or with_person(e, adult_id))
                    and e.occurred_on <= separation.day <= add_months(e.occurred_on, months)
                ]
                if not abuse:
                    continue
                contact: list[EntryRecord] = []
                children: set[int] = set()
                for entry in snapshot.entries_about(adult_id, at):
                    if entry.occurred_on <= separation.day or not with_person(entry, adult_id):
                        continue
                    day = entry.occurred_on
                    met = {
                        p
                        for p in entry.present | entry.seen | entry.seen_alone
                        if p != adult_id
                        and (child := snapshot.person(p)) is not None
                        and child.is_child_on(day)
                        and child.alive_on(day)
                    }
                    if met:
                        # contact: a child the adult does not live with on the day
                        home = snapshot.households_of(adult_id, day)
                        met = {p for p in met if not (home & snapshot.households_of(p, day))}
                    if met:
                        contact.append(entry)
                        children |= met
                if contact:
                    adults[adult_id] = (abuse, contact, children)
            if not adults:
                continue
            flagged.add(separation.adults)
            couple = join_words([snapshot.name(p) for p in sorted(separation.adults)])
            parts = []
            evidence: list[EntryRecord] = []
            people: set[int] = set(separation.adults)
            for adult_id, (abuse, contact, children) in adults.items():
                name = snapshot.name(adult_id)
                met_words = join_words([snapshot.name(c) for c in sorted(children)])
                parts.append(
                    f"domestic abuse involving {name} was recorded ({by_agency_and_date(abuse)}) and since the "
                    f"separation {name} has been recorded with {met_words} "
                    f"({by_agency_and_date(contact)})"
                )
                evidence += abuse + contact
                people |= children
            explanation = (
                f"{couple} separated on {say_date(separation.day)} ({separation.how}); in the {months} months "
                f"before, {'; and '.join(parts)}."
            )
            flags.append(
                self.flag(
                    key="couple:" + ":".join(str(p) for p in sorted(separation.adults)),
                    people=people,
                    evidence=evidence,
                    explanation=explanation,
                )
            )
        return flags
