"""Writes on the family structure: keyword-only, atomic, validated and audited.

Only users who can edit people (cases.permissions.can_edit_people) change the family structure.
Records are ended, not deleted: ending a relationship or a membership keeps the history the
genogram draws at earlier dates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from agencies.models import Agency
from audit.services import audit_record
from cases import permissions
from cases.models import Case, Person
from cases.policies import refuse_if_closed
from core.bounds import text_length_errors, too_long_message
from genogram.models import EcomapLink, Household, HouseholdMember, Relationship


def _require_editor(user: User) -> None:
    if not permissions.can_edit_people(user):
        raise PermissionDenied("Only social workers, managers and administrators change the family structure.")


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _check_text(values: dict[str, Any], model: type, names: tuple[str, ...]) -> None:
    """Refuse text over its model field's limit with the message that names the limit (core.bounds),
    before any other check."""
    errors = text_length_errors(values, model, names)
    if errors:
        raise ValidationError(errors)


def _lock_people(*people: Person | None) -> None:
    """Serialise writes about the same people, so two overlapping records cannot both pass validation."""
    ids = sorted({p.pk for p in people if p is not None})
    list(Person.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


def relationship_create(
    *,
    acting_user: User,
    case: Case,
    kind: str,
    from_person: Person,
    to_person: Person,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    note: str = "",
) -> Relationship:
    _require_editor(acting_user)
    refuse_if_closed(case, "the family structure")
    _check_text({"note": note}, Relationship, ("note",))
    with transaction.atomic():
        _lock_people(from_person, to_person)
        relationship = Relationship(
            case=case,
            kind=kind,
            from_person=from_person,
            to_person=to_person,
            start_date=start_date,
            end_date=end_date,
            note=note,
            created_by=acting_user,
        )
        relationship.full_clean()
        relationship.save()
        audit_record(
            actor=acting_user,
            action="relationship.created",
            case=case,
            obj=relationship,
            detail={
                "kind": kind,
                "from_person": from_person.pk,
                "to_person": to_person.pk,
                "start_date": _iso(start_date),
                "end_date": _iso(end_date),
            },
        )
    return relationship


def _end_record[Ended: (Relationship, HouseholdMember, EcomapLink)](
    *,
    acting_user: User,
    record: Ended,
    field: str,
    on: dt.date,
    already_ended: str,
    action: str,
    case: Case,
    detail: dict[str, Any],
) -> Ended:
    """Set the end date of a dated record (locked by the caller, inside its transaction), validated and audited.

    Records are ended, never deleted: the family as it was on an earlier date stays drawable.
    """
    if record.entered_in_error_at is not None:
        raise ValidationError("This record was marked as entered in error, so it cannot be ended.")
    if getattr(record, field) is not None:
        raise ValidationError({field: [already_ended]})
    setattr(record, field, on)
    record.full_clean()
    record.save(update_fields=[field])
    audit_record(actor=acting_user, action=action, case=case, obj=record, detail=detail)
    return record


def relationship_end(*, acting_user: User, relationship: Relationship, end_date: dt.date) -> Relationship:
    _require_editor(acting_user)
    refuse_if_closed(relationship.case_id, "the family structure")
    with transaction.atomic():
        relationship = Relationship.objects.select_for_update().get(pk=relationship.pk)
        return _end_record(
            acting_user=acting_user,
            record=relationship,
            field="end_date",
            on=end_date,
            already_ended="This relationship has already ended.",
            action="relationship.ended",
            case=relationship.case,
            detail={"end_date": _iso(end_date)},
        )


def household_create(*, acting_user: User, case: Case, label: str, address: str = "") -> Household:
    _require_editor(acting_user)
    refuse_if_closed(case, "the family structure")
    label, address = label.strip(), address.strip()
    _check_text({"label": label, "address": address}, Household, ("label", "address"))
    with transaction.atomic():
        household = Household(case=case, label=label, address=address)
        household.full_clean()
        household.save()
        audit_record(
            actor=acting_user,
            action="household.created",
            case=case,
            obj=household,
            detail={"label": household.label},
        )
    return household


def household_member_add(
    *,
    acting_user: User,
    household: Household,
    person: Person,
    from_date: dt.date,
    to_date: dt.date | None = None,
) -> HouseholdMember:
    _require_editor(acting_user)
    refuse_if_closed(household.case_id, "the family structure")
    with transaction.atomic():
        _lock_people(person)
        member = HouseholdMember(household=household, person=person, from_date=from_date, to_date=to_date)
        member.full_clean()
        member.save()
        audit_record(
            actor=acting_user,
            action="household.member_added",
            case=household.case,
            obj=member,
            detail={
                "household": household.pk,
                "person": person.pk,
                "from_date": _iso(from_date),
                "to_date": _iso(to_date),
            },
        )
    return member


def household_member_end(*, acting_user: User, member: HouseholdMember, to_date: dt.date) -> HouseholdMember:
    _require_editor(acting_user)
    refuse_if_closed(member.household.case_id, "the family structure")
    with transaction.atomic():
        _lock_people(member.person)
        member = HouseholdMember.objects.select_for_update().select_related("household__case").get(pk=member.pk)
        return _end_record(
            acting_user=acting_user,
            record=member,
            field="to_date",
            on=to_date,
            already_ended="This person has already left this household.",
            action="household.member_left",
            case=member.household.case,
            detail={"household": member.household_id, "person": member.person_id, "to_date": _iso(to_date)},
        )


ECOMAP_FIELDS = (
    "person",
    "household",
    "resource_name",
    "resource_kind",
    "agency",
    "strength",
    "direction",
    "start_date",
    "end_date",
    "note",
)


def ecomap_link_create(*, acting_user: User, case: Case, **fields: Any) -> EcomapLink:
    _require_editor(acting_user)
    refuse_if_closed(case, "the family structure")
    unknown = set(fields) - set(ECOMAP_FIELDS)
    if unknown:
        raise ValidationError({name: ["Unknown field."] for name in unknown})
    agency: Agency | None = fields.get("agency")
    if agency is not None and not fields.get("resource_name"):
        fields["resource_name"] = agency.name
    _check_text(fields, EcomapLink, ("resource_name", "note"))
    with transaction.atomic():
        link = EcomapLink(case=case, **fields)
        link.full_clean()
        link.save()
        audit_record(
            actor=acting_user,
            action="ecomap.link_created",
            case=case,
            obj=link,
            detail={
                "person": link.person_id,
                "household": link.household_id,
                "resource_name": link.resource_name,
                "strength": link.strength,
                "direction": link.direction,
            },
        )
    return link


def ecomap_link_end(*, acting_user: User, link: EcomapLink, end_date: dt.date) -> EcomapLink:
    _require_editor(acting_user)
    refuse_if_closed(link.case_id, "the family structure")
    with transaction.atomic():
        link = EcomapLink.objects.select_for_update().get(pk=link.pk)
        return _end_record(
            acting_user=acting_user,
            record=link,
            field="end_date",
            on=end_date,
            already_ended="This link has already ended.",
            action="ecomap.link_ended",
            case=link.case,
            detail={"end_date": _iso(end_date)},
        )


# --- Entered in error -------------------------------------------------------------------------------
#
# A person, relationship, household membership or ecomap link recorded by mistake is marked, never
# deleted: its row keeps when, by whom and why (core.models.EnteredInError), it leaves drawings,
# rules, packs and lists (their selectors read `.live()` rows), and the case's history of
# corrections lists it. Marking a person marks their live relationships, memberships and ecomap
# links too, in the same transaction, with the reason PERSON_ENTERED_IN_ERROR, so every reader
# needs only its own model's `.live()`.

ENTERED_IN_ERROR_REASON_LIMIT = 2000
PERSON_ENTERED_IN_ERROR = "Person entered in error"


def entered_in_error_reason(reason: object) -> str:
    """The reason, trimmed, or a ValidationError on `reason`: required, at most 2,000 characters."""
    text = reason.strip() if isinstance(reason, str) else ""
    if not text:
        raise ValidationError({"reason": ["Enter why this record was entered in error."]})
    if len(text) > ENTERED_IN_ERROR_REASON_LIMIT:
        raise ValidationError({"reason": [too_long_message("the reason", ENTERED_IN_ERROR_REASON_LIMIT, len(text))]})
    return text


def refuse_marking(acting_user: User, case: Case) -> None:
    """PermissionDenied unless the user may correct the case's records; a ValidationError when the case is closed."""
    if not permissions.may_correct_records(acting_user, case):
        raise PermissionDenied(
            "Only the lead professional, a manager of an involved agency or an administrator marks a record "
            "as entered in error."
        )
    refuse_if_closed(case, "the family structure")


