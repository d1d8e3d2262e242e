"""Export the merged chronology (with the filters in use) to CSV or XLSX, masked and audited.

Cells that a spreadsheet would run as a formula (starting with = + - @, or a tab or carriage
return) get a leading apostrophe, so an export can never carry a formula into someone's Excel.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import orjson

from audit.services import audit_record
from chronology import selectors_entries
from chronology.models import Case, Person

HEADERS = [
    "Entry id",
    "Date",
    "Date precision",
    "Time",
    "Agency",
    "Kind",
    "Summary",
    "Detail",
    "Child's voice",
    "Significance",
    "People",
    "Present",
    "Seen",
    "Seen alone",
    "Source",
    "Injury body site",
    "Injury type",
    "Injury explanation",
    "Explanation consistent",
    "Action",
    "Outcome",
    "No action reason",
    "Agency reference",
    "Restricted",
    "Revision",
    "Amended",
    "Retracted",
    "Recorded at",
    "Recorded by",
]

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 1000


def neutralise(value) -> str:
    """Make a cell safe to open in a spreadsheet: formula-like text gets a leading apostrophe."""
    text = "" if value is None else str(value)
    if text.startswith(DANGEROUS_START):
        return "'" + text
    return text


def _names(ids, names: dict[int, str]) -> str:
    return "; ".join(names.get(pk, "") for pk in ids)


def _yes_no(value) -> str:
    return {True: "yes", False: "no"}.get(value, "")


def row_for(view: selectors_entries.EntryView, people: dict[str, list[int]], names: dict[int, str]) -> list[str]:
    e = view.entry
    if view.masked:
        return [
            neutralise(v)
            for v in [e.pk, e.occurred_on.isoformat(), e.date_precision, "", e.agency.name, "", view.placeholder]
            + [""] * 16
            + ["yes", e.revision, _yes_no(e.amended), _yes_no(e.retracted), "", ""]
        ]
    values = [
        e.pk,
        e.occurred_on.isoformat() if e.date_precision == "day" else view.date_display,
        e.date_precision,
        e.occurred_time.strftime("%H:%M") if e.occurred_time else "",
        e.agency.name,
        e.get_kind_display(),
        e.summary,
        e.detail,
        e.child_voice,
        e.significance,
        _names(people["subjects"], names),
        _names(people["present"], names),
        _names(people["seen"], names),
        _names(people["seen_alone"], names),
        e.get_source_display(),
        e.injury_body_site,
        e.injury_type,
        e.injury_explanation,
        _yes_no(e.injury_explanation_consistent),
        e.action,
        e.outcome,
        e.no_action_reason,
        e.agency_ref,
        _yes_no(e.restricted),
        e.revision,
        _yes_no(e.amended),
        _yes_no(e.retracted),
        e.recorded_at.strftime("%Y-%m-%d %H:%M"),
        e.recorded_by.display_name,
    ]
    return [neutralise(v) for v in values]


NO_PEOPLE: dict[str, list[int]] = {"subjects": [], "present": [], "seen": [], "seen_alone": []}


def iter_views(user, case: Case, filters) -> Iterator[tuple[selectors_entries.EntryView, dict[str, list[int]]]]:
    """Every entry of the filtered chronology with its people's ids, a chunk at a time.

    Keyset chunks, never OFFSET; the people of the whole case come from one query of ids."""
    qs = selectors_entries.entries_for_case(user, case, filters)
    links = selectors_entries.people_links(case=case)
    cursor = None
    while True:
        page = selectors_entries.keyset_page(qs, cursor, CHUNK)
        for view in selectors_entries.present_entries(user, case, page.rows):
            yield view, links.get(view.id, NO_PEOPLE)
        if not page.next_cursor:
            return
        cursor = page.next_cursor


def iter_rows(user, case: Case, filters) -> Iterator[list[str]]:
    """All rows of the filtered chronology, with people named once per case, not once per entry."""
    names = {p.pk: p.full_name for p in Person.objects.filter(case=case).only("given_name", "family_name", "known_as")}
    for view, people in iter_views(user, case, filters):
        yield row_for(view, people, names)


def _filters_json(filters) -> dict:
    if not filters:
        return {}
    if hasattr(filters, "lists"):
        return {k: v if len(v) > 1 else v[0] for k, v in filters.lists()}
    return dict(filters)


def _audit(user, case: Case, filters, fmt: str, count: int) -> None:
    audit_record(
        actor=user,
        action="chronology.exported",
        case=case,
        detail={"format": fmt, "filters": _filters_json(filters), "rows": count},
    )


def export_csv(user, case: Case, filters) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    count = 0
    for row in iter_rows(user, case, filters):
        writer.writerow(row)
        count += 1
    _audit(user, case, filters, "csv", count)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_json(user, case: Case, filters) -> bytes:
    """The entries as the API gives them (Entry JSON, restricted ones as placeholders), with orjson."""
    from chronology.api.entries import entry_json

    links = selectors_entries.people_links(case=case)
    qs = selectors_entries.entries_for_case(user, case, filters)
    entries = [
        entry_json(view, NO_PEOPLE if view.masked else links.get(view.id, NO_PEOPLE))
        for view in selectors_entries.entry_rows(user, case, qs)
    ]
    _audit(user, case, filters, "json", len(entries))
    return orjson.dumps({"case": case.reference, "count": len(entries), "entries": entries})


def export_xlsx(user, case: Case, filters) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Chronology")
    sheet.append(HEADERS)
    count = 0
    for row in iter_rows(user, case, filters):
        sheet.append(row)
        count += 1
    out = io.BytesIO()
    workbook.save(out)
    _audit(user, case, filters, "xlsx", count)
    return out.getvalue()
