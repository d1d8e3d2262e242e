"""Reads that depend on who is asking. Every case query starts from cases_visible_to."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from audit.models import AuditEvent
from audit.selectors import audit_events_of_case, security_log_rows
from audit.services import access_refused_record
from cases import permissions
from cases.models import (
    Case,
    CaseAgency,
    CaseClosure,
    CaseSummaryRevision,
    LeadHandover,
    LegalStatusChange,
    Person,
    TeamMember,
)
from core.bounds import is_db_id


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


def case_people(case: Case, *, include_entered_in_error: bool = False) -> QuerySet[Person]:
    """People of a case the caller already holds through case_for_user: those standing, and those
    marked entered in error too when asked (for names in an entry's history, and for redaction)."""
    people = Person.objects.filter(case=case)
    if not include_entered_in_error:
        people = people.filter(entered_in_error_at__isnull=True)
    return people.order_by("-is_subject", "date_of_birth", "id")


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


# --- The case over time: read through a case the caller holds from case_for_user ------------------


def case_status_history(case: Case) -> QuerySet[LegalStatusChange]:
    """The legal-status history, oldest first; each row carries `effective_to`, the next row's
    `effective_from` (half-open), None for the current status."""
    following = (
        LegalStatusChange.objects.filter(case=OuterRef("case"), effective_from__gt=OuterRef("effective_from"))
        .order_by("effective_from")
        .values("effective_from")[:1]
    )
    return (
        LegalStatusChange.objects.filter(case=case)
        .annotate(effective_to=Subquery(following))
        .select_related("recorded_by")
        .order_by("effective_from", "id")
    )


def case_closures(case: Case) -> QuerySet[CaseClosure]:
    return CaseClosure.objects.filter(case=case).select_related("closed_by", "reopened_by").order_by("closed_on", "id")


def case_handovers(case: Case) -> QuerySet[LeadHandover]:
    return LeadHandover.objects.filter(case=case).select_related("from_user", "to_user").order_by("recorded_at", "id")


def case_team(case: Case, *, include_ended: bool = False) -> QuerySet[TeamMember]:
    """The team around the child: current members (and past ones when asked), the longest-standing first."""
    team = TeamMember.objects.filter(case=case).select_related("user", "user__agency")
    if not include_ended:
        team = team.filter(ended_on__isnull=True)
    return team.order_by("ended_on", "started_on", "id")


def case_team_member(case: Case, member_id: object) -> TeamMember:
    if not is_db_id(member_id):
        raise Http404("No such team member.")
    member: TeamMember | None = case_team(case, include_ended=True).filter(pk=int(str(member_id))).first()
    if member is None:
        raise Http404("No such team member.")
    return member


def case_summary(case: Case) -> CaseSummaryRevision | None:
    """The current case summary, or None when none is written yet."""
    current: CaseSummaryRevision | None = (
        CaseSummaryRevision.objects.filter(case=case).select_related("recorded_by").order_by("-revision").first()
    )
    return current


def case_summary_revisions(case: Case) -> QuerySet[CaseSummaryRevision]:
    return CaseSummaryRevision.objects.filter(case=case).select_related("recorded_by").order_by("revision")


def involved_users(case: Case) -> QuerySet[Any]:
    """Active users of the agencies involved in the case: who may join its team or lead it."""
    from accounts.models import User

    return (
        User.objects.filter(is_active=True, agency__involvements__case=case)
        .select_related("agency")
        .order_by("agency__name", "full_name", "username")
    )


def lead_candidates(case: Case) -> list[Any]:
    """Social workers of involved agencies who could take the case over (not the current lead)."""
    agency_ids = set(case_agencies(case).values_list("agency_id", flat=True))
    return [
        user
        for user in involved_users(case)
        if permissions.can_be_lead_professional(user, agency_ids) and not permissions.is_lead_professional(user, case)
    ]


def team_candidates(acting_user: object, case: Case) -> list[Any]:
    """Professionals the acting user may join to the team: not already in it."""
    in_team = set(case_team(case).values_list("user_id", flat=True))
    return [
        user
        for user in involved_users(case)
        if user.pk not in in_team and permissions.can_manage_team_member(acting_user, case, user.agency_id)
    ]


def last_entry_dates(user: object, case: Case, kinds: list[str]) -> dict[str, Any]:
    """The date of the latest entry of each kind that the user may read in full (not retracted)."""
    from django.db.models import Max

    from chronology.models import ChronologyEntry

    rows = (
        ChronologyEntry.objects.filter(case=case, kind__in=kinds, retracted=False)
        .filter(permissions.readable_entries_filter(user, case))
        .values("kind")
        .annotate(last=Max("occurred_on"))
        .order_by()
    )
    return {row["kind"]: row["last"] for row in rows}
