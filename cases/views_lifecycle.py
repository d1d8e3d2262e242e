"""Pages for the case over time: change the legal status, close, reopen, hand over the lead, join
and leave the team around the child, write the case summary. One GOV.UK form a page; the service
decides, and what it refuses is shown in the error summary beside the field it names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from audit.services import audit_record
from cases import forms, permissions, policies, selectors, services
from cases.models import Case
from core.forms import GovukForm, add_service_errors


def _action(
    request: HttpRequest,
    case: Case,
    *,
    allowed: bool,
    refused: str,
    form: GovukForm,
    perform: Callable[[dict[str, Any]], str],
    title: str,
    button: str,
    intro: str = "",
    changes_content: bool = True,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    if not allowed:
        raise PermissionDenied(refused)
    if request.method == "POST" and form.is_valid():
        try:
            done = perform(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("case-detail", case_id=case.pk)
    closed = changes_content and policies.case_is_closed(case)
    return render(
        request,
        "cases/lifecycle_form.html",
        {
            "case": case,
            "form": form,
            "title": title,
            "button": button,
            "intro": intro,
            "closed_message": policies.closed_case_message("it") if closed else "",
            **(extra or {}),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def status_change(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, case_id)
    current = selectors.case_status_history(case).last()
    form = forms.StatusChangeForm(request.POST or None)

    def perform(data: dict[str, Any]) -> str:
        row = services.case_status_change(acting_user=request.user, case=case, **data)
        return f"Legal status changed to {services.status_words(row.legal_status, row.protection_category)}."

    since = f" since {services.say_day(current.effective_from)}" if current is not None else ""
    return _action(
        request,
        case,
        allowed=permissions.can_change_case_status(request.user, case),
        refused="Only social workers and managers of the lead agency change the legal status.",
        form=form,
        perform=perform,
        title="Change the legal status",
        button="Change legal status",
        intro=(
            f"The case is {services.status_words(case.legal_status, case.protection_category)}{since}. "
            "A change may be backdated, with its reason, but not to or before that date. "
            "It adds a stepped up or stepped down entry to the chronology."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, case_id)
    form = forms.CloseForm(request.POST or None)

    def perform(data: dict[str, Any]) -> str:
        services.case_close(acting_user=request.user, case=case, **data)
        return "Case closed. It can be read, and reopened, but not changed."

    return _action(
        request,
        case,
        allowed=permissions.can_close_case(request.user, case),
        refused="Only social workers and managers of the lead agency close a case.",
        form=form,
        perform=perform,
        title="Close the case",
        button="Close case",
        intro="A closed case stays readable but takes no new entries, people or family records until it is reopened.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def reopen(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, case_id)
    form = forms.ReopenForm(request.POST or None)

    def perform(data: dict[str, Any]) -> str:
        services.case_reopen(acting_user=request.user, case=case, **data)
        return "Case reopened."

    return _action(
        request,
        case,
        allowed=permissions.can_reopen_case(request.user, case),
        refused="Only social workers and managers of the lead agency reopen a case.",
        form=form,
        perform=perform,
        title="Reopen the case",
        button="Reopen case",
        intro="For a re-referral. The legal status stays as it was when the case closed: change it next if it differs.",
        changes_content=False,
    )


@login_required
@require_http_methods(["GET", "POST"])
def lead_handover(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, case_id)
    form = forms.HandoverForm(request.POST or None, candidates=selectors.lead_candidates(case))

    def perform(data: dict[str, Any]) -> str:
        handover = services.case_lead_hand_over(acting_user=request.user, case=case, **data)
        return f"{handover.to_user.display_name} now leads the case."

    lead = case.lead_professional.display_name if case.lead_professional is not None else "nobody"
    return _action(
        request,
        case,
        allowed=permissions.can_hand_over_lead(request.user, case),
        refused="Only the lead professional or a manager of the lead agency hands a case over.",
        form=form,
        perform=perform,
        title="Hand over the lead",
        button="Hand over",
        intro=f"The case is led by {lead}. The new lead joins the team around the child; their agency leads the case.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_join(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, case_id)
    form = forms.TeamJoinForm(request.POST or None, candidates=selectors.team_candidates(request.user, case))

    def perform(data: dict[str, Any]) -> str:
        member = services.team_member_add(acting_user=request.user, case=case, **data)
        return f"{member.user.display_name} joined the team around the child."

    return _action(
        request,
        case,
        allowed=permissions.can_view_team_forms(request.user),
        refused="Sign in to join the team.",
        form=form,
        perform=perform,
        title="Add to the team around the child",
        button="Add to the team",
        intro="Professionals of an involved agency. You can add people of your own agency; the lead and social "
        "workers of the lead agency can add anyone involved.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_end(request: HttpRequest, case_id: int, team_member_id: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, case_id)
    member = selectors.case_team_member(case, team_member_id)
    form = forms.TeamEndForm(request.POST or None)

    def perform(data: dict[str, Any]) -> str:
        services.team_member_end(acting_user=request.user, member=member, **data)
        return f"{member.user.display_name} left the team around the child."

    return _action(
        request,
        case,
        allowed=permissions.can_manage_team_member(request.user, case, member.user.agency_id),
        refused="You can end the team membership of professionals of your own agency.",
        form=form,
        perform=perform,
        title=f"{member.user.display_name} leaves the team",
        button="End membership",
        intro=f"{member.user.display_name} ({member.role_in_case}) has been in the team since "
        f"{services.say_day(member.started_on)}.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def summary_edit(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, case_id)
    current = selectors.case_summary(case)
    initial = {"text": current.text, "revision": current.revision} if current is not None else {"revision": 0}
    form = forms.SummaryForm(request.POST or None, initial=initial)

    def perform(data: dict[str, Any]) -> str:
        revision = services.case_summary_revise(
            acting_user=request.user, case=case, text=data["text"], expected_revision=data.get("revision")
        )
        return f"Case summary saved as revision {revision.revision}."

    return _action(
        request,
        case,
        allowed=permissions.can_edit_case_summary(request.user, case),
        refused="The case summary is written by the lead professional or a social worker.",
        form=form,
        perform=perform,
        title="Case summary",
        button="Save summary",
        intro="Shown on the case overview and printed at the front of every pack. Earlier versions are kept.",
    )


@login_required
def summary_revisions(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, case_id)
    revisions = list(selectors.case_summary_revisions(case))
    audit_record(actor=request.user, action="case.summary_read", case=case)
    return render(
        request,
        "cases/summary_revisions.html",
        {"case": case, "revisions": list(reversed(revisions)), "tab": "overview"},
    )