def stamp_entered_in_error[Marked: (Person, Relationship, HouseholdMember, EcomapLink)](
    *, record: Marked, acting_user: User, reason: str, already: str
) -> Marked:
    """Mark a locked record (its caller holds the transaction); refused when it is already marked."""
    if record.entered_in_error_at is not None:
        raise ValidationError(already, code="already_entered_in_error")
    record.entered_in_error_at = timezone.now()
    record.entered_in_error_by = acting_user
    record.entered_in_error_reason = reason
    record.save(update_fields=["entered_in_error_at", "entered_in_error_by", "entered_in_error_reason"])
    return record


def mark_family_of_person(*, acting_user: User, person: Person) -> int:
    """Inside the person's marking: their live relationships, memberships and ecomap links are
    marked with PERSON_ENTERED_IN_ERROR, each audited. The number marked."""
    case = person.case
    rows: list[tuple[Relationship | HouseholdMember | EcomapLink, str]] = []
    rows += [
        (r, "relationship.entered_in_error")
        for r in Relationship.objects.live()
        .select_for_update()
        .filter(case_id=person.case_id)
        .filter(Q(from_person=person) | Q(to_person=person))
        .order_by("id")
    ]
    rows += [
        (m, "household.member_entered_in_error")
        for m in HouseholdMember.objects.live().select_for_update().filter(person=person).order_by("id")
    ]
    rows += [
        (e, "ecomap.link_entered_in_error")
        for e in EcomapLink.objects.live().select_for_update().filter(person=person).order_by("id")
    ]
    for record, action in rows:
        stamp_entered_in_error(record=record, acting_user=acting_user, reason=PERSON_ENTERED_IN_ERROR, already="")
        audit_record(
            actor=acting_user,
            action=action,
            case=case,
            obj=record,
            detail={"reason": PERSON_ENTERED_IN_ERROR, "person": person.pk},
        )
    return len(rows)


