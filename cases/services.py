"""Writes on cases and people: keyword-only, atomic, validated and audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from agencies.models import Agency
from audit.services import audit_record
from cases import permissions, policies
from cases.models import (
    REASON_LIMIT,
    ROLE_IN_CASE_LIMIT,
    SUMMARY_LIMIT,
    Case,
    CaseAgency,
    CaseClosure,
    CaseStatus,
    CaseSummaryRevision,
    ClosureOutcome,
    LeadHandover,
    LegalStatus,
    LegalStatusChange,
    Person,
    ProtectionCategory,
    TeamMember,
)
from core.bounds import too_long_message
from notifications import services as notify

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
        # The first row of the legal-status history, and the lead in the team around the child.
        LegalStatusChange.objects.create(
            case=case,
            legal_status=case.legal_status,
            protection_category=case.protection_category,
            effective_from=case.opened_on,
            reason="Case opened.",
            recorded_by=acting_user,
        )
        if lead_professional is not None:
            TeamMember.objects.create(
                case=case,
                user=lead_professional,
                role_in_case=LEAD_ROLE_IN_CASE,
                started_on=case.opened_on,
                added_by=acting_user,
            )
        audit_record(
            actor=acting_user,
            action="case.created",
            case=case,
            obj=case,
            detail={"reference": case.reference, "lead_agency": lead_agency.pk, "legal_status": legal_status},
        )
    return case


def case_update(*, acting_user: User, case: Case, title: str) -> Case:
    """Rename a case. Its legal status, state, and lead professional change only through the
    lifecycle services below, which keep their history."""
    if not permissions.can_change_case_status(acting_user, case):
        raise PermissionDenied("Only social workers and managers of the lead agency change a case.")
    policies.refuse_if_closed(case, "its details")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        before = case.title
        case.title = title.strip()
        case.full_clean()
        case.save(update_fields=["title"])
        audit_record(
            actor=acting_user,
            action="case.updated",
            case=case,
            obj=case,
            detail={"before": {"title": before}, "after": {"title": case.title}},
        )
    return case


def case_agency_involve(*, acting_user: User, case: Case, agency: Agency) -> CaseAgency:
    if not permissions.can_involve_agency(acting_user):
        raise PermissionDenied("Only social workers and administrators involve agencies in a case.")
    policies.refuse_if_closed(case, "agencies")
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
    found: CaseAgency = involvement
    return found


def person_create(*, acting_user: User, case: Case, **fields: Any) -> Person:
    if not permissions.can_edit_people(acting_user):
        raise PermissionDenied("Only social workers, managers and administrators record people.")
    policies.refuse_if_closed(case, "people")
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
    policies.refuse_if_closed(person.case, "people")
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationError({name: ["Unknown field."] for name in unknown})
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.is_entered_in_error:
            raise ValidationError(
                f"{person.full_name} was marked as entered in error, so their record cannot be changed."
            )
        before = {name: _jsonable(getattr(person, name)) for name in changes}
        for name, value in changes.items():
            setattr(person, name, value)
        person.full_clean()
        person.save()
        after = {name: _jsonable(value) for name, value in changes.items()}
        changed = {k: {"before": before[k], "after": after[k]} for k in changes if before[k] != after[k]}
        audit_record(actor=acting_user, action="person.updated", case=person.case, obj=person, detail=changed)
    return person


def person_mark_entered_in_error(*, acting_user: User, person: Person, reason: str) -> Person:
    """Mark a person recorded by mistake as entered in error (never deleted). Their relationships,
    household memberships and ecomap links are marked with them, in the same transaction, so the
    person leaves every drawing, rule, pack and list (genogram.services, "Entered in error")."""
    from genogram.services import (
        entered_in_error_reason,
        mark_family_of_person,
        refuse_marking,
        stamp_entered_in_error,
    )

    refuse_marking(acting_user, person.case)
    text = entered_in_error_reason(reason)
    with transaction.atomic():
        person = Person.objects.select_for_update(of=("self",)).select_related("case").get(pk=person.pk)
        stamp_entered_in_error(
            record=person,
            acting_user=acting_user,
            reason=text,
            already=f"{person.full_name} has already been marked as entered in error.",
        )
        with_them = mark_family_of_person(acting_user=acting_user, person=person)
        audit_record(
            actor=acting_user,
            action="person.entered_in_error",
            case=person.case,
            obj=person,
            detail={"reason": text, "family_records_marked": with_them},
        )
    return person


# --- The case over time ---------------------------------------------------------------------------

LEAD_ROLE_IN_CASE = "Lead professional"

# Moving up this order is a step up, down it a step down (a new category of plan is neither).
STATUS_RANK = {
    LegalStatus.EARLY_HELP: 1,
    LegalStatus.CHILD_IN_NEED: 2,
    LegalStatus.CHILD_PROTECTION: 3,
    LegalStatus.LOOKED_AFTER: 4,
}


def say_day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def status_words(legal_status: str, protection_category: str = "") -> str:
    """ "child protection plan (neglect)", "child in need"."""
    words = str(LegalStatus(legal_status).label).lower() if legal_status in LegalStatus.values else legal_status
    if protection_category in ProtectionCategory.values:
        words += f" ({str(ProtectionCategory(protection_category).label).lower()})"
    return words


def _reason_errors(reason: str, errors: dict[str, list[str]], *, name: str = "reason", what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        errors[name] = [f"Enter the reason {what}."]
    elif len(reason) > REASON_LIMIT:
        errors[name] = [too_long_message("the reason", REASON_LIMIT, len(reason))]
    return reason


def _date_errors(
    day: object, errors: dict[str, list[str]], *, name: str, what: str, today: dt.date, not_before: dt.date | None
) -> dt.date | None:
    """The date of a lifecycle event: a real date, today or in the past, not before `not_before`."""
    if not isinstance(day, dt.date):
        errors[name] = [f"Enter the date {what}."]
        return None
    if day > today:
        errors[name] = [f"The date {what} must be today or in the past."]
    elif not_before is not None and day < not_before:
        errors[name] = [f"The date {what} must be on or after {say_day(not_before)}."]
    return day


def _current_status(case: Case) -> LegalStatusChange:
    row: LegalStatusChange | None = LegalStatusChange.objects.filter(case=case).order_by("-effective_from").first()
    if row is None:  # a case made before the history existed and missed by the migration
        row = LegalStatusChange.objects.create(
            case=case,
            legal_status=case.legal_status,
            protection_category=case.protection_category,
            effective_from=case.opened_on,
            reason="Recorded when the case opened.",
        )
    return row


def _lifecycle_entry(
    *, acting_user: User, case: Case, kind: str, occurred_on: dt.date, summary: str, reason: str, today: dt.date
) -> Any:
    """The chronology entry that tells the change in the case's one story, for the acting user's agency."""
    from chronology.services import entry_create

    subjects = [
        person
        for person in Person.objects.live().filter(case=case, is_subject=True).order_by("id")
        if person.date_of_birth is None or person.date_of_birth <= occurred_on
    ]
    return entry_create(
        acting_user=acting_user,
        case=case,
        agency=acting_user.agency or case.lead_agency,
        kind=kind,
        occurred_on=occurred_on,
        summary=summary[:300],
        detail=reason,
        significance="medium",
        source="record",
        subjects=subjects,
        today=today,
    )


def _lock_case(case: Case) -> Case:
    locked: Case = (
        Case.objects.select_for_update(of=("self",)).select_related("lead_agency", "lead_professional").get(pk=case.pk)
    )
    return locked


def case_status_change(
    *,
    acting_user: User,
    case: Case,
    legal_status: str,
    effective_from: dt.date | None,
    reason: str,
    protection_category: str = "",
    today: dt.date | None = None,
) -> LegalStatusChange:
    """A new row of the legal-status history, from `effective_from`, which may be backdated with a
    reason but never to or before the current status's own start (that one would have to be
    corrected first). The change adds a stepped_up, stepped_down or note entry to the chronology."""
    if not permissions.can_change_case_status(acting_user, case):
        raise PermissionDenied("Only social workers and managers of the lead agency change the legal status.")
    today = today or timezone.localdate()
    policies.refuse_if_closed(case, "its legal status")
    errors: dict[str, list[str]] = {}
    protection_category = protection_category or ""
    if legal_status not in LegalStatus.values:
        errors["legal_status"] = [
            "Select the legal status: early help, child in need, child protection plan or looked after."
        ]
    if legal_status == str(LegalStatus.CHILD_PROTECTION):
        if protection_category not in ProtectionCategory.values:
            errors["protection_category"] = ["Select the category of the child protection plan."]
    elif protection_category:
        errors["protection_category"] = ["A category applies only to a child protection plan: leave it empty."]
    reason = _reason_errors(reason, errors, what="for the change")
    with transaction.atomic():
        case = _lock_case(case)
        current = _current_status(case)
        day = _date_errors(
            effective_from,
            errors,
            name="effective_from",
            what="the status changed",
            today=today,
            not_before=case.opened_on,
        )
        if day is not None and "effective_from" not in errors and day <= current.effective_from:
            errors["effective_from"] = [
                f"The case has been {status_words(current.legal_status, current.protection_category)} since "
                f"{say_day(current.effective_from)}: a change must be dated after that. To correct that change, "
                "record the right status from its date instead."
            ]
        if not errors and legal_status == current.legal_status and protection_category == current.protection_category:
            errors["legal_status"] = [
                f"The case is already {status_words(legal_status, protection_category)}: choose a different status."
            ]
        if errors:
            raise ValidationError(errors)
        assert day is not None
        row = LegalStatusChange(
            case=case,
            legal_status=legal_status,
            protection_category=protection_category,
            effective_from=day,
            reason=reason,
            recorded_by=acting_user,
        )
        row.full_clean()
        row.save()
        case.legal_status = legal_status
        case.protection_category = protection_category
        case.save(update_fields=["legal_status", "protection_category"])
        before, after = STATUS_RANK[LegalStatus(current.legal_status)], STATUS_RANK[LegalStatus(legal_status)]
        kind = "stepped_up" if after > before else "stepped_down" if after < before else "note"
        _lifecycle_entry(
            acting_user=acting_user,
            case=case,
            kind=kind,
            occurred_on=day,
            summary=(
                f"Legal status changed from {status_words(current.legal_status, current.protection_category)} "
                f"to {status_words(legal_status, protection_category)}"
            ),
            reason=reason,
            today=today,
        )
        audit_record(
            actor=acting_user,
            action="case.status_changed",
            case=case,
            obj=case,
            detail={
                "before": {"legal_status": current.legal_status, "protection_category": current.protection_category},
                "after": {"legal_status": legal_status, "protection_category": protection_category},
                "effective_from": day.isoformat(),
            },
        )
        notify.case_status_notify(
            case=case,
            acting_user=acting_user,
            said=f"The case is now {status_words(legal_status, protection_category)}.",
        )
    return row


def case_close(
    *,
    acting_user: User,
    case: Case,
    closed_on: dt.date | None,
    outcome: str,
    reason: str,
    today: dt.date | None = None,
) -> CaseClosure:
    """Close the case with its outcome and reason; it stays readable and refuses changes until reopened."""
    if not permissions.can_close_case(acting_user, case):
        raise PermissionDenied("Only social workers and managers of the lead agency close a case.")
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if outcome not in ClosureOutcome.values:
        errors["outcome"] = ["Select the outcome of the case."]
    reason = _reason_errors(reason, errors, what="for closing the case")
    with transaction.atomic():
        case = _lock_case(case)
        if case.status == CaseStatus.CLOSED:
            raise ValidationError({"closed_on": [f"The case is already closed, since {say_day(case.closed_on)}."]})
        last = CaseClosure.objects.filter(case=case).order_by("-closed_on").first()
        not_before = max(
            d for d in (case.opened_on, _current_status(case).effective_from, last and last.reopened_on) if d
        )
        day = _date_errors(
            closed_on, errors, name="closed_on", what="the case closed", today=today, not_before=not_before
        )
        if errors:
            raise ValidationError(errors)
        assert day is not None
        _lifecycle_entry(
            acting_user=acting_user,
            case=case,
            kind="case_closed",
            occurred_on=day,
            summary=f"Case closed: {str(ClosureOutcome(outcome).label).lower()}",
            reason=reason,
            today=today,
        )
        closure = CaseClosure(case=case, closed_on=day, outcome=outcome, reason=reason, closed_by=acting_user)
        closure.full_clean()
        closure.save()
        case.status = CaseStatus.CLOSED
        case.closed_on = day
        case.full_clean()
        case.save(update_fields=["status", "closed_on"])
        audit_record(
            actor=acting_user,
            action="case.closed",
            case=case,
            obj=case,
            detail={"closed_on": day.isoformat(), "outcome": outcome},
        )
        notify.case_status_notify(case=case, acting_user=acting_user, said="The case was closed.")
    return closure


def case_reopen(
    *, acting_user: User, case: Case, reopened_on: dt.date | None, reason: str, today: dt.date | None = None
) -> CaseClosure:
    """Reopen a closed case (a re-referral): its legal status is as it was; change it next if it differs."""
    if not permissions.can_reopen_case(acting_user, case):
        raise PermissionDenied("Only social workers and managers of the lead agency reopen a case.")
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    reason = _reason_errors(reason, errors, what="for reopening the case")
    with transaction.atomic():
        case = _lock_case(case)
        closure: CaseClosure | None = CaseClosure.objects.filter(case=case, reopened_on__isnull=True).first()
        if case.status != CaseStatus.CLOSED or closure is None:
            raise ValidationError({"reopened_on": ["The case is open: only a closed case can be reopened."]})
        day = _date_errors(
            reopened_on, errors, name="reopened_on", what="the case reopened", today=today, not_before=closure.closed_on
        )
        if errors:
            raise ValidationError(errors)
        assert day is not None
        closure.reopened_on = day
        closure.reopen_reason = reason
        closure.reopened_by = acting_user
        closure.reopened_at = timezone.now()
        closure.full_clean()
        closure.save()
        case.status = CaseStatus.OPEN
        case.closed_on = None
        case.save(update_fields=["status", "closed_on"])
        _lifecycle_entry(
            acting_user=acting_user,
            case=case,
            kind="case_opened",
            occurred_on=day,
            summary=f"Case reopened ({status_words(case.legal_status, case.protection_category)})",
            reason=reason,
            today=today,
        )
        audit_record(
            actor=acting_user, action="case.reopened", case=case, obj=case, detail={"reopened_on": day.isoformat()}
        )
        notify.case_status_notify(case=case, acting_user=acting_user, said="The case was reopened.")
    return closure


def _involved_agency_ids(case: Case) -> set[int]:
    return set(CaseAgency.objects.filter(case=case).values_list("agency_id", flat=True))


def case_lead_hand_over(
    *, acting_user: User, case: Case, lead_professional: User | None, reason: str, today: dt.date | None = None
) -> LeadHandover:
    """Hand the case to another social worker of an involved agency. Their agency becomes the lead
    agency (a transfer, when it is another agency), and they join the team around the child."""
    if not permissions.can_hand_over_lead(acting_user, case):
        raise PermissionDenied("Only the lead professional or a manager of the lead agency hands a case over.")
    today = today or timezone.localdate()
    policies.refuse_if_closed(case, "its lead professional")
    errors: dict[str, list[str]] = {}
    reason = _reason_errors(reason, errors, what="for the handover")
    with transaction.atomic():
        case = _lock_case(case)
        if lead_professional is None or not permissions.can_be_lead_professional(
            lead_professional, _involved_agency_ids(case)
        ):
            errors["lead_professional"] = ["Choose a social worker of an agency involved in this case."]
        elif permissions.is_lead_professional(lead_professional, case):
            errors["lead_professional"] = [f"{lead_professional.display_name} already leads this case."]
        if errors:
            raise ValidationError(errors)
        assert lead_professional is not None
        previous = case.lead_professional
        handover = LeadHandover(
            case=case,
            from_user=previous,
            to_user=lead_professional,
            handed_over_on=today,
            reason=reason,
            recorded_by=acting_user,
        )
        handover.full_clean()
        handover.save()
        case.lead_professional = lead_professional
        case.lead_agency = lead_professional.agency
        case.save(update_fields=["lead_professional", "lead_agency"])
        if not TeamMember.objects.filter(case=case, user=lead_professional, ended_on__isnull=True).exists():
            TeamMember.objects.create(
                case=case,
                user=lead_professional,
                role_in_case=LEAD_ROLE_IN_CASE,
                started_on=today,
                added_by=acting_user,
            )
        before = previous.display_name if previous is not None else "nobody"
        _lifecycle_entry(
            acting_user=acting_user,
            case=case,
            kind="note",
            occurred_on=today,
            summary=f"Lead professional handed over from {before} to {lead_professional.display_name}",
            reason=reason,
            today=today,
        )
        audit_record(
            actor=acting_user,
            action="case.lead_handed_over",
            case=case,
            obj=handover,
            detail={"from": previous.pk if previous is not None else None, "to": lead_professional.pk},
        )
        notify.lead_changed_notify(case=case, acting_user=acting_user, previous=previous)
    return handover


def team_member_add(
    *,
    acting_user: User,
    case: Case,
    user: User | None,
    role_in_case: str,
    started_on: dt.date | None = None,
    today: dt.date | None = None,
) -> TeamMember:
    """Join a professional of an involved agency to the team around the child."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if user is None or not permissions.can_join_team(user, _involved_agency_ids(case)):
        raise ValidationError({"user": ["Choose a professional of an agency involved in this case."]})
    if not permissions.can_manage_team_member(acting_user, case, user.agency_id):
        raise PermissionDenied("You can add professionals of your own agency to the team.")
    policies.refuse_if_closed(case, "the team")
    role_in_case = (role_in_case or "").strip()
    if not role_in_case:
        errors["role_in_case"] = ["Enter their role in the case, for example “health visitor for Mia”."]
    elif len(role_in_case) > ROLE_IN_CASE_LIMIT:
        errors["role_in_case"] = [too_long_message("the role in the case", ROLE_IN_CASE_LIMIT, len(role_in_case))]
    day = _date_errors(
        started_on or today, errors, name="started_on", what="they joined", today=today, not_before=case.opened_on
    )
    with transaction.atomic():
        _lock_case(case)
        if TeamMember.objects.filter(case=case, user=user, ended_on__isnull=True).exists():
            errors["user"] = [f"{user.display_name} is already in the team around the child."]
        if errors:
            raise ValidationError(errors)
        member = TeamMember(case=case, user=user, role_in_case=role_in_case, started_on=day, added_by=acting_user)
        member.full_clean()
        member.save()
        audit_record(
            actor=acting_user,
            action="case.team_member_added",
            case=case,
            obj=member,
            detail={"user": user.pk, "role_in_case": role_in_case},
        )
    return member


