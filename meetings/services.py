"""Writes on meetings and actions: keyword-only, atomic, validated, audited, revisioned.

A meeting dated in the future is scheduled; one dated today or earlier is held, and a held meeting
adds its chronology entry (chronology.services.entry_create) with its decisions as the detail, so
the chronology stays the one story and the flag rules read it. Nothing is deleted or edited in
place: each change leaves a MeetingRevision or ActionRevision holding the whole state after it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from agencies.models import Agency
from audit.services import audit_record
from cases import permissions, policies
from cases.models import Case, CaseAgency, Person
from chronology.models import DETAIL_MAX_LENGTH, ChronologyEntry
from chronology.services import entry_create
from core.bounds import is_db_id, text_length_errors, too_long_message
from meetings.models import (
    DECISION_MAX_LENGTH,
    ENTRY_KIND_OF_MEETING,
    MAX_AGENCIES,
    MAX_DECISIONS,
    Action,
    ActionRevision,
    ActionStatus,
    Meeting,
    MeetingKind,
    MeetingRevision,
    MeetingStatus,
)
from notifications import services as notify

AGENCY_FIELDS = ("invited", "attended", "apologies")
AGENCY_LABELS = {"invited": "invited", "attended": "who attended", "apologies": "who sent apologies"}


def say_day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


# Validation helpers --------------------------------------------------------------------------


def _involved_agency_ids(case: Case) -> set[int]:
    return set(CaseAgency.objects.filter(case=case).values_list("agency_id", flat=True))


def _agency_ids(name: str, values: Iterable[Any] | None, involved: set[int], errors: dict[str, list[str]]) -> list[int]:
    """Agency ids (or Agency objects) of agencies involved in the case, in the order given, once each."""
    if values is None:
        return []
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        errors.setdefault(name, []).append("Give a list of agency ids.")
        return []
    found: list[int] = []
    for value in values:
        pk = value.pk if isinstance(value, Agency) else value
        if not is_db_id(pk):
            errors.setdefault(name, []).append(f"“{str(pk)[:40]}” is not an agency id.")
            continue
        pk = int(pk)
        if pk not in involved:
            errors.setdefault(name, []).append(
                f"Agency {pk} is not involved in this case: only involved agencies can be {AGENCY_LABELS[name]}."
            )
        elif pk not in found:
            found.append(pk)
        if len(found) > MAX_AGENCIES:
            errors.setdefault(name, []).append(f"Name at most {MAX_AGENCIES} agencies.")
            break
    return found


def _decisions(values: Iterable[Any] | None, errors: dict[str, list[str]]) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        errors.setdefault("decisions", []).append("Give the decisions as a list of texts.")
        return []
    decisions: list[str] = []
    for index, value in enumerate(values, start=1):
        if index > MAX_DECISIONS:
            errors.setdefault("decisions", []).append(f"Record at most {MAX_DECISIONS} decisions.")
            break
        if not isinstance(value, str):
            errors.setdefault("decisions", []).append(f"Decision {index} must be text.")
            continue
        text = value.strip()
        if not text:
            continue
        if len(text) > DECISION_MAX_LENGTH:
            errors.setdefault("decisions", []).append(
                too_long_message(f"Decision {index}", DECISION_MAX_LENGTH, len(text))
            )
            continue
        decisions.append(text)
    if not errors.get("decisions") and len(decisions_text(decisions)) > DETAIL_MAX_LENGTH:
        errors.setdefault("decisions", []).append(
            f"The decisions together must be {DETAIL_MAX_LENGTH:,} characters or fewer: shorten some of them."
        )
    return decisions


def decisions_text(decisions: Iterable[str]) -> str:
    """The decisions as the detail of the meeting's chronology entry: one numbered line each."""
    return "\n".join(f"{number}. {text}" for number, text in enumerate(decisions, start=1))


def _chair(case: Case, chair: Any, involved: set[int], errors: dict[str, list[str]]) -> User | None:
    if chair in (None, ""):
        return None
    if not isinstance(chair, User):
        if not is_db_id(chair):
            errors.setdefault("chair", []).append("Choose the chair from the users of the involved agencies.")
            return None
        chair = User.objects.filter(pk=int(chair), is_active=True).first()
    if not isinstance(chair, User) or chair.agency_id not in involved:
        errors.setdefault("chair", []).append("The chair must be a user of an agency involved in this case.")
        return None
    return chair


