from __future__ import annotations

from django.db import transaction

from accounts.models import User
from agencies.models import Agency
from audit.services import audit_record


def agency_create(*, acting_user: User | None, name: str, kind: str, area: str = "") -> Agency:
    with transaction.atomic():
        agency = Agency(name=name, kind=kind, area=area)
        agency.full_clean()
        agency.save()
        audit_record(actor=acting_user, action="agency.created", obj=agency, detail={"name": name, "kind": kind})
    return agency
