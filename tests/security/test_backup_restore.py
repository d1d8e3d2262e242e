"""Backup and restore drill: dump everything, empty the database, restore, and find every
entry, revision and audit row back, with the audit chain intact."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.backup import backed_up_labels
from audit.models import AuditEvent
from audit.selectors import audit_chain_report
from audit.services import audit_record
from chronology.models import ChronologyEntry, EntryRevision
from chronology.services import entry_amend, entry_create, entry_retract
from genogram.services import household_create, household_member_add, relationship_create

pytestmark = pytest.mark.django_db(transaction=True)


def _all_rows() -> dict[str, list[dict]]:
    """Every backed-up row, as plain data keyed by model, for comparing before and after."""
    from django.apps import apps

    rows = {}
    for label in backed_up_labels():
        model = apps.get_model(label)
        rows[label] = serializers.serialize("python", model._base_manager.order_by("pk"), use_natural_foreign_keys=True)
    return rows


@pytest.fixture
def recorded_case(users, case, people):
    first = entry_create(
        acting_user=users.hv,
        case=case,
        occurred_on=dt.date(2026, 1, 5),
        kind="appointment_missed",
        summary="Kit not brought to the 8-week check — café ✓",
        subjects=[people.baby.pk],
        agency_ref="HV-1",
        today=dt.date(2026, 2, 1),
    )
    entry_amend(
        acting_user=users.hv,
        entry=first,
        reason="Date corrected",
        expected_revision=1,
        occurred_on=dt.date(2026, 1, 6),
        today=dt.date(2026, 2, 1),
    )
    second = entry_create(
        acting_user=users.teacher,
        case=case,
        occurred_on=dt.date(2026, 1, 9),
        kind="school_absence",
        summary="Robin absent all week",
        subjects=[people.child.pk],
        restricted=True,
        today=dt.date(2026, 2, 1),
    )
    entry_retract(acting_user=users.teacher, entry=second, reason="Recorded on the wrong case", expected_revision=1)
    relationship_create(
        acting_user=users.sw, case=case, kind="biological_parent", from_person=people.mother, to_person=people.child
    )
    home = household_create(acting_user=users.sw, case=case, label="Flat 2")
    household_member_add(acting_user=users.sw, household=home, person=people.child, from_date=dt.date(2021, 4, 4))
    audit_record(actor=users.manager, action="audit.read", case=case)
    return case


def test_restore_into_an_emptied_database_brings_back_every_row(recorded_case, tmp_path):
    backup = tmp_path / "backup.json"
    call_command("backup_data", out=backup, stdout=StringIO())
    before = _all_rows()
    assert len(before["chronology.ChronologyEntry"]) == 2
    assert len(before["chronology.EntryRevision"]) == 4
    assert len(before["audit.AuditEvent"]) > 5

    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    assert not ChronologyEntry.objects.exists()

    out = StringIO()
    call_command("restore_data", str(backup), stdout=out)

    after = _all_rows()
    restored_event = after["audit.AuditEvent"].pop()
    assert restored_event["fields"]["action"] == "backup.restored"
    assert after == before
    assert EntryRevision.objects.filter(entry__agency_ref="HV-1").count() == 2
    assert ChronologyEntry.objects.get(restricted=True).retracted
    assert audit_chain_report().ok
    assert "audit chain verified" in out.getvalue()


def test_restored_database_accepts_new_entries_and_audit_rows(recorded_case, tmp_path, users):
    backup = tmp_path / "backup.json"
    call_command("backup_data", out=backup, stdout=StringIO())
    call_command("flush", interactive=False, verbosity=0)
    call_command("restore_data", str(backup), stdout=StringIO())

    from accounts.models import User
    from cases.models import Case

    hv = User.objects.get(username="hv_involved")
    entry = entry_create(
        acting_user=hv,
        case=Case.objects.get(reference="NS-0001"),
        occurred_on=dt.date(2026, 1, 20),
        kind="home_visit_no_access",
        summary="No answer at the door",
        today=dt.date(2026, 2, 1),
    )

    assert entry.pk > max(ChronologyEntry.objects.exclude(pk=entry.pk).values_list("pk", flat=True))
    assert audit_chain_report().ok


def test_restore_refuses_a_database_that_already_holds_data(recorded_case, tmp_path):
    backup = tmp_path / "backup.json"
    call_command("backup_data", out=backup, stdout=StringIO())
    rows_before = AuditEvent.objects.count()

    with pytest.raises(CommandError, match="freshly migrated database"):
        call_command("restore_data", str(backup), stdout=StringIO())

    assert AuditEvent.objects.count() == rows_before


def test_restore_refuses_a_backup_whose_audit_rows_were_altered(recorded_case, tmp_path):
    backup = tmp_path / "backup.json"
    call_command("backup_data", out=backup, stdout=StringIO())
    text = backup.read_text()
    assert '"action": "entry.amended"' in text or '"action":"entry.amended"' in text
    backup.write_text(text.replace("entry.amended", "entry.viewed", 1))
    call_command("flush", interactive=False, verbosity=0)

    with pytest.raises(CommandError, match="audit chain is broken"):
        call_command("restore_data", str(backup), stdout=StringIO())

    assert not AuditEvent.objects.exists()
    assert not ChronologyEntry.objects.exists()


def test_restore_takes_a_backup_written_before_cases_moved_app(recorded_case, tmp_path):
    """Backups written before Case, Person and CaseAgency moved to the cases app name them
    chronology.case, chronology.person and chronology.caseagency; they restore as they were."""
    backup = tmp_path / "backup.json"
    call_command("backup_data", out=backup, stdout=StringIO())
    rows = json.loads(backup.read_text())
    old_labels = {"cases.case": "chronology.case", "cases.person": "chronology.person"}
    old_labels["cases.caseagency"] = "chronology.caseagency"
    for row in rows:
        row["model"] = old_labels.get(row["model"], row["model"])
    assert {"chronology.case", "chronology.person", "chronology.caseagency"} <= {row["model"] for row in rows}
    backup.write_text(json.dumps(rows))
    call_command("flush", interactive=False, verbosity=0)

    call_command("restore_data", str(backup), stdout=StringIO())

    from cases.models import Case

    restored = Case.objects.get(pk=recorded_case.pk)
    assert restored.people.count() == sum(row["model"] == "chronology.person" for row in rows) > 0
    assert restored.involvements.count() == sum(row["model"] == "chronology.caseagency" for row in rows) > 0
    assert audit_chain_report().ok
