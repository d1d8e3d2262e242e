"""Reads of the family structure. The case always comes from cases.selectors.case_for_user."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from cases.models import Case, Person
from genogram.graph import EcomapLinkData, Family, HouseholdData, MembershipData, PersonData, RelationshipData
from genogram.models import EcomapLink, Household, HouseholdMember, Relationship


def case_relationships(case: Case) -> QuerySet[Relationship]:
    return Relationship.objects.filter(case=case).select_related("from_person", "to_person").order_by("id")


def case_relationship(case: Case, relationship_id: object) -> Relationship:
    found: Relationship | None = case_relationships(case).filter(pk=_pk(relationship_id)).first()
    if found is None:
        raise Http404("No such relationship.")
    return found


def case_households(case: Case) -> QuerySet[Household]:
    return Household.objects.filter(case=case).order_by("id")


def case_household(case: Case, household_id: object) -> Household:
    found: Household | None = case_households(case).filter(pk=_pk(household_id)).first()
    if found is None:
        raise Http404("No such household.")
    return found


def household_memberships(household: Household) -> QuerySet[HouseholdMember]:
    return HouseholdMember.objects.filter(household=household).select_related("person").order_by("from_date", "id")


def case_memberships(case: Case) -> QuerySet[HouseholdMember]:
    return (
        HouseholdMember.objects.filter(household__case=case)
        .select_related("person", "household")
        .order_by("household_id", "from_date", "id")
    )


def case_membership(case: Case, member_id: object) -> HouseholdMember:
    found: HouseholdMember | None = case_memberships(case).filter(pk=_pk(member_id)).first()
    if found is None:
        raise Http404("No such household member.")
    return found


def case_ecomap_links(case: Case) -> QuerySet[EcomapLink]:
    return EcomapLink.objects.filter(case=case).select_related("person", "household", "agency").order_by("id")


def case_ecomap_link(case: Case, link_id: object) -> EcomapLink:
    found: EcomapLink | None = case_ecomap_links(case).filter(pk=_pk(link_id)).first()
    if found is None:
        raise Http404("No such ecomap link.")
    return found


def _pk(value: object) -> int:
    try:
        return int(value)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError):
        raise Http404("Not found.") from None


def family_snapshot(case: Case) -> Family:
    """The case's family as plain data, in five queries, for genogram.graph and the renderers."""
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
        for p in Person.objects.filter(case=case).order_by("id")
    )
    relationships = tuple(
        RelationshipData(id=r[0], from_id=r[1], to_id=r[2], kind=r[3], start_date=r[4], end_date=r[5])
        for r in Relationship.objects.filter(case=case)
        .order_by("id")
        .values_list("id", "from_person_id", "to_person_id", "kind", "start_date", "end_date")
    )
    households = tuple(
        HouseholdData(id=h[0], label=h[1], address=h[2])
        for h in Household.objects.filter(case=case).order_by("id").values_list("id", "label", "address")
    )
    memberships = tuple(
        MembershipData(person_id=m[0], household_id=m[1], from_date=m[2], to_date=m[3])
        for m in HouseholdMember.objects.filter(household__case=case)
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
        for e in EcomapLink.objects.filter(case=case)
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
