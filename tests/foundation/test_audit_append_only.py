"""Audit rows are append-only: the ORM refuses to change or remove them."""

import pytest

from audit.models import AppendOnlyError, AuditEvent
from audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(case, users):
    return audit_record(actor=users.sw, action="case.viewed", case=case)


def test_saving_an_existing_row_raises(event):
    event.action = "case.nothing_to_see"

    with pytest.raises(AppendOnlyError):
        event.save()

    assert AuditEvent.objects.get(pk=event.pk).action == "case.viewed"


def test_queryset_update_raises(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="case.nothing_to_see")

    assert AuditEvent.objects.get(pk=event.pk).action == "case.viewed"


def test_queryset_delete_raises(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_manager_delete_of_all_rows_raises(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()

    assert AuditEvent.objects.count() == 1


def test_instance_delete_raises(event):
    with pytest.raises(AppendOnlyError):
        event.delete()

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_bulk_update_raises(event):
    event.action = "case.nothing_to_see"

    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["action"])

    assert AuditEvent.objects.get(pk=event.pk).action == "case.viewed"


def test_update_or_create_of_an_existing_row_raises(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update_or_create(pk=event.pk, defaults={"action": "case.nothing_to_see"})

    assert AuditEvent.objects.get(pk=event.pk).action == "case.viewed"


def test_new_rows_can_still_be_added(event, users):
    audit_record(actor=users.hv, action="case.read", case=event.case)

    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["case.viewed", "case.read"]


def test_a_case_with_audit_rows_cannot_be_deleted(event, case):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        case.delete()
