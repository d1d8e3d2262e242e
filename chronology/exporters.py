"""Export the merged chronology (with the filters in use) to CSV or XLSX, masked and audited.

Cells that a spreadsheet would run as a formula (starting with = + - @, or a tab or carriage
return) get a leading apostrophe, so an export can never carry a formula into someone's Excel.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from types import SimpleNamespace

import orjson

from audit.services import audit_record
from cases import permissions
from cases.models import Case, Person
from chronology import selectors as entry_selectors
from chronology.models import format_entry_date
from chronology.selectors import AgencyName
from core.collector import collector_paused

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
    "Check made",
    "Check result",
    "Safer sleep advice given",
    "Co-sleeping",
    "Sleep space",
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


def row_for(view: entry_selectors.EntryView, people: dict[str, list[int]], names: dict[int, str]) -> list[str]:
    e = view.entry
    if view.masked:
        return [
            neutralise(v)
            for v in [e.pk, e.occurred_on.isoformat(), e.date_precision, "", e.agency.name, "", view.placeholder]
            + [""] * 21
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
        e.get_adult_check_type_display(),
        e.get_adult_check_result_display(),
        _yes_no(e.safer_sleep_advice_given),
        _yes_no(e.safer_sleep_co_sleeping),
        e.get_safer_sleep_space_display(),
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


def iter_views(user, case: Case, filters) -> Iterator[tuple[entry_selectors.EntryView, dict[str, list[int]]]]:
    """Every entry of the filtered chronology with its people's ids, a chunk at a time.

    Keyset chunks, never OFFSET; the people of the whole case come from one query of ids."""
    qs = entry_selectors.entries_for_case(user, case, filters)
    links = entry_selectors.people_links(case=case)
    cursor = None
    while True:
        page = entry_selectors.entry_page(qs, cursor, CHUNK)
        for view in entry_selectors.present_entries(user, case, page.rows):
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


# What export_json reads of each entry, in the order its rows unpack (values_list tuples, no model objects).
JSON_COLUMNS = (
    "id",
    "occurred_on",
    "occurred_time",
    "date_precision",
    "agency_id",
    "agency__name",
    "kind",
    "summary",
    "detail",
    "child_voice",
    "significance",
    "source",
    "injury_body_site",
    "injury_type",
    "injury_explanation",
    "injury_explanation_consistent",
    "adult_check_type",
    "adult_check_result",
    "safer_sleep_advice_given",
    "safer_sleep_co_sleeping",
    "safer_sleep_space",
    "action",
    "outcome",
    "no_action_reason",
    "agency_ref",
    "restricted",
    "revision",
    "amended",
    "retracted",
    "recorded_at",
    "recorded_by_id",
)
NOBODY: tuple[list[int], list[int], list[int], list[int]] = ([], [], [], [])


def export_json(user, case: Case, filters) -> bytes:
    """The entries as the API gives them (Entry JSON, restricted ones as placeholders), with orjson.

    Built straight from values_list rows and one query of people links (arrays per entry on
    PostgreSQL): the same JSON as chronology.api.entries.entry_json, key for key, without an
    EntryView or a dict of people per entry. orjson writes dates and times itself (ISO 8601).
    """
    qs = entry_selectors.entries_for_case(user, case, filters)
    with collector_paused():
        body, count = _entries_json(user, case, qs)
    _audit(user, case, filters, "json", count)
    return body


def _entries_json(user, case: Case, qs) -> tuple[bytes, int]:
    people = entry_selectors.people_arrays(qs)
    dates: dict[tuple, str] = {}
    times: dict = {None: None}
    entries = []
    append = entries.append
    for (
        pk,
        occurred_on,
        occurred_time,
        precision,
        agency_id,
        agency_name,
        kind,
        summary,
        detail,
        child_voice,
        significance,
        source,
        body_site,
        injury_type,
        injury_explanation,
        consistent,
        check_type,
        check_result,
        advice_given,
        co_sleeping,
        sleep_space,
        action,
        outcome,
        no_action_reason,
        agency_ref,
        restricted,
        revision,
        amended,
        retracted,
        recorded_at,
        recorded_by_id,
    ) in qs.values_list(*JSON_COLUMNS):
        display = dates.get((occurred_on, precision))
        if display is None:
            display = dates[(occurred_on, precision)] = format_entry_date(occurred_on, precision)
        if restricted:
            if not permissions.can_read_restricted(user, case, agency_id):
                append(
                    _masked_json(
                        pk, occurred_on, precision, display, agency_id, agency_name, revision, amended, retracted
                    )
                )
                continue
            seen_by = SimpleNamespace(
                pk=pk, restricted=True, agency_id=agency_id, agency=AgencyName(agency_id, agency_name)
            )
            entry_selectors.audit_admin_restricted_read(user, case, seen_by, False)
        hhmm = times.get(occurred_time)
        if hhmm is None and occurred_time is not None:
            hhmm = times[occurred_time] = occurred_time.isoformat(timespec="minutes")
        subjects, present, seen, seen_alone = people.get(pk, NOBODY)
        append(
            {
                "id": pk,
                "occurred_on": occurred_on,
                "date_precision": precision,
                "date_display": display,
                "agency": agency_id,
                "agency_name": agency_name,
                "restricted": restricted,
                "revision": revision,
                "amended": amended,
                "retracted": retracted,
                "masked": False,
                "occurred_time": hhmm,
                "kind": kind,
                "summary": summary,
                "detail": detail,
                "child_voice": child_voice,
                "significance": significance,
                "subjects": subjects,
                "present": present,
                "seen": seen,
                "seen_alone": seen_alone,
                "source": source,
                "injury": {
                    "body_site": body_site,
                    "injury_type": injury_type,
                    "explanation": injury_explanation,
                    "explanation_consistent": consistent,
                }
                if body_site or injury_type or injury_explanation
                else None,
                "adult_check": {"check": check_type, "result": check_result} if check_type or check_result else None,
                "safer_sleep": {"advice_given": advice_given, "co_sleeping": co_sleeping, "sleep_space": sleep_space}
                if advice_given is not None or co_sleeping is not None or sleep_space
                else None,
                "action": action,
                "outcome": outcome,
                "no_action_reason": no_action_reason,
                "agency_ref": agency_ref,
                "recorded_at": recorded_at,
                "recorded_by": recorded_by_id,
            }
        )
    body = orjson.dumps({"case": case.reference, "count": len(entries), "entries": entries}, default=_isoformat)
    return body, len(entries)


def _isoformat(value) -> str:
    """Dates and times of a subclass orjson does not write itself (as a test clock makes), in ISO 8601 too."""
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _masked_json(pk, occurred_on, precision, display, agency_id, agency_name, revision, amended, retracted) -> dict:
    """A restricted entry this user may not read: what entry_json gives for a placeholder."""
    return {
        "id": pk,
        "occurred_on": occurred_on,
        "date_precision": precision,
        "date_display": display,
        "agency": agency_id,
        "agency_name": agency_name,
        "restricted": True,
        "revision": revision,
        "amended": amended,
        "retracted": retracted,
        "masked": True,
        "occurred_time": None,
        "kind": None,
        "summary": f"A restricted entry exists for this date. It is held by {agency_name}.",
        "detail": "",
        "child_voice": "",
        "significance": None,
        "subjects": [],
        "present": [],
        "seen": [],
        "seen_alone": [],
        "source": None,
        "injury": None,
        "adult_check": None,
        "safer_sleep": None,
        "action": "",
        "outcome": "",
        "no_action_reason": "",
        "agency_ref": "",
        "recorded_at": None,
        "recorded_by": None,
    }


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