def team_member_end(
    *, acting_user: User, member: TeamMember, ended_on: dt.date | None, today: dt.date | None = None
) -> TeamMember:
    """A professional leaves the team around the child from `ended_on` (not the lead: hand over first)."""
    case = member.case
    if not permissions.can_manage_team_member(acting_user, case, member.user.agency_id):
        raise PermissionDenied("You can end the team membership of professionals of your own agency.")
    today = today or timezone.localdate()
    policies.refuse_if_closed(case, "the team")
    errors: dict[str, list[str]] = {}
    with transaction.atomic():
        _lock_case(case)
        member = TeamMember.objects.select_for_update().select_related("user").get(pk=member.pk)
        if member.ended_on is not None:
            raise ValidationError(
                {"ended_on": [f"{member.user.display_name} left the team on {say_day(member.ended_on)}."]}
            )
        if permissions.is_lead_professional(member.user, case):
            raise ValidationError(
                {"ended_on": ["The lead professional is always in the team: hand the case over first."]}
            )
        day = _date_errors(
            ended_on, errors, name="ended_on", what="they left the team", today=today, not_before=member.started_on
        )
        if errors:
            raise ValidationError(errors)
        member.ended_on = day
        member.ended_by = acting_user
        member.full_clean()
        member.save(update_fields=["ended_on", "ended_by"])
        audit_record(
            actor=acting_user,
            action="case.team_member_ended",
            case=case,
            obj=member,
            detail={"user": member.user_id, "ended_on": member.ended_on.isoformat()},
        )
    return member


