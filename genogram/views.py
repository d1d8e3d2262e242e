"""Pages for the family structure: the genogram and ecomap at a date, and adding and ending
relationships, household memberships and ecomap links. The case comes from the access selector;
writes go to genogram.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from audit.services import audit_record
from cases import permissions
from cases.selectors import case_for_user
from core.forms import add_service_errors
from genogram import drawings, selectors, services
from genogram.forms import (
    AtDateForm,
    EcomapLinkForm,
    EndForm,
    HouseholdForm,
    MemberEndForm,
    MemberForm,
    RelationshipForm,
)
from genogram.graphviz import RenderError


def person_link(case):
    """Clicking a person opens the case chronology filtered to them."""
    base = reverse("chronology", args=[case.pk])
    return lambda pid: f"{base}?person={pid}"


@login_required
def family(request, case_id: int):
    case = case_for_user(request.user, case_id)
    date_form = AtDateForm(request.GET or None)
    at = timezone.localdate()
    if date_form.is_bound and date_form.is_valid() and date_form.cleaned_data["at"]:
        at = date_form.cleaned_data["at"]
    error = ""
    try:
        pictures = drawings.case_drawings(case, at, link_for=person_link(case))
    except RenderError as exc:
        pictures, error = None, str(exc)
    audit_record(actor=request.user, action="genogram.viewed", case=case, detail={"at": at.isoformat(), "page": True})
    can_edit = permissions.can_edit_people(request.user)
    memberships = list(selectors.case_memberships(case))
    return render(
        request,
        "genogram/family.html",
        {
            "case": case,
            "tab": "family",
            "at": at,
            "date_form": date_form,
            "pictures": pictures,
            "error": error,
            "relationships": selectors.case_relationships(case),
            "memberships": memberships,
            # Adults living in a household now, for a "Record checks on <adult>" link to an adult_check entry.
            "check_adults": _adults_living_there(memberships, at) if request.user.agency is not None else set(),
            "links": selectors.case_ecomap_links(case),
            "can_edit": can_edit,
            "can_mark": permissions.can_mark_entered_in_error(request.user, case),
            "corrections": selectors.entered_in_error_counts(case),
            "relationship_form": RelationshipForm(case=case) if can_edit else None,
            "household_form": HouseholdForm() if can_edit else None,
            "member_form": MemberForm(case=case) if can_edit else None,
            "link_form": EcomapLinkForm(case=case) if can_edit else None,
        },
    )


def _editor(request, case_id):
    case = case_for_user(request.user, case_id)
    if not permissions.can_edit_people(request.user):
        raise PermissionDenied("Only social workers, managers and administrators change the family structure.")
    return case


def _form_page(request, case, form, title, button):
    return render(
        request, "genogram/form.html", {"case": case, "form": form, "title": title, "button": button}, status=200
    )


@login_required
@require_http_methods(["GET", "POST"])
def relationship_add(request, case_id: int):
    case = _editor(request, case_id)
    form = RelationshipForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.relationship_create(acting_user=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Relationship added.")
            return redirect("genogram-family", case_id=case.pk)
    return _form_page(request, case, form, "Add a relationship", "Add relationship")


@login_required
@require_http_methods(["GET", "POST"])
def relationship_end(request, case_id: int, relationship_id: int):
    case = _editor(request, case_id)
    relationship = selectors.case_relationship(case, relationship_id)
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.relationship_end(
                acting_user=request.user, relationship=relationship, end_date=form.cleaned_data["end_date"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Relationship ended.")
            return redirect("genogram-family", case_id=case.pk)
    return _form_page(request, case, form, f"End: {relationship}", "End relationship")


def _adults_living_there(memberships, at) -> set[int]:
    """People in a household on `at` who are adults then (18 or over; no date of birth and not a subject child)."""
    found = set()
    for m in memberships:
        if m.to_date is not None and m.to_date <= at or m.from_date is not None and m.from_date > at:
            continue
        person = m.person
        born = person.date_of_birth
        if born is None:
            if not person.is_subject and not person.expected_date_of_delivery:
                found.add(person.pk)
        elif (at.year - born.year - ((at.month, at.day) < (born.month, born.day))) >= 18:
            found.add(person.pk)
    return found


@login_required
@require_POST
def household_add(request, case_id: int):
    case = _editor(request, case_id)
    form = HouseholdForm(request.POST)
    if form.is_valid():
        try:
            services.household_create(acting_user=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Household added.")
            return redirect("genogram-family", case_id=case.pk)
    return _form_page(request, case, form, "Add a household", "Add household")


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request, case_id: int):
    case = _editor(request, case_id)
    form = MemberForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.household_member_add(acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Household membership added: {member.person.full_name} in {member.household.label}. "
                "For an adult joining a household, record your agency's checks on them from the households table.",
            )
            return redirect(f"{reverse('genogram-family', args=[case.pk])}#households")
    return _form_page(request, case, form, "Add someone to a household", "Add to household")


@login_required
@require_http_methods(["GET", "POST"])
def member_end(request, case_id: int, member_id: int):
    case = _editor(request, case_id)
    member = selectors.case_membership(case, member_id)
    form = MemberEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.household_member_end(acting_user=request.user, member=member, to_date=form.cleaned_data["to_date"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{member.person.full_name} has moved out of {member.household.label}.")
            return redirect("genogram-family", case_id=case.pk)
    return _form_page(request, case, form, f"{member.person.full_name} moves out of {member.household.label}", "Save")


@login_required
@require_http_methods(["GET", "POST"])
def link_add(request, case_id: int):
    case = _editor(request, case_id)
    form = EcomapLinkForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.ecomap_link_create(acting_user=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Ecomap link added.")
            return redirect("genogram-family", case_id=case.pk)
    return _form_page(request, case, form, "Add an ecomap link", "Add link")
