"""Reads that depend on who is asking: the inbox and "my work". Every row starts from the cases the
user may see (cases.selectors.cases_visible_to): a notification about a case the user can no longer
see is not shown to them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from audit.models import AuditEvent
from cases.models import Case, CaseStatus, TeamMember
from cases.selectors import cases_visible_to
from chronology.models import ChronologyEntry
from meetings.models import Action, ActionStatus, Meeting, MeetingStatus
from notifications.models import CaseFlagState, Notification


def notifications_for(user: object) -> QuerySet[Notification]:
    """The user's notifications about cases they can see, newest first."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return (
        Notification.objects.filter(user=user, case__in=cases_visible_to(user)).select_related("case").order_by("-id")
    )


def unread_count(user: object) -> int:
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    count: int = notifications_for(user).filter(read_at__isnull=True).count()
    return count


# My work -------------------------------------------------------------------------------------

# Reads of a case that count as opening it, as the audit trail records them (the case page and
# its chronology, on pages and in the API): no table of its own to write on every page view.
OPENED_ACTIONS = ("case.viewed", "chronology.viewed")
MY_WORK_ACTIONS_LIMIT = 200
MY_WORK_MEETINGS_LIMIT = 50
# Before any entry: a case the user never opened counts every entry others recorded as new.
NEVER_OPENED = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class WorkCase:
    case: Case
    unreviewed_flags: int
    overdue_actions: int
    new_entries: int
    last_opened_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class Work:
    cases: list[WorkCase]
    actions: list[Action]
    meetings: list[Meeting]
    unread: int
    today: dt.date


def _my_cases(user: Any, today: dt.date) -> QuerySet[Case]:
    """Open cases the user can see and works on: they lead it or are in its team around the child."""
    in_team = TeamMember.objects.filter(user=user).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
    return (
        cases_visible_to(user)
        .filter(status=CaseStatus.OPEN)
        .filter(Q(lead_professional=user) | Q(pk__in=in_team.values("case_id")))
        .select_related("lead_professional")
        .order_by("reference")
    )


def my_work(user: Any, *, today: dt.date | None = None) -> Work:
    """What needs the user: their open cases (unreviewed flags, overdue actions, entries recorded by
    others since they last opened the case), the open actions they or their agency own (overdue
    first), the upcoming meetings their agency is invited to (or they chair), and their unread count.
    A fixed number of queries whatever the number of cases; every row from a case they can see."""
    today = today or timezone.localdate()
    if user is None or not getattr(user, "is_authenticated", False):
        return Work([], [], [], 0, today)
    cases = list(_my_cases(user, today))
    ids = [case.pk for case in cases]
    overdue = dict(
        Action.objects.filter(case_id__in=ids, status=ActionStatus.OPEN, due_on__lt=today)
        .values_list("case_id")
        .annotate(n=Count("id"))
        .values_list("case_id", "n")
    )
    flags = {state.case_id: state.unreviewed for state in CaseFlagState.objects.filter(case_id__in=ids)}
    # One query for both figures, one row per case: when the user last opened it (the newest of
    # their views in the audit trail, read through audit_viewed_idx) and how many entries others
    # recorded since (all of them when never opened), counted per case on entry_case_recorded_idx.
    last_opened = Subquery(
        AuditEvent.objects.filter(actor=user, action__in=OPENED_ACTIONS, case_id=OuterRef("pk"))
        .order_by("-at")
        .values("at")[:1]
    )
    new_since = Coalesce(OuterRef("last"), Value(NEVER_OPENED))
    counted = (
        ChronologyEntry.objects.filter(case_id=OuterRef("pk"), recorded_at__gt=new_since)
        .exclude(recorded_by=user)
        .order_by()
        .values("case_id")
        .annotate(n=Count("*"))  # not Count("id"): the count is read from the index alone
        .values("n")
    )
    seen: dict[int, tuple[dt.datetime | None, int]] = {}
    if ids:
        rows_seen = (
            Case.objects.filter(pk__in=ids)
            .annotate(last=last_opened)
            .annotate(new=Coalesce(Subquery(counted), 0))
            .order_by()
            .values_list("pk", "last", "new")
        )
        seen = {pk: (last, new) for pk, last, new in rows_seen}
    opened = {pk: last for pk, (last, _) in seen.items() if last is not None}
    new_entries = {pk: new for pk, (_, new) in seen.items()}
    rows = [
        WorkCase(
            case=case,
            unreviewed_flags=flags.get(case.pk, 0),
            overdue_actions=overdue.get(case.pk, 0),
            new_entries=new_entries.get(case.pk, 0),
            last_opened_at=opened.get(case.pk),
        )
        for case in cases
    ]
    visible = cases_visible_to(user).filter(status=CaseStatus.OPEN).values("pk")
    owned = Q(owner=user)
    if user.agency_id is not None:
        owned |= Q(owner_agency_id=user.agency_id)
    actions = list(
        Action.objects.filter(owned, case_id__in=visible, status=ActionStatus.OPEN)
        .select_related("case", "owner_agency", "owner")
        .order_by("due_on", "id")[:MY_WORK_ACTIONS_LIMIT]
    )
    invited = Q(chair=user)
    if user.agency_id is not None:
        invited |= Q(invited__contains=[user.agency_id])
    meetings = list(
        Meeting.objects.filter(invited, case_id__in=visible, status=MeetingStatus.SCHEDULED, held_on__gte=today)
        .select_related("case")
        .order_by("held_on", "id")[:MY_WORK_MEETINGS_LIMIT]
    )
    return Work(cases=rows, actions=actions, meetings=meetings, unread=unread_count(user), today=today)
