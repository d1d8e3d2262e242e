"""One entry's pages: add, the entry with its history, amend and retract. Thin: the case comes from the
access selector, the entry from chronology.selectors (masked), writes from chronology.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from audit.services import audit_record
from cases import permissions, selectors
from chronology import selectors as entry_selectors
from chronology import services as entry_services
from chronology.forms import YES_NO_FIELDS, AmendForm, EntryForm, RetractForm, yes_no_initial
from chronology.models import EntryKind
from chronology.revision_diff import revision_changes
from core.forms import add_service_errors


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request, case_id: int):
    case = selectors.case_for_user(request.user, case_id)
    if request.user.agency is None:
        raise PermissionDenied("Entries are recorded by a user of an involved agency.")
    form = EntryForm(request.POST or None, case=case, initial=_preset(request))
    seen_warning = False
    if request.method == "POST":
        if form.refreshing:
            form.show_unchecked()
        elif form.is_valid():
            if form.needs_seen_confirmation():
                seen_warning = True
            else:
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
        {"case": case, "tab": "chronology", "form": form, "kinds": EntryKind, "seen_warning": seen_warning},
    )


def _preset(request) -> dict:
    """A kind and the person the entry is about, from links such as "Record checks on <adult>"
    (?kind=adult_check&about=<person id>). Only a known kind is taken; the people grid ticks the
    person only if they are one of the case's people (the form lists no one else)."""
    initial: dict = {}
    kind = request.GET.get("kind", "")
    if kind in EntryKind.values:
        initial["kind"] = kind
    about = request.GET.get("about", "")
    if about.isdigit() and len(about) <= 18:
        initial["subjects"] = [int(about)]
    return initial


def _can_change(request, view) -> bool:
    entry = view.entry
    return not view.masked and permissions.can_amend(request.user, entry.agency_id) and not entry.retracted


def _entry_page(request, case, view):
    entry = view.entry
    history = []
    if not view.masked:
        names = {p.pk: p.full_name for p in selectors.case_people(case, include_entered_in_error=True)}
        history = revision_changes(entry_selectors.entry_revisions(entry), names)
    return render(
        request,
        "chronology/entry_detail.html",
        {
            "case": case,
            "tab": "chronology",
            "view": view,
            "entry": entry,
            "history": history,
            "can_change": _can_change(request, view),
        },
    )


def _initial(entry) -> dict:
    data = {name: getattr(entry, name) for name in entry_services.CONTENT_FIELDS}
    for name in entry_selectors.PEOPLE_M2M:
        data[name] = [p.pk for p in getattr(entry, name).all()]
    for name in YES_NO_FIELDS:
        data[name] = yes_no_initial(getattr(entry, name))
    data["revision"] = entry.revision
    return data


@login_required
def entry_detail(request, case_id: int, entry_id: int):
    case = selectors.case_for_user(request.user, case_id)
    view = entry_selectors.entry_for_user(request.user, case, entry_id)
    audit_record(actor=request.user, action="entry.viewed", case=case, obj=view.entry)
    return _entry_page(request, case, view)


def _changeable_entry(request, case, entry_id: int, verb: str):
    """The entry the user may amend or retract, or 403 (the masked entry is never shown)."""
    view = entry_selectors.entry_for_user(request.user, case, entry_id)
    if view.masked or not permissions.can_amend(request.user, view.entry.agency_id):
        raise PermissionDenied(f"Only the agency that recorded an entry can {verb} it.")
    return view


def _change_page(request, case, view, template: str, form, *, status=200, seen_warning=False):
    return render(
        request,
        template,
        {
            "case": case,
            "tab": "chronology",
            "view": view,
            "entry": view.entry,
            "form": form,
            "seen_warning": seen_warning,
            "is_retracted": view.entry.retracted,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_amend(request, case_id: int, entry_id: int):
    case = selectors.case_for_user(request.user, case_id)
    view = _changeable_entry(request, case, entry_id, "amend")
    template = "chronology/entry_amend.html"
    if request.method == "GET" or view.entry.retracted:
        form = AmendForm(case=case, initial=_initial(view.entry), prefix="amend")
        if request.method == "GET":
            audit_record(actor=request.user, action="entry.viewed", case=case, obj=view.entry)
        return _change_page(request, case, view, template, form, status=200 if request.method == "GET" else 409)
    form = AmendForm(request.POST, case=case, prefix="amend")
    if form.refreshing:
        form.show_unchecked()
        return _change_page(request, case, view, template, form)
    if form.is_valid():
        if form.needs_seen_confirmation():
            return _change_page(request, case, view, template, form, seen_warning=True)
        try:
            entry_services.entry_amend(
                acting_user=request.user,
                entry=view.entry,
                reason=form.cleaned_data["reason"],
                expected_revision=form.cleaned_data["revision"],
                **form.changes(view.entry),
            )
        except entry_services.EntryConflict as exc:
            form.add_error(None, str(exc))
            view = entry_selectors.entry_for_user(request.user, case, entry_id)
            return _change_page(request, case, view, template, form, status=409)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Entry amended. The earlier revision is kept in its history.")
            return redirect("entry-detail", case_id=case.pk, entry_id=view.entry.pk)
    return _change_page(request, case, view, template, form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def entry_retract(request, case_id: int, entry_id: int):
    case = selectors.case_for_user(request.user, case_id)
    view = _changeable_entry(request, case, entry_id, "retract")
    template = "chronology/entry_retract.html"
    if request.method == "GET" or view.entry.retracted:
        form = RetractForm(initial={"revision": view.entry.revision}, prefix="retract")
        if request.method == "GET":
            audit_record(actor=request.user, action="entry.viewed", case=case, obj=view.entry)
        return _change_page(request, case, view, template, form, status=200 if request.method == "GET" else 409)
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
            form.add_error(None, str(exc))
            view = entry_selectors.entry_for_user(request.user, case, entry_id)
            return _change_page(request, case, view, template, form, status=409)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Entry retracted. It stays in the chronology, marked retracted.")
            return redirect("entry-detail", case_id=case.pk, entry_id=view.entry.pk)
    return _change_page(request, case, view, template, form, status=400)
