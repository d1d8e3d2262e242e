"""Build a CaseSnapshot from the database with a fixed number of queries, whatever the case size.

The caller has already resolved the case through the access selector (case_for_user or
cases_visible_to): this module reads only rows belonging to that case.

Queries: entries (with their agency), the people links of those entries (one query over the
four link tables: arrays per entry on PostgreSQL, a UNION elsewhere), people, relationships,
household memberships, the case's history (its legal-status rows and closures, one UNION), and
the case's meetings and actions (reporting/flags/meeting_loader.py, one query each). Eight in all.
Rows come as tuples (values_list), never model instances.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import CharField, DateField, Value

from cases.models import Case, CaseClosure, LegalStatusChange, Person
from chronology.models import ChronologyEntry
from genogram.models import HouseholdMember, Relationship
from reporting.flags.meeting_loader import load_actions, load_meetings
from reporting.flags.snapshot import (
    AgencyRecord,
    CaseRecord,
    CaseSnapshot,
    ClosureRecord,
    EntryRecord,
    InjuryRecord,
    MembershipRecord,
    PersonRecord,
    RelationshipRecord,
    StatusRecord,
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
    "adult_check_type",
    "adult_check_result",
    "safer_sleep_advice_given",
    "safer_sleep_co_sleeping",
    "safer_sleep_space",
    "action",
    "outcome",
    "revision",
    "amended",
    "retracted",
    "restricted",
)
LINK_ROLES = ("subjects", "present", "seen", "seen_alone")


def case_history(case: Case) -> tuple[tuple[StatusRecord, ...], tuple[ClosureRecord, ...]]:
    """The legal-status history and the closures of the case, oldest first, in one query."""
    no_date = Value(None, output_field=DateField())
    statuses = LegalStatusChange.objects.filter(case=case).values_list(
        Value("status", output_field=CharField()), "effective_from", "legal_status", "protection_category", no_date
    )
    closures = CaseClosure.objects.filter(case=case).values_list(
        Value("closure", output_field=CharField()),
        "closed_on",
        "outcome",
        Value("", output_field=CharField()),
        "reopened_on",
    )
    status_rows: list[StatusRecord] = []
    closure_rows: list[ClosureRecord] = []
    for tag, day, code, category, reopened_on in statuses.order_by().union(closures.order_by(), all=True).order_by():
        if tag == "status":
            status_rows.append(StatusRecord(legal_status=code, effective_from=day, protection_category=category))
        else:
            closure_rows.append(ClosureRecord(closed_on=day, reopened_on=reopened_on))
    status_rows.sort(key=lambda row: row.effective_from)
    closure_rows.sort(key=lambda row: row.closed_on)
    return tuple(status_rows), tuple(closure_rows)


def case_record(case: Case, *, with_history: bool = True) -> CaseRecord:
    statuses, closures = case_history(case) if with_history else ((), ())
    return CaseRecord(
        id=case.pk,
        reference=case.reference,
        title=case.title,
        status=case.status,
        legal_status=case.legal_status,
        opened_on=case.opened_on,
        closed_on=case.closed_on,
        protection_category=case.protection_category,
        status_history=statuses,
        # A closed case without closure rows (recorded before them) is read from its closed_on.
        closures=closures if closures or case.status != "closed" else None,
    )


Links = tuple[frozenset[int], frozenset[int], frozenset[int], frozenset[int]]
NOBODY: frozenset[int] = frozenset()
NO_LINKS: Links = (NOBODY, NOBODY, NOBODY, NOBODY)


def _through_tables() -> list[str]:
    return [getattr(ChronologyEntry, role).through._meta.db_table for role in LINK_ROLES]


def _people_links(case: Case, at: dt.date) -> dict[int, Links]:
    """The people each entry links as subjects, present, seen and seen alone, in one query.

    On PostgreSQL each entry comes back once with its four roles as arrays (array_agg); elsewhere
    one UNION over the four link tables gives a row per link.
    """
    if connection.vendor == "postgresql":
        return _people_links_arrays(case, at)
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
    found: dict[int, tuple[set[int], set[int], set[int], set[int]]] = {}
    position = {role: index for index, role in enumerate(LINK_ROLES)}
    for entry_id, person_id, role in first.union(*rest, all=True):
        sets = found.get(entry_id)
        if sets is None:
            sets = found[entry_id] = (set(), set(), set(), set())
        sets[position[role]].add(person_id)
    return {entry_id: tuple(frozenset(s) if s else NOBODY for s in sets) for entry_id, sets in found.items()}  # type: ignore[misc]


def _people_links_arrays(case: Case, at: dt.date) -> dict[int, Links]:
    union = " UNION ALL ".join(
        f"SELECT chronologyentry_id AS entry_id, {index} AS role, person_id FROM {connection.ops.quote_name(table)}"  # noqa: S608
        for index, table in enumerate(_through_tables())
    )
    roles = ", ".join(f"array_agg(link.person_id) FILTER (WHERE link.role = {index})" for index in range(4))
    entries = connection.ops.quote_name(ChronologyEntry._meta.db_table)
    sql = (
        f"SELECT link.entry_id, {roles} FROM ({union}) AS link "  # noqa: S608 (table names from the models)
        f"JOIN {entries} AS entry ON entry.id = link.entry_id "
        "WHERE entry.case_id = %s AND entry.occurred_on <= %s GROUP BY link.entry_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [case.pk, at])
        rows = cursor.fetchall()
    return {
        entry_id: (
            frozenset(subjects) if subjects else NOBODY,
            frozenset(present) if present else NOBODY,
            frozenset(seen) if seen else NOBODY,
            frozenset(seen_alone) if seen_alone else NOBODY,
        )
        for entry_id, subjects, present, seen, seen_alone in rows
    }


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
        .order_by("occurred_on", "id")  # the order the rules read them in: no second sort of thousands of entries
        .values_list(*ENTRY_COLUMNS)
    )
    links = _people_links(case, at) if rows else {}
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
        check_type,
        check_result,
        advice_given,
        co_sleeping,
        sleep_space,
        action,
        outcome,
        revision,
        amended,
        retracted,
        restricted,
    ) in rows:
        agency = agencies.get(agency_id)
        if agency is None:
            agency = agencies[agency_id] = AgencyRecord(agency_id, agency_name, agency_kind)
        subjects, present, seen, seen_alone = links.get(entry_id, NO_LINKS)
        entries.append(
            # Positional, in the record's field order: the cheapest way to build 10,000 of them.
            EntryRecord(
                entry_id,
                occurred_on,
                agency,
                kind,
                summary,
                detail,
                date_precision,
                significance,
                subjects,
                present,
                seen,
                seen_alone,
                source,
                _injury(body_site, injury_type, injury_explanation, consistent),
                check_type,
                check_result,
                advice_given,
                co_sleeping,
                sleep_space,
                action,
                outcome,
                revision,
                amended,
                retracted,
                restricted,
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
        for p in Person.objects.live()
        .filter(case=case)
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
        for row in Relationship.objects.live()
        .filter(case=case)
        .order_by("id")
        .values_list("id", "kind", "from_person_id", "to_person_id", "start_date", "end_date")
    )
    memberships = tuple(
        MembershipRecord(*row)
        for row in HouseholdMember.objects.live()
        .filter(household__case=case)
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
        meetings=load_meetings(case),
        actions=load_actions(case),
    )
