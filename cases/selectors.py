"""Reads that depend on who is asking. Every case query starts from cases_visible_to."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from audit.models import AuditEvent
from audit.selectors import audit_events_of_case, security_log_rows
from audit.services import access_refused_record
from cases import permissions
from cases.models import Case, CaseAgency, Person


def cases_visible_to(user: object) -> QuerySet[Case]:
    """The root of every case query: the cases the policy lets the user see (permissions.py)."""
    visible = permissions.visible_cases_filter(user)
    if visible is None:
        return Case.objects.none()
    return Case.objects.filter(visible)


def case_for_user(user: Any, case_id: object) -> Case:
    """The case if the user may see it; otherwise 404, the same answer as for a case that does not exist."""
    try:
        pk = int(case_id)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        access_refused_record(actor=user, what="case")
        raise Http404("No such case.") from None
    case: Case | None = cases_visible_to(user).select_related("lead_agency", "lead_professional").filter(pk=pk).first()
    if case is None:
        # Refused and missing cases look the same to everyone, the security log included.
        access_refused_record(actor=user, what="case")
        raise Http404("No such case.")
    return case


def case_people(case: Case) -> QuerySet[Person]:
    """People of a case the caller already holds through case_for_user."""
    return Person.objects.filter(case=case).order_by("-is_subject", "date_of_birth", "id")


def case_person(case: Case, person_id: object) -> Person:
    try:
        pk = int(person_id)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise Http404("No such person.") from None
    person: Person | None = Person.objects.filter(case=case, pk=pk).first()
    if person is None:
        raise Http404("No such person.")
    return person


def case_agencies(case: Case) -> QuerySet[CaseAgency]:
    return CaseAgency.objects.filter(case=case).select_related("agency", "involved_by").order_by("id")


def case_audit_events(user: Any, case: Case) -> QuerySet[AuditEvent]:
    """The audit trail of a case the user holds through case_for_user, if the policy lets them read it.

    Show the rows through `audit.selectors.present_audit_events` with the entries the user may not
    read (chronology.selectors.unreadable_restricted_entries)."""
    if not permissions.can_read_audit(user, case):
        raise PermissionDenied("Only managers and administrators read the audit trail.")
    return audit_events_of_case(case.pk)


def security_log_visible_to(user: Any) -> QuerySet[AuditEvent]:
    """Refused access by the users this user oversees, oldest first. Rows name no case."""
    if not permissions.can_read_security_log(user):
        raise PermissionDenied("Only managers and administrators read the security log.")
    return security_log_rows().filter(permissions.security_log_actors_filter(user))