def _reason(reason: Any, errors: dict[str, list[str]], *, what: str, model: type, field: str = "cancel_reason") -> str:
    text = reason.strip() if isinstance(reason, str) else ""
    if not text:
        errors.setdefault("reason", []).append(f"Say why the {what} is being cancelled.")
    else:
        for messages in text_length_errors({field: text}, model, [field]).values():
            errors.setdefault("reason", []).extend(messages)
    return text


# Meetings ------------------------------------------------------------------------------------


def _meeting_state(meeting: Meeting) -> dict[str, Any]:
    return {
        "kind": meeting.kind,
        "held_on": meeting.held_on.isoformat(),
        "status": meeting.status,
        "chair": meeting.chair_id,
        "invited": list(meeting.invited),
        "attended": list(meeting.attended),
        "apologies": list(meeting.apologies),
        "summary": meeting.summary,
        "decisions": list(meeting.decisions),
        "cancel_reason": meeting.cancel_reason,
        "entry": meeting.entry_id,
    }


def _meeting_revision(meeting: Meeting, *, change: str, user: User, reason: str = "") -> None:
    MeetingRevision(
        meeting=meeting,
        number=meeting.revision,
        change=change,
        state=_meeting_state(meeting),
        reason=reason,
        revised_by=user,
    ).save()


def _meeting_entry(*, acting_user: User, meeting: Meeting, today: dt.date) -> ChronologyEntry:
    """The chronology entry of a held meeting, recorded by the acting user's agency (an
    administrator records it for the lead agency), about the case's subject children."""
    case = meeting.case
    agency = acting_user.agency if acting_user.agency_id is not None else case.lead_agency
    subjects = [
        p
        for p in Person.objects.live().filter(case=case, is_subject=True)
        if p.date_of_birth is None or p.date_of_birth <= meeting.held_on
    ]
    label = meeting.get_kind_display()
    summary = f"{label} held"
    if meeting.kind in (MeetingKind.CIN_REVIEW, MeetingKind.PROFESSIONALS_MEETING) or not meeting.decisions:
        summary = f"{label} held" + (f": {meeting.summary.splitlines()[0][:200]}" if meeting.summary.strip() else "")
    return entry_create(
        acting_user=acting_user,
        case=case,
        agency=agency,
        occurred_on=meeting.held_on,
        kind=ENTRY_KIND_OF_MEETING[MeetingKind(meeting.kind)],
        summary=summary[:300],
        detail=decisions_text(meeting.decisions),
        significance="medium",
        source="record",
        subjects=subjects,
        today=today,
    )


