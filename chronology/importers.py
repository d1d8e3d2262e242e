"""Import an agency's chronology from CSV or XLSX in the documented template: all rows or none.

The template (docs/import/README.md) has one row per event. Every row is checked before anything
is written; a file with a bad row imports nothing and reports every bad row with its line number
and the reason. Rows whose agency reference is already in the case are left alone, so importing
the same file twice gives the same chronology.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from audit.services import audit_record
from cases.models import Case, Person
from chronology import services as entry_services
from chronology.models import (
    AdultCheckResult,
    AdultCheckType,
    ChronologyEntry,
    EntryDatePrecision,
    EntryKind,
    EntrySource,
    Significance,
    SleepSpace,
)


def template_dir() -> Path:
    """Where the template and the example file live (docs/import/)."""
    return Path(settings.BASE_DIR) / "docs" / "import"


# Column header (as written in the template) -> internal name. Headers match case-insensitively,
# ignoring spaces, underscores and apostrophes.
COLUMNS = {
    "Date": "occurred_on",
    "Time": "occurred_time",
    "Kind": "kind",
    "Summary": "summary",
    "Detail": "detail",
    "Child's voice": "child_voice",
    "Significance": "significance",
    "People": "subjects",
    "Present": "present",
    "Seen": "seen",
    "Seen alone": "seen_alone",
    "Source": "source",
    "Injury body site": "injury_body_site",
    "Injury type": "injury_type",
    "Injury explanation": "injury_explanation",
    "Explanation consistent": "injury_explanation_consistent",
    "Check made": "adult_check_type",
    "Check result": "adult_check_result",
    "Safer sleep advice given": "safer_sleep_advice_given",
    "Co-sleeping": "safer_sleep_co_sleeping",
    "Sleep space": "safer_sleep_space",
    "Action": "action",
    "Outcome": "outcome",
    "No action reason": "no_action_reason",
    "Agency reference": "agency_ref",
    "Restricted": "restricted",
}
REQUIRED = ("occurred_on", "kind", "summary", "agency_ref")
LABELS = {internal: header for header, internal in COLUMNS.items()}


def _key(header: str) -> str:
    return re.sub(r"[\s_'’]+", "", str(header or "")).lower()


HEADER_LOOKUP = {_key(header): internal for header, internal in COLUMNS.items()}
HEADER_LOOKUP.update({_key(internal): internal for internal in COLUMNS.values()})
HEADER_LOOKUP.update({"agencyref": "agency_ref", "subjects": "subjects", "reference": "agency_ref"})


@dataclass
class RowError:
    line: int
    field: str
    message: str


@dataclass
class ImportResult:
    rows: int = 0
    created: list[ChronologyEntry] = field(default_factory=list)
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    message: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and not self.message


class ImportRefused(Exception):
    """The whole file is refused (too big, wrong format, formulas or macros)."""


def max_bytes() -> int:
    return settings.CHRONOLOGY_IMPORT_MAX_BYTES


def max_rows() -> int:
    return settings.CHRONOLOGY_IMPORT_MAX_ROWS


# --- Reading the file ----------------------------------------------------------------------------


def _read_csv(data: bytes) -> list[tuple[int, list[Any]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused("The CSV file is not UTF-8 text: save it as “CSV UTF-8” and try again.") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    try:
        for row in reader:
            rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise ImportRefused(f"The CSV file could not be read (line {reader.line_num}): {exc}.") from None
    return rows


def _read_xlsx(data: bytes) -> list[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ImportRefused("The file is not a valid XLSX workbook.") from None
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise ImportRefused("The workbook contains macros: macros are not accepted. Save it as a plain .xlsx file.")
    if unpacked > 20 * max_bytes():
        raise ImportRefused("The workbook unpacks to too much data to import.")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds of error for damaged files
        raise ImportRefused(f"The XLSX workbook could not be read: {exc.__class__.__name__}.") from None
    sheet = workbook.worksheets[0]
    rows = []
    formulas = []
    for index, row in enumerate(sheet.iter_rows(), start=1):
        values = []
        for cell in row:
            if getattr(cell, "data_type", None) == "f":
                formulas.append(cell.coordinate)
            values.append(cell.value)
        rows.append((index, values))
        if len(rows) > max_rows() + 1:
            break
    workbook.close()
    if formulas:
        shown = ", ".join(formulas[:10]) + (" and more" if len(formulas) > 10 else "")
        raise ImportRefused(
            f"The workbook contains formulas ({shown}): formulas are not accepted. Paste the values instead."
        )
    return rows


def read_rows(filename: str, data: bytes) -> list[tuple[int, list[Any]]]:
    name = (filename or "").lower()
    if name.endswith((".xlsm", ".xltm", ".xls", ".xlsb")):
        raise ImportRefused("Macro-enabled and old Excel workbooks are not accepted: save the sheet as .xlsx or CSV.")
    if name.endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    if name.endswith((".csv", ".txt")) or not name:
        return _read_csv(data)
    raise ImportRefused("Upload a .csv or .xlsx file in the chronology template.")


# --- Parsing cells -------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_date(value: Any) -> tuple[dt.date, str]:
    """A date and its precision: 2024-05-17 or 17/05/2024 (day), 2024-05 or 05/2024 (month), 2024 (year)."""
    if isinstance(value, dt.datetime):
        return value.date(), EntryDatePrecision.DAY
    if isinstance(value, dt.date):
        return value, EntryDatePrecision.DAY
    text = _text(value)
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
            return dt.date(int(m[1]), int(m[2]), int(m[3])), EntryDatePrecision.DAY
        if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
            return dt.date(int(m[3]), int(m[2]), int(m[1])), EntryDatePrecision.DAY
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
            return dt.date(int(m[1]), int(m[2]), 1), EntryDatePrecision.MONTH
        if m := re.fullmatch(r"(\d{1,2})/(\d{4})", text):
            return dt.date(int(m[2]), int(m[1]), 1), EntryDatePrecision.MONTH
        if m := re.fullmatch(r"(\d{4})", text):
            return dt.date(int(m[1]), 1, 1), EntryDatePrecision.YEAR
    except ValueError:
        pass
    raise ValueError(
        f"“{text}” is not a date: write 2024-05-17 or 17/05/2024, 2024-05 for a month, or 2024 for a year."
    )


def parse_time(value: Any) -> dt.time | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    text = _text(value)
    if m := re.fullmatch(r"(\d{1,2})[:.](\d{2})(?::\d{2})?", text):
        hour, minute = int(m[1]), int(m[2])
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    raise ValueError(f"“{text}” is not a time: write it as 14:30, or leave it empty.")


def _choice(value: Any, choices, what: str, default=None) -> str:
    text = _text(value)
    if not text:
        if default is not None:
            return default
        raise ValueError(f"Give the {what}.")
    for code, label in choices:
        if text.lower() in (code, label.lower()) or _key(text) == _key(code):
            return code
    raise ValueError(f"“{text}” is not a known {what}.")


def _yes_no(value: Any, what: str, *, allow_none: bool) -> bool | None:
    text = _text(value).lower()
    if text in ("yes", "y", "true", "1"):
        return True
    if text in ("no", "n", "false", "0"):
        return False
    if text == "" or (allow_none and text in ("unknown", "not known")):
        return None if allow_none else False
    raise ValueError(f"“{_text(value)}” is not yes or no ({what}).")


class PeopleMatcher:
    """Names in the file to the case's people: full name, given name or an alias, or #id."""

    def __init__(self, case: Case):
        self.people = list(Person.objects.live().filter(case=case))
        self.index: dict[str, set[int]] = {}
        self.by_id = {p.pk: p for p in self.people}
        for p in self.people:
            names = {p.full_name, p.given_name, f"{p.given_name} {p.family_name}"}
            names.update(alias.strip() for alias in p.known_as.split(","))
            for name in names:
                if name and name.strip():
                    self.index.setdefault(name.strip().lower(), set()).add(p.pk)

    def match(self, cell: Any) -> list[Person]:
        found = []
        for raw in re.split(r"[;\n]", _text(cell)):
            name = raw.strip()
            if not name:
                continue
            if m := re.fullmatch(r"#(\d{1,19})", name):
                person = self.by_id.get(int(m[1]))
                if person is None:
                    raise ValueError(f"There is no person #{m[1]} in this case.")
                found.append(person)
                continue
            ids = self.index.get(name.lower(), set())
            if not ids:
                raise ValueError(f"“{name}” is not a person in this case: use the name shown on the case's people.")
            if len(ids) > 1:
                raise ValueError(f"“{name}” matches more than one person in this case: use the full name.")
            found.append(self.by_id[next(iter(ids))])
        return found


