"""The chronology page: the merged table with its filters, import and export. Thin: the case comes from
the access selector, entries from chronology.selectors (masked), writes from chronology.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import ValidationError as DjangoFormsValidationError
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
from core.bounds import is_db_id
from core.forms import DATE_PARTS, DateParts, GovukDateField, GovukDateInput, add_service_errors
from core.pagination import InvalidCursor, PageLinks, invalid_cursor_context, last_page_cursor, page_url

PAGE_SIZE = 50
FILTER_PARAMS = ("date_from", "date_to", "agency", "kind", "person", "significance", "q")
# The page opens at the latest entries; packs and exports keep oldest first.
PAGE_ORDER = "newest"


DATE_FILTERS = ("date_from", "date_to")


def _filters(request):
    """The filter part of the query string, as EntryFilter reads it (empty values dropped). Dates
    typed in the GOV.UK day, month and year boxes become one YYYY-MM-DD value under the field's
    name, the form links, exports and the timeline carry; a date that is not real stays as typed,
    for EntryFilter to refuse (the page's form says what is wrong with it first)."""
    data = request.GET.copy()
    for name in DATE_FILTERS:
        typed = GovukDateInput().value_from_datadict(data, {}, name)
        for part in DATE_PARTS:
            data.pop(f"{name}-{part}", None)
        if isinstance(typed, DateParts):
            try:
                on = GovukDateField(required=False).clean(typed)
            except DjangoFormsValidationError:
                data[name] = "-".join((typed.year, typed.month, typed.day))
            else:
                data[name] = on.isoformat() if on else ""
    for name in list(data.keys()):
        if name not in FILTER_PARAMS or not any(data.getlist(name)):
            data.pop(name)
    return data


def _order(request) -> str:
    order = request.GET.get("order")
    return order if order in entry_selectors.ORDERS else PAGE_ORDER


def highlighted_ids(request) -> set[int]:
    ids = set()
    for raw in request.GET.get("highlight", "").split(","):
        if is_db_id(raw):  # ids past the database's range would fail the lookup, not just miss
            ids.add(int(raw.strip()))
    return ids


def filtered_entries(request, case, *, with_order: bool = False):
    """(filter form, filters, queryset or None when the filters are invalid)."""
    filters = _filters(request)
    data = request.GET.copy()
    data.pop("cursor", None)
    if with_order:
        data["order"] = _order(request)
    form = ChronologyFilterForm(
        data if filters or with_order and "order" in request.GET else None, case=case, with_order=with_order
    )
    if form.is_bound and not form.is_valid():
        return form, filters, None
    try:
        qs = entry_selectors.entries_for_case(request.user, case, filters)
    except ValidationError as exc:
        if form.is_bound:
            add_service_errors(form, exc)
        return form, filters, None
    return form, filters, qs


@login_required
def chronology(request, case_id: int):
    case = selectors.case_for_user(request.user, case_id)
    form, filters, qs = filtered_entries(request, case, with_order=True)
    order = _order(request)
    ordering = entry_selectors.entry_ordering(order)
    highlight = highlighted_ids(request)
    # Every link of the page keeps the filters, the order and the highlight.
    keep = filters.copy()
    if order != PAGE_ORDER:
        keep["order"] = order
    if highlight:
        keep["highlight"] = ",".join(str(i) for i in sorted(highlight))
    page = None
    rows = []
    status = 200
    invalid_page: dict[str, str] = {}
    cursor = request.GET.get("cursor")
    if qs is not None:
        if not cursor and highlight:
            cursor = entry_selectors.cursor_of_page_holding(qs, highlight, PAGE_SIZE, ordering)
        try:
            page = entry_selectors.entry_page(entry_selectors.with_people(qs), cursor, PAGE_SIZE, ordering=ordering)
        except InvalidCursor:
            invalid_page = invalid_cursor_context(request, keep=keep)
            status = 400
    if page is not None:
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
    newest_first = order == "newest"
    pages = (
        PageLinks.build(
            request,
            page,
            label="Pages of the chronology",
            previous_text="Later entries" if newest_first else "Earlier entries",
            next_text="Earlier entries" if newest_first else "Later entries",
            keep=keep,
        )
        if page
        else None
    )
    # "Jump to latest": the first page newest first, the last page oldest first; not on that page.
    latest_link = None
    if page is not None:
        at_latest = (not cursor) if newest_first else not page.next_cursor
        if not at_latest:
            latest = None if newest_first else last_page_cursor(ordering)
            latest_keep = keep.copy()
            latest_keep.pop("highlight", None)
            latest_link = page_url(request, latest, keep=latest_keep)
    sort_keep = filters.copy()
    sort_keep["order"] = "oldest" if newest_first else "newest"
    return render(
        request,
        "chronology/chronology.html",
        {
            "case": case,
            "tab": "chronology",
            "form": form,
            "rows": rows,
            "highlight": highlight,
            "pages": pages,
            "latest_link": latest_link,
            "newest_first": newest_first,
            "other_order_link": page_url(request, None, keep=sort_keep),
            "query": filters.urlencode(),
            "filtered": bool(filters),
            **invalid_page,
        },
        status=status,
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
