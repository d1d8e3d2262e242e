"""Build a CaseSnapshot from the database with a fixed number of queries, whatever the case size.

The caller has already resolved the case through the access selector (case_for_user or
cases_visible_to): this module reads only rows belonging to that case.

Queries: entries (with their agency), the people links of those entries (one UNION over the
four link tables), people, relationships, household memberships. Five in all.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import CharField, Value

from chronology.models import Case, ChronologyEntry, Person
from genogram.models import HouseholdMember, Relationship
from reporting.flags.snapshot import (
    AgencyRecord,
    CaseRecord,
    CaseSnapshot,
    EntryRecord,
    InjuryRecord,
    MembershipRecord,
    PersonRecord,
    RelationshipRecord,
)

ENTRY_COLUMNS = (
    "id",
    "occurred_on",
    "date_precision",
    "agency_id",
    "agency__name",
    "agency__kind",
    "kind",
    "summary",
    "detail",
    "significance",
    "source",
    "injury_body_site",
    "injury_type",
    "injury_explanation",
    "injury_explanation_consistent",
    "action",
    "outcome",
    "revision",
    "amended",
    "retracted",
    "restricted",
    "recorded_at",
)
LINK_ROLES = ("subjects", "present", "seen", "seen_alone")


def case_record(case: Case) -> CaseRecord:
    return CaseRecord(
        id=case.pk,
        reference=case.reference,
        title=case.title,
        status=case.status,
        legal_status=case.legal_status,
        opened_on=case.opened_on,
        closed_on=case.closed_on,
        protection_category=case.protection_category,
    )


def _people_links(case: Case, at: dt.date) -> dict[str, dict[int, set[int]]]:
    """For each role, the people each entry links in it (one UNION query over the four link tables)."""
    queries = []
    for role in LINK_ROLES:
        through: Any = getattr(ChronologyEntry, role).through
        queries.append(
            through.objects.filter(chronologyentry__case=case, chronologyentry__occurred_on__lte=at)
            .annotate(role=Value(role, output_field=CharField()))
            .values_list("chronologyentry_id", "person_id", "role")
            .order_by()
        )
    first, *rest = queries
    links: dict[str, dict[int, set[int]]] = {role: {} for role in LINK_ROLES}
    for entry_id, person_id, role in first.union(*rest, all=True):
        links[role].setdefault(entry_id, set()).add(person_id)
    return links


def _injury(body_site: str, injury_type: str, explanation: str, consistent: bool | None) -> InjuryRecord | None:
    if not (body_site or injury_type or explanation) and consistent is None:
        return None
    return InjuryRecord(
        body_site=body_site, injury_type=injury_type, explanation=explanation, explanation_consistent=consistent
    )


def load_snapshot(case: Case, at: dt.date) -> CaseSnapshot:
    """The case as of `at`: entries occurring on or before it in their current revision."""
    agencies: dict[int, AgencyRecord] = {}
    rows = list(
        ChronologyEntry.objects.filter(case=case, occurred_on__lte=at)
        .order_by("occurred_on", "sequence", "id")
        .values_list(*ENTRY_COLUMNS)
    )
    links = _people_links(case, at) if rows else {role: {} for role in LINK_ROLES}
    subjects, present, seen, seen_alone = (links[role] for role in LINK_ROLES)
    nobody: frozenset[int] = frozenset()
    entries = []
    for (
        entry_id,
        occurred_on,
        date_precision,
        agency_id,
        agency_name,
        agency_kind,
        kind,
        summary,
        detail,
        significance,
        source,
        body_site,
        injury_type,
        injury_explanation,
        consistent,
        action,
        outcome,
        revision,
        amended,
        retracted,
        restricted,
        recorded_at,
    ) in rows:
        agency = agencies.get(agency_id)
        if agency is None:
            agency = agencies[agency_id] = AgencyRecord(agency_id, agency_name, agency_kind)
        entries.append(
            EntryRecord(
                id=entry_id,
                occurred_on=occurred_on,
                agency=agency,
                kind=kind,
                summary=summary,
                detail=detail,
                date_precision=date_precision,
                significance=significance,
                subjects=frozenset(subjects[entry_id]) if entry_id in subjects else nobody,
                present=frozenset(present[entry_id]) if entry_id in present else nobody,
                seen=frozenset(seen[entry_id]) if entry_id in seen else nobody,
                seen_alone=frozenset(seen_alone[entry_id]) if entry_id in seen_alone else nobody,
                source=source,
                injury=_injury(body_site, injury_type, injury_explanation, consistent),
                action=action,
                outcome=outcome,
                revision=revision,
                amended=amended,
                retracted=retracted,
                restricted=restricted,
                recorded_at=recorded_at,
            )
        )
    people = tuple(
        PersonRecord(
            id=p.pk,
            name=p.full_name,
            date_of_birth=p.date_of_birth,
            sex=p.sex,
            ethnicity=p.ethnicity,
            is_subject=p.is_subject,
            independently_mobile=p.independently_mobile,
            date_of_death=p.date_of_death,
            expected_date_of_delivery=p.expected_date_of_delivery,
        )
        for p in Person.objects.filter(case=case)
        .only(
            "id",
            "given_name",
            "family_name",
            "known_as",
            "date_of_birth",
            "sex",
            "ethnicity",
            "is_subject",
            "independently_mobile",
            "date_of_death",
            "expected_date_of_delivery",
        )
        .order_by("id")
    )
    relationships = tuple(
        RelationshipRecord(*row)
        for row in Relationship.objects.filter(case=case)
        .order_by("id")
        .values_list("id", "kind", "from_person_id", "to_person_id", "start_date", "end_date")
    )
    memberships = tuple(
        MembershipRecord(*row)
        for row in HouseholdMember.objects.filter(household__case=case)
        .order_by("id")
        .values_list("id", "household_id", "household__label", "person_id", "from_date", "to_date")
    )
    return CaseSnapshot(
        case=case_record(case),
        at=at,
        people=people,
        entries=tuple(entries),
        relationships=relationships,
        memberships=memberships,
        agencies=tuple(agencies.values()),
    )
