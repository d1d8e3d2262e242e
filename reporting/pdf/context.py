"""Everything a pack shows, gathered once, as plain values for the template.

The context is built from the case the pack belongs to, for the pack's period and filters. For an
anonymised (review) pack, every string goes through the Redactor here, so the template cannot
print a name by mistake.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from accounts.models import User
from chronology.models import ChronologyEntry, Person
from chronology.selectors import case_agencies, case_people
from reporting.models_packs import SIGNIFICANCE_ORDER, Pack, PackKind
from reporting.pdf.anonymise import Link, PersonNames, Redactor, role_labels

MEETING_TITLES = {
    PackKind.STRATEGY: "Strategy discussion",
    PackKind.CORE_GROUP: "Core group meeting",
    PackKind.CONFERENCE: "Child protection conference",
    PackKind.REVIEW: "Practice review",
}
DECISION_ROWS = 8
SIGNIFICANCE_WORDS = {
    "low": "of any significance",
    "medium": "of medium or high significance",
    "high": "of high significance",
}


def _age(person: Person, on: dt.date) -> str:
    if person.date_of_birth is None:
        return "Unborn" if person.is_unborn else "Not known"
    if on < person.date_of_birth:
        return "Not yet born"
    months = person.age_in_months_on(on) or 0
    if months < 24:
        return f"{months} month{'s' if months != 1 else ''}"
    return f"{person.age_on(on)} years"


def _dob(person: Person) -> str:
    if person.date_of_birth:
        text = f"{person.date_of_birth.day} {person.date_of_birth:%b %Y}"
        if person.date_of_birth_precision != "day":
            text += f" ({person.get_date_of_birth_precision_display().lower()})"
        return text
    if person.expected_date_of_delivery:
        return f"Due {person.expected_date_of_delivery.day} {person.expected_date_of_delivery:%b %Y}"
    return "Not known"


def _names(person: Person) -> PersonNames:
    return PersonNames(
        id=person.pk,
        given_name=person.given_name,
        family_name=person.family_name,
        known_as=person.known_as,
        sex=person.sex,
        date_of_birth=person.date_of_birth,
        is_subject=person.is_subject,
    )


def _family(case, on: dt.date) -> tuple[list[Link], dict[int, dict[str, str]], list[str], dict[int, list[str]]]:
    """Relationships, each person's household on the date, every address of the case, and each
    person's relationship to the subject children in words. Empty until the genogram is recorded."""
    try:
        from genogram.models import HouseholdMember, Relationship
    except ImportError:  # pragma: no cover - the genogram app always ships its models
        return [], {}, [], {}
    links = [
        Link(from_id=r.from_person_id, to_id=r.to_person_id, kind=r.kind)
        for r in Relationship.objects.filter(case=case).order_by("start_date", "id")
        if r.start_date is None or r.start_date <= on
    ]
    households: dict[int, dict[str, str]] = {}
    addresses: list[str] = []
    members = HouseholdMember.objects.filter(household__case=case).select_related("household").order_by("from_date")
    for member in members:
        if member.household.address:
            addresses.append(member.household.address)
        if member.from_date <= on and (member.to_date is None or member.to_date >= on):
            households[member.person_id] = {"label": member.household.label, "address": member.household.address}
    try:
        from genogram.models import Household

        addresses += [h.address for h in Household.objects.filter(case=case) if h.address]
    except ImportError:  # pragma: no cover
        pass
    return links, households, sorted(set(addresses)), {}


def _relationship_words(person: Person, people: dict[int, Person], links: list[Link]) -> str:
    """How a person relates to the subject children, from the recorded relationships."""
    if person.is_subject:
        return "Subject child"
    subjects = {pid for pid, p in people.items() if p.is_subject}
    parts: list[str] = []
    for link in links:
        if link.from_id == person.pk and link.to_id in subjects:
            kind = link.kind.replace("_", " ")
            parts.append(f"{kind.capitalize()} of {people[link.to_id].given_name or people[link.to_id].full_name}")
    if parts:
        return "; ".join(parts)
    partners = {
        link.to_id if link.from_id == person.pk else link.from_id
        for link in links
        if person.pk in (link.from_id, link.to_id) and link.kind in ("married", "cohabiting", "partner")
    }
    parents_of_subjects = {link.from_id for link in links if link.to_id in subjects and link.kind.endswith("parent")}
    for other in partners & parents_of_subjects:
        return f"Partner of {people[other].full_name}"
    return "Not recorded"


def _practitioner_names(case, pack: Pack, entries: list[ChronologyEntry]) -> list[str]:
    users = {pack.generated_by}
    if case.lead_professional:
        users.add(case.lead_professional)
    users.update(entry.recorded_by for entry in entries)
    agency_ids = [inv.agency_id for inv in case_agencies(case)]
    users.update(User.objects.filter(agency_id__in=agency_ids))
    names: list[str] = []
    for user in users:
        names += [n for n in (user.full_name, user.get_full_name(), user.username) if n]
    return names


def _entries(pack: Pack) -> list[ChronologyEntry]:
    allowed = [level for level, rank in SIGNIFICANCE_ORDER.items() if rank >= SIGNIFICANCE_ORDER[pack.min_significance]]
    queryset = (
        ChronologyEntry.objects.filter(
            case=pack.case,
            occurred_on__gte=pack.date_from,
            occurred_on__lte=pack.date_to,
            significance__in=allowed,
            retracted=False,
        )
        .select_related("agency", "recorded_by")
        .prefetch_related("subjects", "seen", "seen_alone")
        .order_by("occurred_on", "occurred_time", "sequence", "id")
    )
    agency_ids = list(pack.agencies.values_list("pk", flat=True))
    if agency_ids:
        queryset = queryset.filter(agency_id__in=agency_ids)
    return list(queryset)


