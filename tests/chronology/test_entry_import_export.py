"""Import from CSV/XLSX (all rows or none, idempotent by agency reference) and export (masked, audited, safe)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from audit.models import AuditEvent
from chronology.importers import template_dir
from chronology.models import ChronologyEntry
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

HEADER = "Date,Time,Kind,Summary,Significance,People,Seen,Seen alone,Action,Agency reference\n"


@pytest.fixture
def marlows(case):
    """The people the shipped example file names."""
    return {
        "tia": PersonFactory(
            case=case, given_name="Tia", family_name="Marlow", date_of_birth=dt.date(2017, 3, 1), is_subject=True
        ),
        "leanne": PersonFactory(
            case=case, given_name="Leanne", family_name="Marlow", date_of_birth=dt.date(1997, 1, 1)
        ),
    }


def upload(name, content: bytes):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def post(api_as, user, case, name, content):
    return api_as(user).post(
        f"/api/v1/cases/{case.pk}/entries/import/", {"file": upload(name, content)}, format="multipart"
    )


def snapshot(case):
    return sorted(
        (e.agency_ref, e.occurred_on, e.date_precision, e.kind, e.summary, e.revision)
        for e in ChronologyEntry.objects.filter(case=case)
    )


@pytest.mark.parametrize("filename", ["chronology-example.csv", "chronology-example.xlsx"])
def test_importing_the_example_file_twice_gives_the_same_chronology(
    filename, api_as, case, marlows, users, agencies, frozen_today
):
    content = (template_dir() / filename).read_bytes()
    first = post(api_as, users.teacher, case, filename, content)
    assert first.status_code == 201, first.json()
    assert len(first.json()["created"]) == 12
    after_first = snapshot(case)
    second = post(api_as, users.teacher, case, filename, content)
    assert second.status_code == 201, second.json()
    assert second.json()["created"] == []
    assert second.json()["already_imported"] == 12
    assert snapshot(case) == after_first
    assert set(ChronologyEntry.objects.values_list("agency", flat=True)) == {agencies.school.pk}
    month_only = ChronologyEntry.objects.get(agency_ref="RPS-2025-001")
    assert (month_only.occurred_on, month_only.date_precision) == (dt.date(2025, 1, 1), "month")
    injury = ChronologyEntry.objects.get(agency_ref="RPS-2025-006")
    assert injury.injury_explanation_consistent is False
    assert list(injury.seen_alone.all()) == [marlows["tia"]]
    assert AuditEvent.objects.filter(action="entries.imported", case=case).count() == 2


def test_a_file_with_one_bad_row_imports_nothing_and_names_the_row(api_as, case, marlows, users, frozen_today):
    content = (
        HEADER
        + "2026-01-05,,school_absence,Absent,low,Tia Marlow,,,,R-1\n"
        + "2026-01-06,,no_such_kind,Absent again,low,Tia Marlow,,,,R-2\n"
        + "2026-01-07,,school_absence,Absent,low,Nobody Here,,,,R-3\n"
        + "2026-01-08,,school_absence,Absent,high,Tia Marlow,,,,R-4\n"
    ).encode()
    response = post(api_as, users.teacher, case, "school.csv", content)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {e["line"] for e in errors} == {3, 4, 5}
    assert any(e["line"] == 3 and "not a known kind" in e["message"] for e in errors)
    assert any(e["line"] == 4 and "“Nobody Here” is not a person in this case" in e["message"] for e in errors)
    assert any(e["line"] == 5 and "action taken" in e["message"] for e in errors)
    assert not ChronologyEntry.objects.exists()


def test_service_level_errors_roll_back_every_row(api_as, case, marlows, users, frozen_today):
    # The future date is only caught by the service: the earlier good row must not stay.
    content = (
        HEADER
        + "2026-01-05,,school_absence,Absent,low,Tia Marlow,,,,R-1\n"
        + "2027-01-06,,school_absence,Absent in the future,low,Tia Marlow,,,,R-2\n"
    ).encode()
    response = post(api_as, users.teacher, case, "school.csv", content)
    assert response.status_code == 400
    assert response.json()["errors"][0]["line"] == 3
    assert "today or in the past" in response.json()["errors"][0]["message"]
    assert not ChronologyEntry.objects.exists()


def test_duplicate_reference_within_a_file_is_an_error(api_as, case, marlows, users, frozen_today):
    content = (HEADER + "2026-01-05,,note,A,low,,,,,R-1\n" + "2026-01-06,,note,B,low,,,,,R-1\n").encode()
    response = post(api_as, users.teacher, case, "school.csv", content)
    assert response.status_code == 400
    assert response.json()["errors"][0]["line"] == 3
    assert "also used on line 2" in response.json()["errors"][0]["message"]


def test_unknown_column_is_an_error(api_as, case, users, frozen_today):
    response = post(api_as, users.teacher, case, "x.csv", b"Date,Kind,Summary,Agency reference,Colour\n")
    assert response.status_code == 400
    assert "“Colour” is not a column" in response.json()["errors"][0]["message"]


def test_file_over_the_size_limit_is_refused(api_as, case, users, settings, frozen_today):
    settings.CHRONOLOGY_IMPORT_MAX_BYTES = 1000
    response = post(api_as, users.teacher, case, "big.csv", HEADER.encode() + b"x" * 2000)
    assert response.status_code == 400
    assert "the limit is" in response.json()["detail"]


def _xlsx(rows):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_xlsx_with_formulas_is_refused(api_as, case, marlows, users, frozen_today):
    content = _xlsx([["Date", "Kind", "Summary", "Agency reference"], ["2026-01-05", "note", "=1+1", "R-1"]])
    response = post(api_as, users.teacher, case, "f.xlsx", content)
    assert response.status_code == 400
    assert "formulas" in response.json()["detail"] and "C2" in response.json()["detail"]
    assert not ChronologyEntry.objects.exists()


def test_xlsx_with_macros_is_refused(api_as, case, users, frozen_today):
    content = _xlsx([["Date", "Kind", "Summary", "Agency reference"]])
    buffer = io.BytesIO(content)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00macro")
    response = post(api_as, users.teacher, case, "m.xlsx", buffer.getvalue())
    assert response.status_code == 400
    assert "macros" in response.json()["detail"]
    assert post(api_as, users.teacher, case, "m.xlsm", content).status_code == 400


def test_import_page_lists_bad_rows(web_as, case, marlows, users, frozen_today):
    content = (HEADER + "2026-01-06,,no_such_kind,Absent again,low,Tia Marlow,,,,R-2\n").encode()
    response = web_as(users.teacher).post(f"/cases/{case.pk}/chronology/import/", {"file": upload("s.csv", content)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and "not a known kind" in html
    assert not ChronologyEntry.objects.exists()


def test_import_page_imports_the_example(web_as, case, marlows, users, frozen_today):
    content = (template_dir() / "chronology-example.csv").read_bytes()
    response = web_as(users.teacher).post(
        f"/cases/{case.pk}/chronology/import/", {"file": upload("chronology-example.csv", content)}
    )
    assert response.status_code == 302
    assert ChronologyEntry.objects.count() == 12


def test_template_files_download(web_as, users):
    response = web_as(users.teacher).get("/chronology/import-files/template.xlsx")
    assert response.status_code == 200
    header = [c.value for c in next(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.rows)]
    assert header[:4] == ["Date", "Time", "Kind", "Summary"]


def test_csv_export_neutralises_formulas_and_is_audited(web_as, case, people, users, make_entry, frozen_today):
    make_entry(summary='=HYPERLINK("http://x")', detail="+1", action="-2", outcome="@SUM(A1)")
    response = web_as(users.sw).get(f"/cases/{case.pk}/chronology/export.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Summary"] == '\'=HYPERLINK("http://x")'
    assert row["Detail"] == "'+1" and row["Action"] == "'-2" and row["Outcome"] == "'@SUM(A1)"
    assert AuditEvent.objects.filter(action="chronology.exported", case=case, actor=users.sw).exists()


def test_xlsx_export_follows_filters_and_masks_restricted(web_as, case, people, users, make_entry, frozen_today):
    make_entry(summary="Visit in January", occurred_on=dt.date(2026, 1, 10))
    make_entry(summary="Secret in March", occurred_on=dt.date(2026, 3, 10), restricted=True)
    make_entry(summary="=cmd", occurred_on=dt.date(2026, 3, 11))
    response = web_as(users.teacher).get(f"/cases/{case.pk}/chronology/export.xlsx?date_from=2026-02-01")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    summaries = [row[6].value for row in sheet.iter_rows(min_row=2)]
    assert summaries == ["A restricted entry exists for this date. It is held by Northshire Health Visiting.", "'=cmd"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    event = AuditEvent.objects.get(action="chronology.exported", case=case)
    assert event.detail["format"] == "xlsx" and event.detail["rows"] == 2
