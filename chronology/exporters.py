"""Export the merged chronology (with the filters in use) to CSV or XLSX, masked and audited.

Cells that a spreadsheet would run as a formula (starting with = + - @, or a tab or carriage
return) get a leading apostrophe, so an export can never carry a formula into someone's Excel.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from audit.services import audit_record
from chronology import selectors_entries
from chronology.models import Case

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


def _names(people) -> str:
    return "; ".join(p.full_name for p in people)


def _yes_no(value) -> str:
    return {True: "yes", False: "no"}.get(value, "")


def row_for(view: selectors_entries.EntryView) -> list[str]:
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
        _names(e.subjects.all()),
        _names(e.present.all()),
        _names(e.seen.all()),
        _names(e.seen_alone.all()),
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


def iter_rows(user, case: Case, filters) -> Iterator[list[str]]:
    """All rows of the filtered chronology, a chunk of entries at a time (keyset, never OFFSET)."""
    qs = selectors_entries.with_people(selectors_entries.entries_for_case(user, case, filters))
    cursor = None
    while True:
        page = selectors_entries.keyset_page(qs, cursor, CHUNK)
        for view in selectors_entries.present_entries(user, case, page.rows):
            yield row_for(view)
        if not page.next_cursor:
            return
        cursor = page.next_cursor


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
