"""Pages: the Meetings tab (upcoming and past meetings), a meeting with its decisions and actions,
the case's actions with filters, and the forms that schedule, record and cancel meetings and set,
complete and cancel actions. Thin: the case from case_for_user, reads from meetings.selectors,
writes through meetings.services, and what the user may do from cases.permissions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audit.services import audit_record
from cases import permissions
from cases.selectors import case_for_user
from core.forms import add_service_errors
from meetings import selectors, services
from meetings.forms import (
    ActionCompleteForm,
    ActionFilterForm,
    ActionForm,
    MeetingForm,
    MeetingRecordForm,
    ReasonForm,
)
from meetings.models import Action, ActionStatus

# GOV.UK tag colours for an action's status in the task list.
STATUS_TAGS = {
    "overdue": ("Overdue", "govuk-tag--red"),
    ActionStatus.OPEN: ("Open", "govuk-tag--blue"),
    ActionStatus.DONE: ("Done", ""),
    ActionStatus.CANCELLED: ("Cancelled", "govuk-tag--grey"),
}


def action_rows(actions: list[Action], today: Any) -> list[dict[str, Any]]:
    rows = []
    for action in actions:
        key = "overdue" if action.overdue_on(today) else action.status
        label, colour = STATUS_TAGS[key]
        rows.append({"action": action, "status_label": label, "status_class": colour})
    return rows


def _names(ids: list[int], names: dict[int, str]) -> list[str]:
    return [names.get(pk, f"Agency {pk}") for pk in ids]


@login_required
@require_http_methods(["GET"])
def case_meetings_page(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for_user(request.user, case_id)
    today = timezone.localdate()
    upcoming = list(selectors.upcoming_meetings(case, today))
    past = list(selectors.past_meetings(case, today))
    audit_record(actor=request.user, action="meetings.viewed", case=case, detail={"count": len(upcoming) + len(past)})
    return render(
        request,
        "meetings/case_meetings.html",
        {
            "case": case,
            "tab": "meetings",
            "upcoming": upcoming,
            "past": past,
            "today": today,
            "may_manage": permissions.can_manage_meetings(request.user, case),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new_page(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for_user(request.user, case_id)
    if not permissions.can_manage_meetings(request.user, case):
        raise PermissionDenied("Social workers, chairs and managers schedule and record meetings.")
    agencies = selectors.case_agency_list(case)
    form_args = {"agencies": agencies, "chairs": selectors.case_professionals(case)}
    form = MeetingForm(request.POST or None, **form_args)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_schedule(
                acting_user=request.user,
                case=case,
                kind=data["kind"],
                held_on=data["held_on"],
                chair=data["chair"],
                invited=[int(a) for a in data["invited"]],
                attended=[int(a) for a in data["attended"]],
                apologies=[int(a) for a in data["apologies"]],
                summary=data["summary"],
                decisions=data["decisions"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{meeting.get_kind_display()} {meeting.get_status_display().lower()}.")
            return redirect("meeting-detail", case.pk, meeting.pk)
    return render(
        request,
        "meetings/meeting_form.html",
        {"case": case, "tab": "meetings", "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET"])
def meeting_page(request: HttpRequest, case_id: int, meeting_id: int) -> HttpResponse:
    case = case_for_user(request.user, case_id)
    meeting = selectors.case_meeting(case, meeting_id)
    today = timezone.localdate()
    names = selectors.agency_names([*meeting.invited, *meeting.attended, *meeting.apologies])
    actions = list(selectors.meeting_actions(meeting))
    audit_record(actor=request.user, action="meeting.viewed", case=case, obj=meeting)
    return render(
        request,
        "meetings/meeting.html",
        {
            "case": case,
            "tab": "meetings",
            "meeting": meeting,
            "invited": _names(meeting.invited, names),
            "attended": _names(meeting.attended, names),
            "apologies": _names(meeting.apologies, names),
            "not_attending": _names(
                [a for a in meeting.invited if a not in meeting.attended and a not in meeting.apologies], names
            ),
            "rows": action_rows(actions, today),
            "may_manage": permissions.can_manage_meetings(request.user, case),
            "may_record": meeting.is_scheduled and meeting.held_on <= today,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_record_page(request: HttpRequest, case_id: int, meeting_id: int) -> HttpResponse:
    case = case_for_user(request.user, case_id)
    meeting = selectors.case_meeting(case, meeting_id)
    if not permissions.can_manage_meetings(request.user, case):
        raise PermissionDenied("Social workers, chairs and managers record meetings.")
    form = MeetingRecordForm(request.POST or None, agencies=selectors.case_agency_list(case))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_record(
                acting_user=request.user,
                meeting=meeting,
                held_on=data["held_on"],
                attended=[int(a) for a in data["attended"]],
                apologies=[int(a) for a in data["apologies"]],
                summary=data["summary"],
                decisions=data["decisions"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The meeting's outcome is recorded and added to the chronology.")
            return redirect("meeting-detail", case.pk, meeting.pk)
    context = {"case": case, "tab": "meetings", "meeting": meeting, "form": form}
    return render(request, "meetings/meeting_record.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_cancel_page(request: HttpRequest, case_id: int, meeting_id: int) -> HttpResponse:
    case = case_for_user(request.user, case_id)
    meeting = selectors.case_meeting(case, meeting_id)
    if not permissions.can_manage_meetings(request.user, case):
        raise PermissionDenied("Social workers, chairs and managers cancel meetings.")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(acting_user=request.user, meeting=meeting, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The meeting is cancelled.")
            return redirect("meeting-detail", case.pk, meeting.pk)
    context = {"case": case, "tab": "meetings", "meeting": meeting, "form": form, "what": "meeting"}
    return render(request, "meetings/cancel.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET"])
def case_actions_page(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for_user(request.user, case_id)
    agencies = selectors.case_agency_list(case)
    form = ActionFilterForm(request.GET or None, agencies=agencies)
    filters: dict[str, Any] = {}
    if request.GET and form.is_valid():
        filters = {
            "status": form.cleaned_data["status"] or None,
            "owner_agency": form.cleaned_data["owner_agency"],
            "overdue": form.cleaned_data["overdue"],
        }
    today = timezone.localdate()
    actions = list(selectors.case_actions(case, today=today, **filters)) if not form.errors else []
    audit_record(actor=request.user, action="actions.viewed", case=case, detail={"count": len(actions)})
    return render(
        request,
        "meetings/case_actions.html",
        {
            "case": case,
            "tab": "meetings",
            "form": form,
            "rows": action_rows(actions, today),
            "may_manage": permissions.can_manage_meetings(request.user, case),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_new_page(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for_user(request.user, case_id)
    if not permissions.can_manage_meetings(request.user, case):
        raise PermissionDenied("Social workers, chairs and managers set actions.")
    meetings = [m for m in selectors.case_meetings(case) if m.status != "cancelled"]
    initial = {"meeting": request.GET.get("meeting", "")} if request.method == "GET" else None
    form = ActionForm(
        request.POST or None,
        initial=initial,
        agencies=selectors.case_agency_list(case),
        owners=selectors.case_professionals(case),
        meetings=meetings,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.action_create(acting_user=request.user, case=case, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The action is set.")
            if action.meeting_id:
                return redirect("meeting-detail", case.pk, action.meeting_id)
            return redirect("case-actions", case.pk)
    return render(
        request,
        "meetings/action_form.html",
        {"case": case, "tab": "meetings", "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_page(request: HttpRequest, case_id: int, action_id: int) -> HttpResponse:
    """An action: its status, and the form to complete it for those who may."""
    case = case_for_user(request.user, case_id)
    action = selectors.case_action(case, action_id)
    may_complete = action.status == ActionStatus.OPEN and permissions.can_complete_action(
        request.user, case, action.owner_agency_id
    )
    form = ActionCompleteForm(request.POST or None) if may_complete else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("An action is completed by its owning agency, the lead professional or a manager.")
        if form.is_valid():
            try:
                services.action_complete(acting_user=request.user, action=action, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "The action is done.")
                return redirect("case-action", case.pk, action.pk)
    else:
        audit_record(actor=request.user, action="action.viewed", case=case, obj=action)
    today = timezone.localdate()
    return render(
        request,
        "meetings/action.html",
        {
            "case": case,
            "tab": "meetings",
            "action": action,
            "row": action_rows([action], today)[0],
            "form": form,
            "may_cancel": action.status == ActionStatus.OPEN and permissions.can_cancel_action(request.user, case),
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_cancel_page(request: HttpRequest, case_id: int, action_id: int) -> HttpResponse:
    case = case_for_user(request.user, case_id)
    action = selectors.case_action(case, action_id)
    if not permissions.can_cancel_action(request.user, case):
        raise PermissionDenied("Actions are cancelled by the lead professional or a manager.")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_cancel(acting_user=request.user, action=action, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The action is cancelled.")
            return redirect("case-action", case.pk, action.pk)
    context = {"case": case, "tab": "meetings", "action": action, "form": form, "what": "action"}
    return render(request, "meetings/cancel.html", context, status=400 if form.errors else 200)
