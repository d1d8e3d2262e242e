"""Corrections without deletion: the confirm pages that mark a person, relationship, household
membership or ecomap link as entered in error, and the case's history of records so marked.

Who may mark is cases.permissions.may_correct_records (403 for anyone else who sees the case; a
closed case is refused by the service with its message); the writes are the services in
cases.services and genogram.services. The history is open to anyone who can see the case."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from audit.services import audit_record
from cases import permissions
from cases import selectors as case_selectors
from cases import services as case_services
from cases.models import Case
from cases.policies import case_is_closed
from core.forms import add_service_errors
from genogram import selectors, services
from genogram.forms import EnteredInErrorForm


def _corrector(request: HttpRequest, case_id: int) -> Case:
    case = case_selectors.case_for_user(request.user, case_id)
    if not permissions.may_correct_records(request.user, case):
        raise PermissionDenied(
            "Only the lead professional, a manager of an involved agency or an administrator marks a record "
            "as entered in error."
        )
    return case


def _confirm(
    request: HttpRequest,
    case: Case,
    record: Any,
    *,
    kind: str,
    what: str,
    mark: Any,
    back: str,
    back_text: str,
) -> HttpResponse:
    form = EnteredInErrorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mark(form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{what} is marked as entered in error and is no longer shown.")
            return redirect(back)
    return render(
        request,
        "genogram/entered_in_error_confirm.html",
        {
            "case": case,
            "form": form,
            "kind": kind,
            "what": what,
            "record": record,
            "closed": case_is_closed(case),
            "back": back,
            "back_text": back_text,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_entered_in_error(request: HttpRequest, case_id: int, person_id: int) -> HttpResponse:
    case = _corrector(request, case_id)
    person = case_selectors.case_person(case, person_id)
    return _confirm(
        request,
        case,
        person,
        kind="person",
        what=person.full_name,
        mark=lambda reason: case_services.person_mark_entered_in_error(
            acting_user=request.user, person=person, reason=reason
        ),
        back=reverse("case-detail", args=[case.pk]),
        back_text="Back to the case",
    )


@login_required
@require_http_methods(["GET", "POST"])
def relationship_entered_in_error(request: HttpRequest, case_id: int, relationship_id: int) -> HttpResponse:
    case = _corrector(request, case_id)
    relationship = selectors.case_relationship(case, relationship_id)
    what = (
        f"{relationship.from_person.full_name}: {relationship.get_kind_display()} of {relationship.to_person.full_name}"
    )
    return _confirm(
        request,
        case,
        relationship,
        kind="relationship",
        what=what,
        mark=lambda reason: services.relationship_mark_entered_in_error(
            acting_user=request.user, relationship=relationship, reason=reason
        ),
        back=reverse("genogram-family", args=[case.pk]),
        back_text="Back to the family",
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_entered_in_error(request: HttpRequest, case_id: int, member_id: int) -> HttpResponse:
    case = _corrector(request, case_id)
    member = selectors.case_membership(case, member_id)
    return _confirm(
        request,
        case,
        member,
        kind="household membership",
        what=f"{member.person.full_name} living in {member.household.label}",
        mark=lambda reason: services.household_membership_mark_entered_in_error(
            acting_user=request.user, member=member, reason=reason
        ),
        back=reverse("genogram-family", args=[case.pk]),
        back_text="Back to the family",
    )


@login_required
@require_http_methods(["GET", "POST"])
def link_entered_in_error(request: HttpRequest, case_id: int, link_id: int) -> HttpResponse:
    case = _corrector(request, case_id)
    link = selectors.case_ecomap_link(case, link_id)
    who = link.person.full_name if link.person is not None else link.household.label if link.household else ""
    return _confirm(
        request,
        case,
        link,
        kind="ecomap link",
        what=f"{who} and {link.resource_name}",
        mark=lambda reason: services.ecomap_link_mark_entered_in_error(
            acting_user=request.user, link=link, reason=reason
        ),
        back=reverse("genogram-family", args=[case.pk]),
        back_text="Back to the family",
    )


@login_required
def entered_in_error_history(request: HttpRequest, case_id: int) -> HttpResponse:
    """Every record of the case marked entered in error: what it was, who marked it, when and why."""
    case = case_selectors.case_for_user(request.user, case_id)
    records = selectors.entered_in_error_records(case)
    audit_record(actor=request.user, action="family.corrections_viewed", case=case, detail={"rows": len(records)})
    return render(
        request,
        "genogram/entered_in_error_history.html",
        {"case": case, "tab": "family", "records": records},
    )
