"""The chronology page: the merged table with its filters, import and export. Thin: the case comes from
the access selector, entries from chronology.selectors (masked), writes from chronology.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audit.services import audit_record
from cases import permissions, selectors
from chronology import exporters, importers
from chronology import selectors as entry_selectors
from chronology.filters import ChronologyFilterForm
from chronology.forms import ImportForm
from chronology.models import ChronologyEntry
from core.bounds import is_db_id
from core.forms import add_service_errors

PAGE_SIZE = 50
FILTER_PARAMS = ("date_from", "date_to", "agency", "kind", "person", "significance")


def _filters(request):
    """The filter part of the query string, as given (empty values dropped)."""
    data = request.GET.copy()
    for name in list(data.keys()):
        if name not in FILTER_PARAMS or not any(data.getlist(name)):
            data.pop(name)
    return data


def highlighted_ids(request) -> set[int]:
    ids = set()
    for raw in request.GET.get("highlight", "").split(","):
        if is_db_id(raw):  # ids past the database's range would fail the lookup, not just miss
            ids.add(int(raw.strip()))
    return ids


def filtered_entries(request, case):
    """(filter form, queryset or None when the filters are invalid)."""
    filters = _filters(request)
    form = ChronologyFilterForm(filters or None, case=case)
    try:
        qs = entry_selectors.entries_for_case(request.user, case, filters)
    except ValidationError as exc:
        if form.is_bound:
            form.is_valid()
            add_service_errors(form, exc)
        return form, filters, None
    return form, filters, qs


@login_required
def chronology(request, case_id: int):
    case = selectors.case_for_user(request.user, case_id)
    form, filters, qs = filtered_entries(request, case)
    highlight = highlighted_ids(request)
    page = None
    rows = []
    if qs is not None:
        cursor = request.GET.get("cursor")
        if not cursor and highlight:
            first = qs.filter(pk__in=highlight).order_by("occurred_on", "sequence", "id").first()
            if first is not None:
                # Open the page at the first highlighted entry.
                anchor = ChronologyEntry(pk=first.pk - 1, occurred_on=first.occurred_on, sequence=first.sequence)
                cursor = entry_selectors.encode_cursor(anchor, "n")
        try:
            page = entry_selectors.keyset_page(entry_selectors.with_people(qs), cursor, PAGE_SIZE)
        except entry_selectors.BadCursor as exc:
            return HttpResponseBadRequest(str(exc))
        rows = entry_selectors.present_entries(request.user, case, page.rows)
        visible = [v.entry for v in rows if not v.masked]
        found = entry_selectors.possible_duplicates(case, visible)
        for view in rows:
            others = [
                o
                for o in found.get(view.id, [])
                if permissions.can_read_in_full(request.user, case, restricted=o.restricted, agency_id=o.agency_id)
            ]
            view.duplicates = others
    audit_record(
        actor=request.user,
        action="chronology.viewed",
        case=case,
        detail={"filters": exporters._filters_json(filters), "rows": len(rows)},
    )

    def link(cursor):
        if not cursor:
            return None
        params = filters.copy()
        params["cursor"] = cursor
        if highlight:
            params["highlight"] = ",".join(str(i) for i in sorted(highlight))
        return "?" + params.urlencode()

    query = filters.urlencode()
    return render(
        request,
        "chronology/chronology.html",
        {
            "case": case,
            "tab": "chronology",
            "form": form,
            "rows": rows,
            "highlight": highlight,
            "next_link": link(page.next_cursor) if page else None,
            "previous_link": link(page.previous_cursor) if page else None,
            "query": query,
            "filtered": bool(filters),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_import(request, case_id: int):
    case = selectors.case_for_user(request.user, case_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST" and form.is_valid():
        result = importers.import_entries(acting_user=request.user, case=case, upload=form.cleaned_data["file"])
        if result.ok:
            messages.success(
                request,
                f"Imported {len(result.created)} new entries"
                + (f"; {result.skipped} were already in the chronology" if result.skipped else "")
                + ".",
            )
            return redirect("chronology", case_id=case.pk)
        if result.message:
            form.add_error("file", result.message)
        else:
            form.add_error("file", "Nothing was imported: correct the rows listed below and import the file again.")
        status = 400
    return render(
        request,
        "chronology/entry_import.html",
        {"case": case, "tab": "chronology", "form": form, "result": result, "columns": importers.COLUMNS},
        status=status,
    )


TEMPLATE_FILES = {
    "template.csv": ("chronology-template.csv", "text/csv"),
    "template.xlsx": (
        "chronology-template.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "example.csv": ("chronology-example.csv", "text/csv"),
    "example.xlsx": (
        "chronology-example.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


@login_required
def import_template(request, name: str):
    if name not in TEMPLATE_FILES:
        raise Http404("No such file.")
    filename, content_type = TEMPLATE_FILES[name]
    path = importers.template_dir() / filename
    return FileResponse(path.open("rb"), as_attachment=True, filename=filename, content_type=content_type)


@login_required
def chronology_export(request, case_id: int, fmt: str):
    case = selectors.case_for_user(request.user, case_id)
    filters = _filters(request)
    try:
        if fmt == "csv":
            body, content_type = exporters.export_csv(request.user, case, filters), "text/csv; charset=utf-8"
        elif fmt == "json":
            body, content_type = exporters.export_json(request.user, case, filters), "application/json"
        else:
            body = exporters.export_xlsx(request.user, case, filters)
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    except ValidationError as exc:
        return HttpResponseBadRequest("; ".join(exc.messages))
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="chronology-{case.reference}-{stamp}.{fmt}"'.replace(
        "/", "-"
    )
    return response