def build_pack_context(pack: Pack, *, progress: Callable[[int], None] = lambda value: None) -> dict[str, Any]:
    case = pack.case
    at = pack.date_to
    anonymised = pack.is_anonymised
    people = list(case_people(case))
    people_by_id = {p.pk: p for p in people}
    involvements = list(case_agencies(case))
    links, households, addresses, _ = _family(case, at)
    entries = _entries(pack)
    progress(20)

    labels = role_labels([_names(p) for p in people], links, on=at) if anonymised else {}
    if anonymised:
        redact = Redactor.for_case(
            people=[_names(p) for p in people],
            labels=labels,
            practitioner_names=_practitioner_names(case, pack, entries),
            addresses=addresses,
        )
    else:
        redact = Redactor()
    r = redact.text

    def who(person: Person) -> str:
        return labels[person.pk] if anonymised else person.full_name

    person_rows = []
    for person in people:
        household = households.get(person.pk)
        person_rows.append(
            {
                "name": who(person),
                "known_as": "" if anonymised else person.known_as,
                "is_subject": person.is_subject,
                "sex": person.get_sex_display(),
                "relationship": r(_relationship_words(person, people_by_id, links)),
                "dob": "" if anonymised else _dob(person),
                "age": _age(person, at),
                "died": bool(person.date_of_death and person.date_of_death <= at),
                "ethnicity": person.ethnicity or "Not recorded",
                "language": person.first_language + (" (interpreter needed)" if person.interpreter_needed else ""),
                "household": r(household["label"]) if household else "Not recorded",
                "address": "" if anonymised or not household else household["address"],
                "legal_status": (
                    case.get_legal_status_display()
                    + (f" ({case.get_protection_category_display()})" if case.protection_category else "")
                    if person.is_subject
                    else ""
                ),
            }
        )

    lead_name = case.lead_professional.display_name if case.lead_professional else ""
    agency_rows = [
        {
            "name": inv.agency.name,
            "kind": inv.agency.get_kind_display(),
            "is_lead": inv.agency_id == case.lead_agency_id,
            "lead_professional": ("[practitioner]" if anonymised else lead_name)
            if inv.agency_id == case.lead_agency_id
            else "",
            "involved_on": inv.involved_on,
        }
        for inv in involvements
    ]

    entry_rows = []
    for entry in entries:
        if entry.restricted:
            entry_rows.append(
                {
                    "date": entry.occurred_display,
                    "agency": entry.agency.name,
                    "restricted": True,
                    "significance": entry.get_significance_display(),
                    "significance_code": entry.significance,
                }
            )
            continue
        entry_rows.append(
            {
                "date": entry.occurred_display + (f" {entry.occurred_time:%H:%M}" if entry.occurred_time else ""),
                "agency": entry.agency.name,
                "restricted": False,
                "kind": entry.get_kind_display(),
                "summary": r(entry.summary),
                "detail": r(entry.detail),
                "child_voice": r(entry.child_voice),
                "injury": r(
                    ", ".join(x for x in (entry.injury_type, entry.injury_body_site) if x)
                    + (f". Explanation: {entry.injury_explanation}" if entry.injury_explanation else "")
                    + (
                        " (consistent)"
                        if entry.injury_explanation_consistent
                        else " (not consistent)"
                        if entry.injury_explanation_consistent is False
                        else ""
                    )
                )
                if entry.has_injury
                else "",
                "action": r(entry.action),
                "outcome": r(entry.outcome),
                "subjects": [who(p) for p in entry.subjects.all()],
                "seen": [who(p) for p in entry.seen.all()],
                "seen_alone": [who(p) for p in entry.seen_alone.all()],
                "significance": entry.get_significance_display(),
                "significance_code": entry.significance,
                "amended": entry.amended,
                "recorded_by": "" if anonymised else entry.recorded_by.display_name,
            }
        )
    progress(35)

    generated_at = timezone.localtime(timezone.now())
    generator = pack.generated_by
    if anonymised:
        agency_name = generator.agency.name if generator.agency else "administrator"
        generated_by = f"{generator.get_role_display()}, {agency_name}"
        running_title = f"Practice review pack R-{pack.pk}"
        case_title = "Anonymised case"
        reference = f"R-{pack.pk}"
    else:
        generated_by = generator.display_name
        running_title = f"{case.reference} {MEETING_TITLES[pack.kind]}"
        case_title = case.title
        reference = case.reference

    selected_agencies = [a.name for a in pack.agencies.all()]
    return {
        "pack": pack,
        "anonymised": anonymised,
        "meeting_title": MEETING_TITLES[pack.kind],
        "reference": reference,
        "case_title": case_title,
        "legal_status": case.get_legal_status_display()
        + (f" ({case.get_protection_category_display()})" if case.protection_category else ""),
        "lead_agency": case.lead_agency.name,
        "lead_professional": "[practitioner]" if anonymised else (lead_name or "Not recorded"),
        "generated_by": generated_by,
        "generated_at": generated_at,
        "running_title": running_title,
        "period_from": pack.date_from,
        "period_to": pack.date_to,
        "min_significance": SIGNIFICANCE_WORDS[pack.min_significance],
        "agency_filter": selected_agencies,
        "people": person_rows,
        "agencies": agency_rows,
        "entries": entry_rows,
        "flags": [],
        "genogram_svg": "",
        "ecomap_svg": "",
        "decisions_table": pack.kind in (PackKind.CORE_GROUP, PackKind.CONFERENCE),
        "decision_rows": range(DECISION_ROWS),
        "provenance": {
            "rule_versions": {},
            "flag_ids": [],
            "entry_count": len(entries),
            "role_labels": {str(pid): label for pid, label in labels.items()},
        },
    }
