"""Reads that depend on who is asking. Every case query starts from cases_visible_to."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from audit.services import access_refused_record
from chronology.models import Case, CaseAgency, Person


def cases_visible_to(user) -> QuerySet[Case]:
    """The one access rule: users of an involved agency, and administrators, see a case."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    if user.is_admin:
        return Case.objects.all()
    if user.agency_id is None:
        return Case.objects.none()
    involved = CaseAgency.objects.filter(case=OuterRef("pk"), agency_id=user.agency_id)
    return Case.objects.filter(Exists(involved))


def case_for_user(user, case_id) -> Case:
    """The case if the user may see it; otherwise 404, the same answer as for a case that does not exist."""
    try:
        pk = int(case_id)
    except (TypeError, ValueError):
        access_refused_record(actor=user, what="case")
        raise Http404("No such case.") from None
    case = cases_visible_to(user).select_related("lead_agency", "lead_professional").filter(pk=pk).first()
    if case is None:
        # Refused and missing cases look the same to everyone, the security log included.
        access_refused_record(actor=user, what="case")
        raise Http404("No such case.")
    return case


def case_people(case: Case) -> QuerySet[Person]:
    """People of a case the caller already holds through case_for_user."""
    return Person.objects.filter(case=case).order_by("-is_subject", "date_of_birth", "id")


def case_person(case: Case, person_id) -> Person:
    try:
        pk = int(person_id)
    except (TypeError, ValueError):
        raise Http404("No such person.") from None
    person = Person.objects.filter(case=case, pk=pk).first()
    if person is None:
        raise Http404("No such person.")
    return person


def case_agencies(case: Case) -> QuerySet[CaseAgency]:
    return CaseAgency.objects.filter(case=case).select_related("agency", "involved_by").order_by("id")
