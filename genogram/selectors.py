"""Reads of the family structure. The case always comes from cases.selectors.case_for_user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Func, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404

from cases.models import Case, Person
from genogram.graph import EcomapLinkData, Family, HouseholdData, MembershipData, PersonData, RelationshipData
from genogram.models import EcomapLink, Household, HouseholdMember, Relationship


def case_relationships(case: Case, *, include_entered_in_error: bool = False) -> QuerySet[Relationship]:
    """The case's relationships; those marked entered in error only when asked (lists leave them out)."""
    rows = Relationship.objects.filter(case=case)
    if not include_entered_in_error:
        rows = rows.filter(entered_in_error_at__isnull=True)
    return rows.select_related("from_person", "to_person").order_by("id")


def case_relationship(case: Case, relationship_id: object) -> Relationship:
    """One relationship of the case, marked or not (marking it twice is refused by the service)."""
    found: Relationship | None = (
        case_relationships(case, include_entered_in_error=True).filter(pk=_pk(relationship_id)).first()
    )
    if found is None:
        raise Http404("No such relationship.")
    return found


def case_households(case: Case) -> QuerySet[Household]:
    return Household.objects.filter(case=case).order_by("id")


def case_households_with_members(case: Case) -> QuerySet[Household]:
    """The households with their members (not those entered in error) prefetched, for the API list."""
    members = HouseholdMember.objects.live().select_related("person").order_by("from_date", "id")
    return case_households(case).prefetch_related(Prefetch("members", queryset=members))


def case_household_with_members(case: Case, household_id: object) -> Household:
    found: Household | None = case_households_with_members(case).filter(pk=_pk(household_id)).first()
    if found is None:
        raise Http404("No such household.")
    return found


def case_household(case: Case, household_id: object) -> Household:
    found: Household | None = case_households(case).filter(pk=_pk(household_id)).first()
    if found is None:
        raise Http404("No such household.")
    return found


def household_memberships(household: Household, *, include_entered_in_error: bool = False) -> QuerySet[HouseholdMember]:
    rows = HouseholdMember.objects.filter(household=household)
    if not include_entered_in_error:
        rows = rows.filter(entered_in_error_at__isnull=True)
    return rows.select_related("person").order_by("from_date", "id")


def case_memberships(case: Case, *, include_entered_in_error: bool = False) -> QuerySet[HouseholdMember]:
    rows = HouseholdMember.objects.filter(household__case=case)
    if not include_entered_in_error:
        rows = rows.filter(entered_in_error_at__isnull=True)
    return rows.select_related("person", "household").order_by("household_id", "from_date", "id")


def case_membership(case: Case, member_id: object) -> HouseholdMember:
    found: HouseholdMember | None = (
        case_memberships(case, include_entered_in_error=True).filter(pk=_pk(member_id)).first()
    )
    if found is None:
        raise Http404("No such household member.")
    return found


def case_ecomap_links(case: Case, *, include_entered_in_error: bool = False) -> QuerySet[EcomapLink]:
    rows = EcomapLink.objects.filter(case=case)
    if not include_entered_in_error:
        rows = rows.filter(entered_in_error_at__isnull=True)
    return rows.select_related("person", "household", "agency").order_by("id")


def case_ecomap_link(case: Case, link_id: object) -> EcomapLink:
    found: EcomapLink | None = case_ecomap_links(case, include_entered_in_error=True).filter(pk=_pk(link_id)).first()
    if found is None:
        raise Http404("No such ecomap link.")
    return found


def _pk(value: object) -> int:
    try:
        return int(value)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError):
        raise Http404("Not found.") from None


def family_snapshot(case: Case) -> Family:
    """The case's family as plain data, in five queries, for genogram.graph and the renderers.
    Records marked entered in error are left out (a marked person's own records are marked with them)."""
    people = tuple(
        PersonData(
            id=p.id,
            given_name=p.given_name,
            family_name=p.family_name,
            known_as=p.known_as,
            sex=p.sex,
            date_of_birth=p.date_of_birth,
            date_of_birth_precision=p.date_of_birth_precision,
            date_of_death=p.date_of_death,
            expected_date_of_delivery=p.expected_date_of_delivery,
            is_subject=p.is_subject,
        )
        for p in Person.objects.live().filter(case=case).order_by("id")
    )
    relationships = tuple(
        RelationshipData(id=r[0], from_id=r[1], to_id=r[2], kind=r[3], start_date=r[4], end_date=r[5])
        for r in Relationship.objects.live()
        .filter(case=case)
        .order_by("id")
        .values_list("id", "from_person_id", "to_person_id", "kind", "start_date", "end_date")
    )
    households = tuple(
        HouseholdData(id=h[0], label=h[1], address=h[2])
        for h in Household.objects.filter(case=case).order_by("id").values_list("id", "label", "address")
    )
    memberships = tuple(
        MembershipData(person_id=m[0], household_id=m[1], from_date=m[2], to_date=m[3])
        for m in HouseholdMember.objects.live()
        .filter(household__case=case)
        .order_by("id")
        .values_list("person_id", "household_id", "from_date", "to_date")
    )
    links = tuple(
        EcomapLinkData(
            id=e[0],
            resource_name=e[1],
            strength=e[2],
            direction=e[3],
            resource_kind=e[4],
            person_id=e[5],
            household_id=e[6],
            start_date=e[7],
            end_date=e[8],
        )
        for e in EcomapLink.objects.live()
        .filter(case=case)
        .order_by("id")
        .values_list(
            "id",
            "resource_name",
            "strength",
            "direction",
            "resource_kind",
            "person_id",
            "household_id",
            "start_date",
            "end_date",
        )
    )
    return Family(
        people=people, relationships=relationships, households=households, memberships=memberships, ecomap_links=links
    )