def parse_row(values: dict[str, Any], matcher: PeopleMatcher) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    fields: dict[str, Any] = {}
    errors: list[tuple[str, str]] = []

    def attempt(name, fn):
        try:
            return fn()
        except ValueError as exc:
            errors.append((LABELS.get(name, name), str(exc)))
            return None

    for name in REQUIRED:
        if not _text(values.get(name)):
            errors.append((LABELS[name], f"The {LABELS[name].lower()} is missing."))
    if _text(values.get("occurred_on")):
        parsed = attempt("occurred_on", lambda: parse_date(values["occurred_on"]))
        if parsed:
            fields["occurred_on"], fields["date_precision"] = parsed
    fields["occurred_time"] = attempt("occurred_time", lambda: parse_time(values.get("occurred_time")))
    if _text(values.get("kind")):
        fields["kind"] = attempt("kind", lambda: _choice(values["kind"], EntryKind.choices, "kind of entry"))
    fields["significance"] = attempt(
        "significance",
        lambda: _choice(values.get("significance"), Significance.choices, "significance", Significance.MEDIUM),
    )
    fields["source"] = attempt(
        "source", lambda: _choice(values.get("source"), EntrySource.choices, "source", EntrySource.OBSERVED)
    )
    fields["injury_explanation_consistent"] = attempt(
        "injury_explanation_consistent",
        lambda: _yes_no(values.get("injury_explanation_consistent"), "explanation consistent", allow_none=True),
    )
    for name, choices, what in (
        ("adult_check_type", AdultCheckType.choices, "check"),
        ("adult_check_result", AdultCheckResult.choices, "check result"),
        ("safer_sleep_space", SleepSpace.choices, "sleep space"),
    ):
        fields[name] = attempt(
            name, lambda name=name, choices=choices, what=what: _choice(values.get(name), choices, what, "")
        )
    for name, what in (
        ("safer_sleep_advice_given", "safer sleep advice given"),
        ("safer_sleep_co_sleeping", "co-sleeping"),
    ):
        fields[name] = attempt(name, lambda name=name, what=what: _yes_no(values.get(name), what, allow_none=True))
    fields["restricted"] = bool(
        attempt("restricted", lambda: _yes_no(values.get("restricted"), "restricted", allow_none=False))
    )
    for name in ("subjects", "present", "seen", "seen_alone"):
        fields[name] = attempt(name, lambda name=name: matcher.match(values.get(name))) or []
    for name in (
        "summary",
        "detail",
        "child_voice",
        "injury_body_site",
        "injury_type",
        "injury_explanation",
        "action",
        "outcome",
        "no_action_reason",
        "agency_ref",
    ):
        fields[name] = _text(values.get(name))
    return fields, errors