def meeting_schedule(
    *,
    acting_user: User,
    case: Case,
    kind: str,
    held_on: dt.date,
    chair: Any = None,
    invited: Iterable[Any] | None = None,
    attended: Iterable[Any] | None = None,
    apologies: Iterable[Any] | None = None,
    summary: str = "",
    decisions: Iterable[Any] | None = None,
    today: dt.date | None = None,
) -> Meeting:
    """Schedule a meeting (a future date) or record one already held (today or earlier).

    Agencies that attended or sent apologies were invited: they are added to `invited`."""
    if not permissions.can_manage_meetings(acting_user, case):
        raise PermissionDenied("Social workers, chairs and managers schedule and record meetings.")
    policies.refuse_if_closed(case, "meetings")
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if kind not in MeetingKind.values:
        errors["kind"] = [f"“{str(kind)[:40]}” is not a kind of meeting."]
    if not isinstance(held_on, dt.date):
        errors["held_on"] = ["Enter the date of the meeting."]
    involved = _involved_agency_ids(case)
    chair_user = _chair(case, chair, involved, errors)
    lists = {
        name: _agency_ids(name, value, involved, errors)
        for name, value in (("invited", invited), ("attended", attended), ("apologies", apologies))
    }
    decision_list = _decisions(decisions, errors)
    summary = summary.strip() if isinstance(summary, str) else ""
    errors.update(text_length_errors({"summary": summary}, Meeting, ["summary"]))
    held = isinstance(held_on, dt.date) and held_on <= today
    if isinstance(held_on, dt.date) and not held and (lists["attended"] or lists["apologies"] or decision_list):
        errors.setdefault("held_on", []).append(
            f"A meeting on {say_day(held_on)} has not happened yet: record who attended and its decisions "
            "after it is held."
        )
    both = set(lists["attended"]) & set(lists["apologies"])
    if both:
        errors.setdefault("apologies", []).append("An agency either attended or sent apologies, not both.")
    if errors:
        raise ValidationError(errors)
    invited_ids = list(dict.fromkeys([*lists["invited"], *lists["attended"], *lists["apologies"]]))
    with transaction.atomic():
        meeting = Meeting(
            case=case,
            kind=kind,
            held_on=held_on,
            status=MeetingStatus.HELD if held else MeetingStatus.SCHEDULED,
            chair=chair_user,
            invited=invited_ids,
            attended=lists["attended"],
            apologies=lists["apologies"],
            summary=summary,
            decisions=decision_list,
            created_by=acting_user,
        )
        meeting.full_clean()
        if held:
            meeting.entry = _meeting_entry(acting_user=acting_user, meeting=meeting, today=today)
        meeting.save()
        _meeting_revision(meeting, change="held" if held else "scheduled", user=acting_user)
        audit_record(
            actor=acting_user,
            action="meeting.held" if held else "meeting.scheduled",
            case=case,
            obj=meeting,
            detail={"kind": meeting.kind, "held_on": meeting.held_on.isoformat(), "entry": meeting.entry_id},
        )
        notify.meeting_scheduled_notify(meeting=meeting, acting_user=acting_user)
    return meeting


def _lock_meeting(meeting: Meeting) -> Meeting:
    locked: Meeting = (
        Meeting.objects.select_for_update(of=("self",)).select_related("case", "case__lead_agency").get(pk=meeting.pk)
    )
    return locked