# --- Entered in error: the count where records were left out, and the history of corrections ------


def _count_of(rows: QuerySet[Any]) -> Subquery:
    return Subquery(rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1])


def entered_in_error_counts(case: Case) -> dict[str, int]:
    """How many of the case's people, relationships, household memberships and ecomap links are
    marked entered in error (and `total`), in one query."""
    row = (
        Case.objects.filter(pk=case.pk)
        .values("pk")
        .annotate(
            people=_count_of(Person.objects.entered_in_error().filter(case=OuterRef("pk"))),
            relationships=_count_of(Relationship.objects.entered_in_error().filter(case=OuterRef("pk"))),
            memberships=_count_of(HouseholdMember.objects.entered_in_error().filter(household__case=OuterRef("pk"))),
            ecomap_links=_count_of(EcomapLink.objects.entered_in_error().filter(case=OuterRef("pk"))),
        )
        .first()
    )
    counts = {
        name: int((row or {}).get(name) or 0) for name in ("people", "relationships", "memberships", "ecomap_links")
    }
    counts["total"] = sum(counts.values())
    return counts


@dataclass(frozen=True)
class EnteredInErrorRecord:
    """One record marked entered in error, for the history page: what it was and who marked it, when and why."""

    kind: str
    what: str
    pk: int
    at: dt.datetime
    by: str
    reason: str


def _by(user: Any) -> str:
    if user is None:
        return "Unknown"
    name = user.full_name or user.username
    agency = getattr(user.agency, "name", "") if user.agency_id else ""
    return f"{name} ({agency})" if agency else str(name)


def _dates(start: dt.date | None, end: dt.date | None) -> str:
    if start is None and end is None:
        return ""
    first = f"{start:%-d %B %Y}" if start else "an unknown date"
    return f", from {first}" + (f" to {end:%-d %B %Y}" if end else "")


def entered_in_error_records(case: Case) -> list[EnteredInErrorRecord]:
    """Every record of the case marked entered in error, the latest marked first, in four queries.
    Nothing in it is restricted: these are the family records anyone who sees the case sees."""
    by = ("entered_in_error_by", "entered_in_error_by__agency")
    rows: list[EnteredInErrorRecord] = []
    for p in Person.objects.entered_in_error().filter(case=case).select_related(*by):
        born = f", born {p.date_of_birth:%-d %B %Y}" if p.date_of_birth else ""
        rows.append(_record("Person", f"{p.full_name}{born}", p))
    for r in Relationship.objects.entered_in_error().filter(case=case).select_related("from_person", "to_person", *by):
        what = f"{r.from_person.full_name}: {r.get_kind_display()} of {r.to_person.full_name}"
        rows.append(_record("Relationship", what + _dates(r.start_date, r.end_date), r))
    for m in (
        HouseholdMember.objects.entered_in_error()
        .filter(household__case=case)
        .select_related("person", "household", *by)
    ):
        what = f"{m.person.full_name} living in {m.household.label}" + _dates(m.from_date, m.to_date)
        rows.append(_record("Household membership", what, m))
    for e in EcomapLink.objects.entered_in_error().filter(case=case).select_related("person", "household", *by):
        who = e.person.full_name if e.person_id else e.household.label
        what = f"{who} and {e.resource_name} ({e.get_strength_display().lower()})" + _dates(e.start_date, e.end_date)
        rows.append(_record("Ecomap link", what, e))
    rows.sort(key=lambda row: (row.at, row.kind, row.pk), reverse=True)
    return rows


def _record(kind: str, what: str, record: Any) -> EnteredInErrorRecord:
    return EnteredInErrorRecord(
        kind=kind,
        what=what,
        pk=record.pk,
        at=record.entered_in_error_at,
        by=_by(record.entered_in_error_by),
        reason=record.entered_in_error_reason,
    )
