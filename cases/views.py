"""Pages for cases and people. Thin: the case comes from the access selector, writes go to services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audit.services import audit_record
from cases import permissions, selectors, services
from cases.forms import CaseForm, InvolveAgencyForm, PersonForm
from cases.overview import case_overview
from core.forms import add_service_errors
from core.pagination import InvalidCursor, Page, PageLinks, invalid_cursor_context, paginate
from genogram.selectors import entered_in_error_counts
from meetings.selectors import upcoming_meetings
from reporting.flags.selectors import flags_for_case

CASE_LIST_PAGE_SIZE = 50
# Open cases first (the word "open" sorts after "closed"), then by reference; id makes each row's place unique.
CASE_LIST_ORDERING = ("-status", "reference", "id")


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """The cases the user may see, 50 a page in the one keyset scheme (core.pagination)."""
    cases = (
        selectors.cases_visible_to(request.user)
        .select_related("lead_agency", "lead_professional")
        .annotate(people_count=Count("people", filter=Q(people__entered_in_error_at__isnull=True)))
    )
    audit_record(actor=request.user, action="case.listed")
    context: dict[str, Any] = {"cases": [], "pages": None, "can_open_case": permissions.can_open_case(request.user)}
    try:
        page: Page[Any] = paginate(
            cases, CASE_LIST_ORDERING, cursor=request.GET.get("cursor"), size=CASE_LIST_PAGE_SIZE
        )
    except InvalidCursor:
        context.update(invalid_cursor_context(request))
        return render(request, "cases/case_list.html", context, status=400)
    context.update(cases=page.rows, pages=PageLinks.build(request, page, label="Pages of cases"))
    return render(request, "cases/case_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_open_case(request.user):
        raise PermissionDenied("Only social workers and administrators open cases.")
    form = CaseForm(request.POST or None, choose_lead_agency=request.user.agency is None)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        lead_agency = fields.pop("lead_agency", None) or request.user.agency
        try:
            case = services.case_create(acting_user=request.user, lead_agency=lead_agency, **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Case {case.reference} opened.")
            return redirect("case-detail", case_id=case.pk)
    return render(request, "chronology/case_form.html", {"form": form})


# The overview's "next" key dates: the first scheduled meeting of these kinds (Meetings tab).
NEXT_MEETING_KINDS = [
    ("Next child protection conference", ("initial_conference", "review_conference")),
    ("Next core group", ("core_group",)),
]


@login_required
@require_http_methods(["GET", "POST"])
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, case_id)
    involve_form = None
    if permissions.can_involve_agency(request.user):
        involve_form = InvolveAgencyForm(request.POST or None, case=case)
        if request.method == "POST" and involve_form.is_valid():
            agency = involve_form.cleaned_data["agency"]
            try:
                services.case_agency_involve(acting_user=request.user, case=case, agency=agency)
            except ValidationError as exc:
                add_service_errors(involve_form, exc)
            else:
                messages.success(request, f"{agency.name} is now involved in this case.")
                return redirect("case-detail", case_id=case.pk)
    elif request.method == "POST":
        raise PermissionDenied("Only social workers and administrators involve agencies.")
    audit_record(actor=request.user, action="case.viewed", case=case)
    today = timezone.localdate()
    overview = case_overview(request.user, case, today)
    flags = flags_for_case(case, today)
    overview.flags_to_review = sum(1 for f in flags if f.review is None)
    overview.flags_reopened = sum(1 for f in flags if f.review is not None and f.new_evidence)
    for member in overview.team:  # the lead stays in the team: hand over first
        member.may_end = permissions.can_manage_team_member(
            request.user, case, member.user.agency_id
        ) and not permissions.is_lead_professional(member.user, case)
    upcoming = list(upcoming_meetings(case, today))
    next_meetings = [
        (label, next((m for m in upcoming if m.kind in kinds), None)) for label, kinds in NEXT_MEETING_KINDS
    ]
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "overview": overview,
            "next_meetings": next_meetings,
            "involvements": selectors.case_agencies(case),
            "involve_form": involve_form,
            "can_edit_people": permissions.can_edit_people(request.user),
            "can_mark": permissions.can_mark_entered_in_error(request.user, case),
            "corrections": entered_in_error_counts(case),
            "may": permissions.can_see_case_actions(request.user, case),
            "tab": "overview",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, case_id)
    if not permissions.can_edit_people(request.user):
        raise PermissionDenied("Only social workers, managers and administrators record people.")
    form = PersonForm(request.POST or None)
    form.instance.case = case
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(acting_user=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{person.full_name} added to the case.")
            return redirect("case-detail", case_id=case.pk)
    return render(request, "chronology/person_form.html", {"case": case, "form": form, "person": None})


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, case_id: int, person_id: int) -> HttpResponse:
    case = selectors.case_for_user(request.user, case_id)
    person = selectors.case_person(case, person_id)
    if not permissions.can_edit_people(request.user):
        raise PermissionDenied("Only social workers, managers and administrators change people's records.")
    form = PersonForm(request.POST or None, instance=selectors.case_person(case, person_id))
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.person_update(acting_user=request.user, person=person, **changes)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{person.full_name}'s record updated.")
            return redirect("case-detail", case_id=case.pk)
    else:
        audit_record(actor=request.user, action="person.viewed", case=case, obj=person)
    return render(request, "chronology/person_form.html", {"case": case, "form": form, "person": person})
