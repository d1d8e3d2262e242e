"""Reads of meetings and actions. The caller holds the case through cases.selectors.case_for_user
(pages) or CaseScopedMixin (API), so everything here starts from a case the user may see; every
user who sees a case sees its meetings and actions (the plan is shared by the agencies around the
child), and cases.permissions decides what each may do with them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from agencies.models import Agency
from cases.models import Case
from core.bounds import is_db_id
from meetings.models import Action, ActionStatus, Meeting, MeetingStatus


def case_meetings(case: Case) -> QuerySet[Meeting]:
    """The case's meetings, oldest first, with their chair."""
    return Meeting.objects.filter(case=case).select_related("chair", "chair__agency").order_by("held_on", "id")


def upcoming_meetings(case: Case, today: dt.date | None = None) -> QuerySet[Meeting]:
    today = today or timezone.localdate()
    return case_meetings(case).filter(status=MeetingStatus.SCHEDULED, held_on__gte=today)


def past_meetings(case: Case, today: dt.date | None = None) -> QuerySet[Meeting]:
    """Held and cancelled meetings, and scheduled ones whose date has passed with no outcome recorded; newest first."""
    today = today or timezone.localdate()
    return (
        case_meetings(case)
        .filter(~Q(status=MeetingStatus.SCHEDULED) | Q(held_on__lt=today))
        .order_by("-held_on", "-id")
    )


def case_meeting(case: Case, meeting_id: object) -> Meeting:
    """One meeting of the case, or 404."""
    if not is_db_id(meeting_id):
        raise Http404("No such meeting.")
    meeting: Meeting | None = (
        case_meetings(case).select_related("case", "entry").filter(pk=int(str(meeting_id))).first()
    )
    if meeting is None:
        raise Http404("No such meeting.")
    return meeting


def case_actions(
    case: Case,
    *,
    status: str | None = None,
    owner_agency: int | None = None,
    overdue: bool = False,
    today: dt.date | None = None,
) -> QuerySet[Action]:
    """The case's actions, earliest due first, filtered by status, owning agency and overdue (open, past due)."""
    today = today or timezone.localdate()
    actions = (
        Action.objects.filter(case=case).select_related("owner_agency", "owner", "meeting").order_by("due_on", "id")
    )
    if status:
        actions = actions.filter(status=status)
    if owner_agency is not None:
        actions = actions.filter(owner_agency_id=owner_agency)
    if overdue:
        actions = actions.filter(status=ActionStatus.OPEN, due_on__lt=today)
    return actions


def case_action(case: Case, action_id: object) -> Action:
    if not is_db_id(action_id):
        raise Http404("No such action.")
    action: Action | None = case_actions(case).select_related("case").filter(pk=int(str(action_id))).first()
    if action is None:
        raise Http404("No such action.")
    return action


def meeting_actions(meeting: Meeting) -> QuerySet[Action]:
    return case_actions(meeting.case).filter(meeting=meeting)


def agency_names(ids: Iterable[int]) -> dict[int, str]:
    """Names of agencies by id (for the agency lists a meeting holds)."""
    wanted = {int(i) for i in ids}
    if not wanted:
        return {}
    return dict(Agency.objects.filter(pk__in=wanted).values_list("id", "name"))


def case_agency_list(case: Case) -> list[Agency]:
    """The agencies involved in the case, by name (the choices of meeting and action forms)."""
    return list(Agency.objects.filter(involvements__case=case).order_by("name"))


def case_professionals(case: Case) -> list[Any]:
    """Active users of the agencies involved in the case (chairs and named owners are chosen from them)."""
    from accounts.models import User

    return list(
        User.objects.filter(agency__involvements__case=case, is_active=True)
        .select_related("agency")
        .order_by("agency__name", "full_name", "username")
    )
