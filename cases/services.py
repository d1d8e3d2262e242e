"""Writes on cases and people: keyword-only, atomic, validated and audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import User
from agencies.models import Agency
from audit.services import audit_record
from cases import permissions
from cases.models import Case, CaseAgency, Person

PERSON_FIELDS = (
    "given_name",
    "family_name",
    "known_as",
    "sex",
    "date_of_birth",
    "date_of_birth_precision",
    "date_of_death",
    "expected_date_of_delivery",
    "ethnicity",
    "first_language",
    "interpreter_needed",
    "nhs_number",
    "is_subject",
    "independently_mobile",
)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def case_create(
    *,
    acting_user: User,
    reference: str,
    title: str,
    lead_agency: Agency,
    legal_status: str,
    lead_professional: User | None = None,
    protection_category: str = "",
    opened_on: dt.date | None = None,
) -> Case:
    if not permissions.can_open_case(acting_user):
        raise PermissionDenied("Only social workers and administrators open cases.")
    if not permissions.can_lead_case_for(acting_user, lead_agency.pk):
        raise ValidationError({"lead_agency": ["A social worker opens cases led by their own agency."]})
    if lead_professional is None and permissions.becomes_lead_professional(acting_user):
        lead_professional = acting_user
    if lead_professional is not None and lead_professional.agency_id != lead_agency.pk:
        raise ValidationError({"lead_professional": ["The lead professional must work for the lead agency."]})
    with transaction.atomic():
        case = Case(
            reference=reference.strip(),
            title=title.strip(),
            lead_agency=lead_agency,
            legal_status=legal_status,
            lead_professional=lead_professional,
            protection_category=protection_category,
        )
        if opened_on is not None:
            case.opened_on = opened_on
        case.full_clean()
        case.save()
        CaseAgency.objects.create(case=case, agency=lead_agency, involved_by=acting_user)
        audit_record(
            actor=acting_user,
            action="case.created",
            case=case,
            obj=case,
            detail={"reference": case.reference, "lead_agency": lead_agency.pk, "legal_status": legal_status},
        )
    return case


def case_update(*, acting_user: User, case: Case, **changes: Any) -> Case:
    allowed = {"title", "legal_status", "protection_category", "status", "closed_on", "lead_professional"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({name: ["This field cannot be changed here."] for name in unknown})
    if not permissions.can_open_case(acting_user):
        raise PermissionDenied("Only social workers and administrators change a case.")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        before = {name: _jsonable(getattr(case, name)) for name in changes}
        for name, value in changes.items():
            setattr(case, name, value)
        case.full_clean()
        case.save()
        audit_record(
            actor=acting_user,
            action="case.updated",
            case=case,
            obj=case,
            detail={"before": before, "after": {k: _jsonable(v) for k, v in changes.items()}},
        )
    return case


def case_agency_involve(*, acting_user: User, case: Case, agency: Agency) -> CaseAgency:
    if not permissions.can_involve_agency(acting_user):
        raise PermissionDenied("Only social workers and administrators involve agencies in a case.")
    with transaction.atomic():
        involvement, created = CaseAgency.objects.get_or_create(
            case=case, agency=agency, defaults={"involved_by": acting_user}
        )
        if created:
            audit_record(
                actor=acting_user,
                action="case.agency_involved",
                case=case,
                obj=involvement,
                detail={"agency": agency.pk, "agency_name": agency.name},
            )
    return involvement


def person_create(*, acting_user: User, case: Case, **fields: Any) -> Person:
    if not permissions.can_edit_people(acting_user):
        raise PermissionDenied("Only social workers, managers and administrators record people.")
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationError({name: ["Unknown field."] for name in unknown})
    with transaction.atomic():
        person = Person(case=case, **fields)
        person.full_clean()
        person.save()
        audit_record(
            actor=acting_user,
            action="person.created",
            case=case,
            obj=person,
            detail={k: _jsonable(v) for k, v in fields.items() if k not in ("nhs_number",)},
        )
    return person


def person_update(*, acting_user: User, person: Person, **changes: Any) -> Person:
    if not permissions.can_edit_people(acting_user):
        raise PermissionDenied("Only social workers, managers and administrators change people's records.")
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationError({name: ["Unknown field."] for name in unknown})
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        before = {name: _jsonable(getattr(person, name)) for name in changes}
        for name, value in changes.items():
            setattr(person, name, value)
        person.full_clean()
        person.save()
        after = {name: _jsonable(value) for name, value in changes.items()}
        changed = {k: {"before": before[k], "after": after[k]} for k in changes if before[k] != after[k]}
        audit_record(actor=acting_user, action="person.updated", case=person.case, obj=person, detail=changed)
    return person
