"""Build a CaseSnapshot from the database with a fixed number of queries, whatever the case size.

The caller has already resolved the case through the access selector (case_for_user or
cases_visible_to): this module reads only rows belonging to that case.

Queries: entries (with their agency), the people links of those entries (one UNION over the
four link tables), people, relationships, household memberships. Five in all.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
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


def _people_links(case: Case, at: dt.date) -> dict[int, dict[str, set[int]]]:
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
    links: dict[int, dict[str, set[int]]] = defaultdict(lambda: {role: set() for role in LINK_ROLES})
    for entry_id, person_id, role in first.union(*rest, all=True):
        links[entry_id][role].add(person_id)
    return links


def _injury(row: dict[str, Any]) -> InjuryRecord | None:
    described = row["injury_body_site"] or row["injury_type"] or row["injury_explanation"]
    if not described and row["injury_explanation_consistent"] is None:
        return None
    return InjuryRecord(
        body_site=row["injury_body_site"],
        injury_type=row["injury_type"],
        explanation=row["injury_explanation"],
        explanation_consistent=row["injury_explanation_consistent"],
    )


def load_snapshot(case: Case, at: dt.date) -> CaseSnapshot:
    """The case as of `at`: entries occurring on or before it in their current revision."""
    agencies: dict[int, AgencyRecord] = {}
    rows = list(
        ChronologyEntry.objects.filter(case=case, occurred_on__lte=at)
        .order_by("occurred_on", "sequence", "id")
        .values(*ENTRY_COLUMNS)
    )
    links = _people_links(case, at) if rows else {}
    empty: dict[str, set[int]] = {role: set() for role in LINK_ROLES}
    entries = []
    for row in rows:
        agency = agencies.get(row["agency_id"])
        if agency is None:
            agency = agencies[row["agency_id"]] = AgencyRecord(
                row["agency_id"], row["agency__name"], row["agency__kind"]
            )
        linked = links.get(row["id"], empty)
        entries.append(
            EntryRecord(
                id=row["id"],
                occurred_on=row["occurred_on"],
                agency=agency,
                kind=row["kind"],
                summary=row["summary"],
                detail=row["detail"],
                date_precision=row["date_precision"],
                significance=row["significance"],
                subjects=frozenset(linked["subjects"]),
                present=frozenset(linked["present"]),
                seen=frozenset(linked["seen"]),
                seen_alone=frozenset(linked["seen_alone"]),
                source=row["source"],
                injury=_injury(row),
                action=row["action"],
                outcome=row["outcome"],
                revision=row["revision"],
                amended=row["amended"],
                retracted=row["retracted"],
                restricted=row["restricted"],
                recorded_at=row["recorded_at"],
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