def case_summary_revise(
    *, acting_user: User, case: Case, text: str, expected_revision: int | None = None
) -> CaseSummaryRevision:
    """A new revision of the case summary; earlier revisions are kept, never changed."""
    if not permissions.can_edit_case_summary(acting_user, case):
        raise PermissionDenied("The case summary is written by the lead professional or a social worker.")
    policies.refuse_if_closed(case, "its summary")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": ["Enter the case summary."]})
    if len(text) > SUMMARY_LIMIT:
        raise ValidationError({"text": [too_long_message("the summary", SUMMARY_LIMIT, len(text))]})
    with transaction.atomic():
        _lock_case(case)
        current: CaseSummaryRevision | None = (
            CaseSummaryRevision.objects.filter(case=case).order_by("-revision").first()
        )
        number = current.revision if current is not None else 0
        if expected_revision is not None and expected_revision != number:
            raise ValidationError(
                {
                    "revision": [
                        f"The summary has changed since you opened it: it is now at revision {number}, "
                        f"you saw revision {expected_revision}. Read the current summary first."
                    ]
                }
            )
        if current is not None and current.text == text:
            raise ValidationError({"text": ["The summary has not changed."]})
        revision = CaseSummaryRevision(case=case, revision=number + 1, text=text, recorded_by=acting_user)
        revision.full_clean()
        revision.save()
        audit_record(
            actor=acting_user,
            action="case.summary_revised",
            case=case,
            obj=revision,
            detail={"revision": revision.revision, "characters": len(text)},
        )
    return revision
