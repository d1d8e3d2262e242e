"""One entry's pages: add, the entry with its history, amend and retract. Thin: the case comes from the
access selector, the entry from chronology.selectors (masked), writes from chronology.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from audit.services import audit_record
from cases import permissions, selectors
from chronology import selectors as entry_selectors
from chronology import services as entry_services
from chronology.forms import AmendForm, EntryForm, RetractForm
from chronology.models import EntryKind
from core.forms import add_service_errors


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request, case_id: int):
    case = selectors.case_for_user(request.user, case_id)
    if request.user.agency is None:
        raise PermissionDenied("Entries are recorded by a user of an involved agency.")
    form = EntryForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            entry = entry_services.entry_create(acting_user=request.user, case=case, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Entry added: {entry.summary}")
            return redirect(f"{reverse('chronology', args=[case.pk])}?highlight={entry.pk}#entry-{entry.pk}")
    return render(
        request,
        "chronology/entry_form.html",
        {"case": case, "tab": "chronology", "form": form, "kinds": EntryKind},
    )


def _entry_page(request, case, view, *, amend_form=None, retract_form=None, status=200):
    entry = view.entry
    can_change = not view.masked and permissions.can_amend(request.user, entry.agency_id) and not entry.retracted
    revisions = [] if view.masked else list(entry_selectors.entry_revisions(entry))
    people = {p.pk: p.full_name for p in selectors.case_people(case)}
    history = []
    for rev in revisions:
        history.append(
            {
                "rev": rev,
                "date_display": entry_selectors.format_entry_date(rev.occurred_on, rev.date_precision),
                "people": {
                    name: [people.get(pk, f"#{pk}") for pk in getattr(rev, name)] for name in entry_selectors.PEOPLE_M2M
                },
            }
        )
    if can_change:
        if amend_form is None:
            amend_form = AmendForm(case=case, initial=_initial(entry), prefix="amend")
        if retract_form is None:
            retract_form = RetractForm(initial={"revision": entry.revision}, prefix="retract")
    return render(
        request,
        "chronology/entry_detail.html",
        {
            "case": case,
            "tab": "chronology",
            "view": view,
            "entry": entry,
            "history": history,
            "amend_form": amend_form if can_change else None,
            "retract_form": retract_form if can_change else None,
        },
        status=status,
    )


def _initial(entry) -> dict:
    data = {name: getattr(entry, name) for name in entry_services.CONTENT_FIELDS}
    for name in entry_selectors.PEOPLE_M2M:
        data[name] = [p.pk for p in getattr(entry, name).all()]
    consistent = entry.injury_explanation_consistent
    data["injury_explanation_consistent"] = "" if consistent is None else ("true" if consistent else "false")
    data["revision"] = entry.revision
    return data


@login_required
def entry_detail(request, case_id: int, entry_id: int):
    case = selectors.case_for_user(request.user, case_id)
    view = entry_selectors.entry_for_user(request.user, case, entry_id)
    audit_record(actor=request.user, action="entry.viewed", case=case, obj=view.entry)
    return _entry_page(request, case, view)


def _conflict_message(form, exc) -> None:
    form.add_error(None, str(exc))


@login_required
@require_POST
def entry_amend(request, case_id: int, entry_id: int):
    case = selectors.case_for_user(request.user, case_id)
    view = entry_selectors.entry_for_user(request.user, case, entry_id)
    if view.masked or not permissions.can_amend(request.user, view.entry.agency_id):
        raise PermissionDenied("Only the agency that recorded an entry can amend it.")
    form = AmendForm(request.POST, case=case, prefix="amend")
    if form.is_valid():
        try:
            entry_services.entry_amend(
                acting_user=request.user,
                entry=view.entry,
                reason=form.cleaned_data["reason"],
                expected_revision=form.cleaned_data["revision"],
                **form.changes(view.entry),
            )
        except entry_services.EntryConflict as exc:
            _conflict_message(form, exc)
            view = entry_selectors.entry_for_user(request.user, case, entry_id)
            return _entry_page(request, case, view, amend_form=form, status=409)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Entry amended. The earlier revision is kept in its history.")
            return redirect("entry-detail", case_id=case.pk, entry_id=view.entry.pk)
    return _entry_page(request, case, view, amend_form=form, status=400)


@login_required
@require_POST
def entry_retract(request, case_id: int, entry_id: int):
    case = selectors.case_for_user(request.user, case_id)
    view = entry_selectors.entry_for_user(request.user, case, entry_id)
    if view.masked or not permissions.can_amend(request.user, view.entry.agency_id):
        raise PermissionDenied("Only the agency that recorded an entry can retract it.")
    form = RetractForm(request.POST, prefix="retract")
    if form.is_valid():
        try:
            entry_services.entry_retract(
                acting_user=request.user,
                entry=view.entry,
                reason=form.cleaned_data["reason"],
                expected_revision=form.cleaned_data["revision"],
            )
        except entry_services.EntryConflict as exc:
            _conflict_message(form, exc)
            view = entry_selectors.entry_for_user(request.user, case, entry_id)
            return _entry_page(request, case, view, retract_form=form, status=409)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Entry retracted. It stays in the chronology, marked retracted.")
            return redirect("entry-detail", case_id=case.pk, entry_id=view.entry.pk)
    return _entry_page(request, case, view, retract_form=form, status=400)