def meeting_record(
    *,
    acting_user: User,
    meeting: Meeting,
    attended: Iterable[Any] | None = None,
    apologies: Iterable[Any] | None = None,
    summary: str = "",
    decisions: Iterable[Any] | None = None,
    held_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Meeting:
    """Record the outcome of a scheduled meeting: it is held, and adds its chronology entry.

    `held_on` moves the date when the meeting took place on another day (today or earlier)."""
    case = meeting.case
    if not permissions.can_manage_meetings(acting_user, case):
        raise PermissionDenied("Social workers, chairs and managers record meetings.")
    policies.refuse_if_closed(case, "meetings")
    today = today or timezone.localdate()
    with transaction.atomic():
        meeting = _lock_meeting(meeting)
        errors: dict[str, list[str]] = {}
        if meeting.status != MeetingStatus.SCHEDULED:
            raise ValidationError(
                {
                    "detail": [
                        f"This meeting is {meeting.get_status_display().lower()}: "
                        "only a scheduled meeting's outcome is recorded."
                    ]
                }
            )
        day = held_on if held_on is not None else meeting.held_on
        if not isinstance(day, dt.date):
            errors["held_on"] = ["Enter the date the meeting was held."]
        elif day > today:
            errors["held_on"] = [f"The meeting is on {say_day(day)}: record its outcome on or after that day."]
        involved = _involved_agency_ids(case)
        attended_ids = _agency_ids("attended", attended, involved, errors)
        apologies_ids = _agency_ids("apologies", apologies, involved, errors)
        if set(attended_ids) & set(apologies_ids):
            errors.setdefault("apologies", []).append("An agency either attended or sent apologies, not both.")
        decision_list = _decisions(decisions, errors)
        summary = summary.strip() if isinstance(summary, str) else ""
        errors.update(text_length_errors({"summary": summary}, Meeting, ["summary"]))
        if errors:
            raise ValidationError(errors)
        meeting.held_on = day
        meeting.status = MeetingStatus.HELD
        meeting.attended = attended_ids
        meeting.apologies = apologies_ids
        meeting.invited = list(dict.fromkeys([*meeting.invited, *attended_ids, *apologies_ids]))
        meeting.summary = summary
        meeting.decisions = decision_list
        meeting.revision += 1
        meeting.full_clean()
        meeting.entry = _meeting_entry(acting_user=acting_user, meeting=meeting, today=today)
        meeting.save()
        _meeting_revision(meeting, change="held", user=acting_user)
        audit_record(
            actor=acting_user,
            action="meeting.held",
            case=case,
            obj=meeting,
            detail={"kind": meeting.kind, "held_on": meeting.held_on.isoformat(), "entry": meeting.entry_id},
        )
    return meeting


def meeting_cancel(*, acting_user: User, meeting: Meeting, reason: str) -> Meeting:
    """Cancel a scheduled meeting with a reason. A held meeting is not cancelled: its entry is retracted instead."""
    case = meeting.case
    if not permissions.can_manage_meetings(acting_user, case):
        raise PermissionDenied("Social workers, chairs and managers cancel meetings.")
    policies.refuse_if_closed(case, "meetings")
    with transaction.atomic():
        meeting = _lock_meeting(meeting)
        if meeting.status != MeetingStatus.SCHEDULED:
            raise ValidationError(
                {
                    "detail": [
                        f"This meeting is {meeting.get_status_display().lower()}: "
                        "only a scheduled meeting is cancelled."
                    ]
                }
            )
        errors: dict[str, list[str]] = {}
        text = _reason(reason, errors, what="meeting", model=Meeting)
        if errors:
            raise ValidationError(errors)
        meeting.status = MeetingStatus.CANCELLED
        meeting.cancel_reason = text
        meeting.revision += 1
        meeting.save()
        _meeting_revision(meeting, change="cancelled", user=acting_user, reason=text)
        audit_record(
            actor=acting_user, action="meeting.cancelled", case=case, obj=meeting, detail={"kind": meeting.kind}
        )
    return meeting


# Actions -------------------------------------------------------------------------------------


def _action_state(action: Action) -> dict[str, Any]:
    return {
        "description": action.description,
        "owner_agency": action.owner_agency_id,
        "owner": action.owner_id,
        "due_on": action.due_on.isoformat(),
        "meeting": action.meeting_id,
        "status": action.status,
        "completed_on": action.completed_on.isoformat() if action.completed_on else None,
        "completion_note": action.completion_note,
        "cancel_reason": action.cancel_reason,
        "cancelled_on": action.cancelled_on.isoformat() if action.cancelled_on else None,
    }


def _action_revision(action: Action, *, change: str, user: User, reason: str = "") -> None:
    ActionRevision(
        action=action,
        number=action.revision,
        change=change,
        state=_action_state(action),
        reason=reason,
        revised_by=user,
    ).save()


def action_create(
    *,
    acting_user: User,
    case: Case,
    description: str,
    owner_agency: Any,
    due_on: dt.date,
    owner: Any = None,
    meeting: Any = None,
) -> Action:
    """Set an action on the case: what, which agency owns it (and optionally who), by when, from which meeting."""
    if not permissions.can_manage_meetings(acting_user, case):
        raise PermissionDenied("Social workers, chairs and managers set actions.")
    policies.refuse_if_closed(case, "actions")
    errors: dict[str, list[str]] = {}
    text = description.strip() if isinstance(description, str) else ""
    if not text:
        errors["description"] = ["Say what must be done."]
    else:
        errors.update(text_length_errors({"description": text}, Action, ["description"]))
    involved = _involved_agency_ids(case)
    agency_id = owner_agency.pk if isinstance(owner_agency, Agency) else owner_agency
    agency: Agency | None = None
    if not is_db_id(agency_id) or int(agency_id) not in involved:
        errors["owner_agency"] = ["Choose the agency that owns the action from the agencies involved in this case."]
    else:
        agency = Agency.objects.get(pk=int(agency_id))
    owner_user: User | None = None
    if owner not in (None, ""):
        if isinstance(owner, User):
            owner_user = owner
        elif is_db_id(owner):
            owner_user = User.objects.filter(pk=int(owner), is_active=True).first()
        if agency is not None and (owner_user is None or not permissions.can_own_action(owner_user, agency.pk)):
            errors["owner"] = [f"The named owner must be a user of {agency.name}."]
        elif owner_user is None:
            errors["owner"] = ["Choose the owner from the users of the owning agency."]
    if not isinstance(due_on, dt.date):
        errors["due_on"] = ["Enter the date the action is due."]
    meeting_row: Meeting | None = None
    if meeting not in (None, ""):
        meeting_id = meeting.pk if isinstance(meeting, Meeting) else meeting
        if is_db_id(meeting_id):
            meeting_row = Meeting.objects.filter(case=case, pk=int(meeting_id)).first()
        if meeting_row is None:
            errors["meeting"] = ["Choose a meeting of this case."]
        elif meeting_row.status == MeetingStatus.CANCELLED:
            errors["meeting"] = ["That meeting was cancelled: it sets no actions."]
        elif isinstance(due_on, dt.date) and due_on < meeting_row.held_on:
            errors.setdefault("due_on", []).append(
                f"The due date must be on or after the meeting that set it ({say_day(meeting_row.held_on)})."
            )
    if errors:
        raise ValidationError(errors)
    assert agency is not None
    with transaction.atomic():
        action = Action(
            case=case,
            meeting=meeting_row,
            description=text,
            owner_agency=agency,
            owner=owner_user,
            due_on=due_on,
            created_by=acting_user,
        )
        action.full_clean()
        action.save()
        _action_revision(action, change="created", user=acting_user)
        audit_record(
            actor=acting_user,
            action="action.created",
            case=case,
            obj=action,
            detail={"owner_agency": agency.pk, "due_on": due_on.isoformat(), "meeting": action.meeting_id},
        )
        notify.action_assigned_notify(action=action, acting_user=acting_user)
    return action


def _lock_action(action: Action) -> Action:
    locked: Action = (
        Action.objects.select_for_update(of=("self",)).select_related("case", "owner_agency").get(pk=action.pk)
    )
    return locked


def action_complete(
    *, acting_user: User, action: Action, completed_on: dt.date, note: str, today: dt.date | None = None
) -> Action:
    """Mark an open action done on a date, with a note of what was done."""
    case = action.case
    if not permissions.can_complete_action(acting_user, case, action.owner_agency_id):
        raise PermissionDenied("An action is completed by its owning agency, the lead professional or a manager.")
    policies.refuse_if_closed(case, "actions")
    today = today or timezone.localdate()
    with transaction.atomic():
        action = _lock_action(action)
        if action.status != ActionStatus.OPEN:
            raise ValidationError({"detail": [f"This action is {action.get_status_display().lower()} already."]})
        errors: dict[str, list[str]] = {}
        if not isinstance(completed_on, dt.date):
            errors["completed_on"] = ["Enter the date the action was done."]
        elif completed_on > today:
            errors["completed_on"] = ["The date the action was done must be today or in the past."]
        text = note.strip() if isinstance(note, str) else ""
        if not text:
            errors["note"] = ["Say what was done."]
        else:
            for messages in text_length_errors({"completion_note": text}, Action, ["completion_note"]).values():
                errors.setdefault("note", []).extend(messages)
        if errors:
            raise ValidationError(errors)
        action.status = ActionStatus.DONE
        action.completed_on = completed_on
        action.completion_note = text
        action.revision += 1
        action.save()
        _action_revision(action, change="completed", user=acting_user, reason=text)
        audit_record(
            actor=acting_user,
            action="action.completed",
            case=case,
            obj=action,
            detail={"completed_on": completed_on.isoformat()},
        )
    return action


def action_cancel(*, acting_user: User, action: Action, reason: str) -> Action:
    """Cancel an open action with a reason (the lead professional, managers, administrators)."""
    case = action.case
    if not permissions.can_cancel_action(acting_user, case):
        raise PermissionDenied("Actions are cancelled by the lead professional or a manager.")
    policies.refuse_if_closed(case, "actions")
    with transaction.atomic():
        action = _lock_action(action)
        if action.status != ActionStatus.OPEN:
            raise ValidationError({"detail": [f"This action is {action.get_status_display().lower()} already."]})
        errors: dict[str, list[str]] = {}
        text = _reason(reason, errors, what="action", model=Action)
        if errors:
            raise ValidationError(errors)
        action.status = ActionStatus.CANCELLED
        action.cancel_reason = text
        action.cancelled_on = timezone.localdate()
        action.revision += 1
        action.save()
        _action_revision(action, change="cancelled", user=acting_user, reason=text)
        audit_record(actor=acting_user, action="action.cancelled", case=case, obj=action, detail={})
    return action