def relationship_mark_entered_in_error(*, acting_user: User, relationship: Relationship, reason: str) -> Relationship:
    refuse_marking(acting_user, relationship.case)
    text = entered_in_error_reason(reason)
    with transaction.atomic():
        relationship = Relationship.objects.select_for_update().select_related("case").get(pk=relationship.pk)
        stamp_entered_in_error(
            record=relationship,
            acting_user=acting_user,
            reason=text,
            already="This relationship has already been marked as entered in error.",
        )
        audit_record(
            actor=acting_user,
            action="relationship.entered_in_error",
            case=relationship.case,
            obj=relationship,
            detail={
                "reason": text,
                "kind": relationship.kind,
                "from_person": relationship.from_person_id,
                "to_person": relationship.to_person_id,
            },
        )
    return relationship


def household_membership_mark_entered_in_error(
    *, acting_user: User, member: HouseholdMember, reason: str
) -> HouseholdMember:
    refuse_marking(acting_user, member.household.case)
    text = entered_in_error_reason(reason)
    with transaction.atomic():
        member = HouseholdMember.objects.select_for_update().select_related("household__case").get(pk=member.pk)
        stamp_entered_in_error(
            record=member,
            acting_user=acting_user,
            reason=text,
            already="This household membership has already been marked as entered in error.",
        )
        audit_record(
            actor=acting_user,
            action="household.member_entered_in_error",
            case=member.household.case,
            obj=member,
            detail={"reason": text, "household": member.household_id, "person": member.person_id},
        )
    return member


def ecomap_link_mark_entered_in_error(*, acting_user: User, link: EcomapLink, reason: str) -> EcomapLink:
    refuse_marking(acting_user, link.case)
    text = entered_in_error_reason(reason)
    with transaction.atomic():
        link = EcomapLink.objects.select_for_update().select_related("case").get(pk=link.pk)
        stamp_entered_in_error(
            record=link,
            acting_user=acting_user,
            reason=text,
            already="This ecomap link has already been marked as entered in error.",
        )
        audit_record(
            actor=acting_user,
            action="ecomap.link_entered_in_error",
            case=link.case,
            obj=link,
            detail={
                "reason": text,
                "person": link.person_id,
                "household": link.household_id,
                "resource_name": link.resource_name,
            },
        )
    return link