# --- The import ----------------------------------------------------------------------------------


def _service_errors(exc: ValidationError) -> list[tuple[str, str]]:
    if not hasattr(exc, "error_dict"):
        return [("", m) for m in exc.messages]
    out = []
    for name, messages in exc.message_dict.items():
        for message in messages:
            out.append((LABELS.get(name, "" if name in ("__all__", "detail") else name), message))
    return out


def import_entries(*, acting_user, case: Case, upload, today: dt.date | None = None) -> ImportResult:
    """Import every row of the file as entries of the user's agency, or none of them."""
    result = ImportResult()
    size = getattr(upload, "size", None)
    limit = max_bytes()
    if size is not None and size > limit:
        result.message = (
            f"The file is {size / 1024 / 1024:.1f} MB: the limit is {limit / 1024 / 1024:.1f} MB. "
            "Split the chronology into smaller files."
        )
        return result
    data = upload.read(limit + 1)
    if len(data) > limit:
        result.message = f"The file is bigger than the limit of {limit / 1024 / 1024:.1f} MB."
        return result
    if acting_user.agency is None:
        result.message = "Import as a user of the agency whose chronology this is."
        return result
    try:
        raw_rows = read_rows(getattr(upload, "name", ""), data)
    except ImportRefused as exc:
        result.message = str(exc)
        return result
    # The header is the first row with any text in it.
    while raw_rows and not any(_text(v) for v in raw_rows[0][1]):
        raw_rows.pop(0)
    if not raw_rows:
        result.message = "The file is empty: use the chronology template, with its header row."
        return result
    header_line, header = raw_rows[0]
    columns: list[str | None] = []
    for value in header:
        text = _text(value)
        if not text:
            columns.append(None)
            continue
        internal = HEADER_LOOKUP.get(_key(text))
        if internal is None:
            result.errors.append(RowError(header_line, text, f"“{text}” is not a column of the chronology template."))
        columns.append(internal)
    missing = [LABELS[name] for name in REQUIRED if name not in columns]
    if missing:
        result.errors.append(RowError(header_line, "", f"The header row lacks the column(s): {', '.join(missing)}."))
    if result.errors:
        return result
    data_rows = [(line, row) for line, row in raw_rows[1:] if any(_text(v) for v in row)]
    if len(data_rows) > max_rows():
        result.message = f"The file has more than {max_rows()} rows: split it into smaller files."
        return result
    result.rows = len(data_rows)
    matcher = PeopleMatcher(case)
    agency = acting_user.agency
    existing = set(
        ChronologyEntry.objects.filter(case=case, agency=agency)
        .exclude(agency_ref="")
        .values_list("agency_ref", flat=True)
    )
    seen_refs: dict[str, int] = {}
    parsed: list[tuple[int, dict[str, Any]]] = []
    for line, row in data_rows:
        values = {name: row[i] if i < len(row) else None for i, name in enumerate(columns) if name}
        fields, errors = parse_row(values, matcher)
        ref = fields.get("agency_ref", "")
        if ref and ref in seen_refs:
            message = f"“{ref}” is also used on line {seen_refs[ref]}: each row needs its own reference."
            errors.append(("Agency reference", message))
        elif ref:
            seen_refs[ref] = line
        for name, message in errors:
            result.errors.append(RowError(line, name, message))
        if not errors:
            if ref in existing:
                result.skipped += 1
            else:
                parsed.append((line, fields))
    # Rows that parsed are tried through the service even when others failed, so that one answer
    # lists every problem; any error rolls the whole file back.
    with transaction.atomic():
        # One import per case at a time; then re-read the references, so a copy of the same file
        # sent at the same moment waits here and finds its rows already imported.
        list(Case.objects.select_for_update(no_key=True).filter(pk=case.pk).values_list("pk", flat=True))
        now_existing = set(
            ChronologyEntry.objects.filter(case=case, agency=agency)
            .exclude(agency_ref="")
            .values_list("agency_ref", flat=True)
        )
        kept = [(line, fields) for line, fields in parsed if fields.get("agency_ref", "") not in now_existing]
        result.skipped += len(parsed) - len(kept)
        parsed = kept
        for line, fields in parsed:
            try:
                with transaction.atomic():
                    entry = entry_services.entry_create(
                        acting_user=acting_user, case=case, today=today, audit=False, **fields
                    )
            except ValidationError as exc:
                for name, message in _service_errors(exc):
                    result.errors.append(RowError(line, name, message))
            else:
                result.created.append(entry)
        if result.errors:
            transaction.set_rollback(True)
            result.created = []
            result.errors.sort(key=lambda e: e.line)
            return result
        audit_record(
            actor=acting_user,
            action="entries.imported",
            case=case,
            detail={
                "filename": getattr(upload, "name", ""),
                "sha256": hashlib.sha256(data).hexdigest(),
                "rows": result.rows,
                "created": [e.pk for e in result.created],
                "already_imported": result.skipped,
            },
        )
    return result
