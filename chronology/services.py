"""Writes on chronology entries: create, amend, retract. Entries are revised, never edited or deleted.

Every write is keyword-only, atomic, validated and audited, and leaves an immutable EntryRevision.
The entry row carries a copy of its current revision's content so lists and filters need no join.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from agencies.models import Agency
from audit.services import audit_record
from cases import permissions
from cases.models import Case, CaseAgency, Person
from cases.policies import refuse_if_closed
from chronology.models import (
    CONTENT_FIELDS,
    PEOPLE_FIELDS,
    PRE_BIRTH_KINDS,
    ChronologyEntry,
    EntryDatePrecision,
    EntryKind,
    EntryRevision,
    Significance,
    format_entry_date,
)
from core.bounds import DB_INT_MAX, is_db_id, text_length_errors
from notifications import services as notify

# Untimed entries sort after the timed ones of the same day, in the order they were recorded.
UNTIMED_SEQUENCE_START = 24 * 60

PEOPLE_LABELS = {
    "subjects": "the people the entry is about",
    "present": "the people present",
    "seen": "the people seen",
    "seen_alone": "the people seen alone",
}


class EntryConflict(Exception):
    """The entry changed since the user read it: they must look again before changing it."""

    def __init__(self, entry: ChronologyEntry, expected: int | None):
        self.entry = entry
        self.current_revision = entry.revision
        self.expected_revision = expected
        super().__init__(
            f"This entry has changed since you opened it: it is now at revision {entry.revision}, "
            f"you saw revision {expected}. Read the current revision before changing it."
        )


# mypy, without the Django plugin, sees a TextChoices member as the tuple that declared it: a str
# compared with one is flagged as never equal, and one passed for a str is refused. Those lines
# carry an ignore for that (strict mypy reports it once the ignore is no longer needed).


def normalise_date(on: dt.date, precision: str) -> dt.date:
    """A month-only date is stored as the 1st, a year-only date as 1 January; they are never shown so."""
    if precision == EntryDatePrecision.MONTH:  # type: ignore[comparison-overlap]
        return on.replace(day=1)
    if precision == EntryDatePrecision.YEAR:  # type: ignore[comparison-overlap]
        return on.replace(month=1, day=1)
    return on


def _period_end(on: dt.date, precision: str) -> dt.date:
    if precision == EntryDatePrecision.YEAR:  # type: ignore[comparison-overlap]
        return dt.date(on.year, 12, 31)
    if precision == EntryDatePrecision.MONTH:  # type: ignore[comparison-overlap]
        nxt = dt.date(on.year + (on.month == 12), on.month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return on


def _resolve_people(
    case: Case, values: dict[str, Iterable[Any]], errors: dict[str, list[str]], *, linked: Iterable[int] = ()
) -> dict[str, list[Person]]:
    """Person ids (or Person objects) to the case's Person rows; anyone not in the case is an error, and
    so is a person marked entered in error, unless the entry already names them (`linked`): an amendment
    keeps the record as it stood, a new link to a person recorded in error is refused."""
    wanted: dict[str, list[int]] = {}
    for name in PEOPLE_FIELDS:
        ids = []
        for value in values.get(name) or []:
            pk = getattr(value, "pk", value)
            if is_db_id(pk):
                ids.append(int(pk))
            else:  # also ids past the database's range, which no lookup may be sent
                errors.setdefault(name, []).append(f"“{str(value)[:40]}” is not a person id.")
        wanted[name] = list(dict.fromkeys(ids))
    all_ids = {pk for ids in wanted.values() for pk in ids}
    already = set(linked)
    found = {p.pk: p for p in Person.objects.filter(case=case, pk__in=all_ids)} if all_ids else {}
    resolved: dict[str, list[Person]] = {}
    for name, ids in wanted.items():
        missing = [pk for pk in ids if pk not in found]
        if missing:
            listed = ", ".join(str(pk) for pk in missing)
            errors.setdefault(name, []).append(
                f"Person {listed} is not in this case: choose {PEOPLE_LABELS[name]} from the case's people."
            )
        in_error = [pk for pk in ids if pk in found and found[pk].is_entered_in_error and pk not in already]
        if in_error:
            names = ", ".join(found[pk].full_name for pk in in_error)
            errors.setdefault(name, []).append(
                f"{names} {'was' if len(in_error) == 1 else 'were'} marked entered in error: "
                f"choose {PEOPLE_LABELS[name]} from the case's people."
            )
        resolved[name] = [found[pk] for pk in ids if pk in found]
    # Anyone seen alone was seen.
    seen_ids = {p.pk for p in resolved["seen"]}
    resolved["seen"] += [p for p in resolved["seen_alone"] if p.pk not in seen_ids]
    return resolved


def validate_entry(
    *,
    case: Case,
    agency: Agency,
    content: dict[str, Any],
    people: dict[str, list[Person]],
    today: dt.date,
    changed: Iterable[str] | None = None,
) -> dict[str, list[str]]:
    """The rules of good recording. Returns field errors (empty when the entry is fine).

    Every text is checked against its limit (core.bounds), or only the `changed` ones: an
    amendment is not refused for a text recorded before the limits that it leaves alone."""
    errors: dict[str, list[str]] = text_length_errors(
        content, ChronologyEntry, CONTENT_FIELDS if changed is None else changed
    )
    if not CaseAgency.objects.filter(case=case, agency=agency).exists():
        errors["agency"] = [
            f"{agency.name} is not involved in this case: an entry can only come from an involved agency."
        ]
    kind = content.get("kind")
    if kind not in EntryKind.values:
        errors["kind"] = [f"“{kind}” is not a known kind of entry: use one of the codes of the entry kinds vocabulary."]
    occurred_on = content.get("occurred_on")
    precision = content.get("date_precision") or EntryDatePrecision.DAY
    if isinstance(occurred_on, dt.date):
        if occurred_on > today:
            errors.setdefault("occurred_on", []).append("The date of the event must be today or in the past.")
        elif kind not in PRE_BIRTH_KINDS:
            end = _period_end(occurred_on, precision)  # type: ignore[arg-type]
            for person in people.get("subjects", []):
                if person.date_of_birth and end < person.date_of_birth:
                    errors.setdefault("occurred_on", []).append(
                        f"{person.full_name} was born on {person.date_of_birth:%-d %B %Y}: an entry about them "
                        f"cannot be dated {format_entry_date(occurred_on, precision)}, before they were born "
                        "(only pregnancy and pre-birth kinds can be)."
                    )
    if content.get("occurred_time") is not None and precision != EntryDatePrecision.DAY:
        errors.setdefault("occurred_time", []).append("A time can only be given with an exact day.")
    if kind == EntryKind.INJURY:
        if not (content.get("injury_body_site") or "").strip():
            errors["injury_body_site"] = ["An injury entry needs the injury details: where on the body is the injury?"]
        if not (content.get("injury_type") or "").strip():
            errors["injury_type"] = ["An injury entry needs the injury details: what kind of injury is it?"]
    if kind == EntryKind.ADULT_CHECK:
        if not content.get("adult_check_type"):
            errors["adult_check_type"] = [
                "An adult check needs which check was made: police, children's services history, probation, "
                "health or other."
            ]
        if not content.get("adult_check_result"):
            errors["adult_check_result"] = [
                "An adult check needs its result: no concerns, concerns found, or pending or not known."
            ]
    elif kind in EntryKind.values:
        for name in ("adult_check_type", "adult_check_result"):
            if content.get(name):
                errors.setdefault(name, []).append(
                    "Only an adult check entry records a check and its result: choose the kind adult check, "
                    "or leave the check empty."
                )
    if content.get("significance") == Significance.HIGH and not (
        (content.get("action") or "").strip() or (content.get("no_action_reason") or "").strip()
    ):
        errors["action"] = ["A high-significance entry needs the action taken, or the reason why no action was taken."]
    return errors


def _next_sequence(
    case: Case, occurred_on: dt.date, occurred_time: dt.time | None, exclude_pk: int | None = None
) -> int:
    if occurred_time is not None:
        return occurred_time.hour * 60 + occurred_time.minute
    qs = ChronologyEntry.objects.filter(
        case=case, occurred_on=occurred_on, sequence__gte=UNTIMED_SEQUENCE_START
    ).exclude(pk=exclude_pk)
    top = qs.aggregate(top=Max("sequence"))["top"]
    return UNTIMED_SEQUENCE_START if top is None else top + 1


def _snapshot(
    entry: ChronologyEntry, people: dict[str, list[Person]], *, number: int, reason: str, user: User
) -> EntryRevision:
    return EntryRevision(
        entry=entry,
        number=number,
        reason=reason,
        retracted=entry.retracted,
        revised_by=user,
        revised_at=timezone.now(),
        **{name: getattr(entry, name) for name in CONTENT_FIELDS},
        **{name: sorted(p.pk for p in people[name]) for name in PEOPLE_FIELDS},
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def _clean_content(fields: dict[str, Any]) -> dict[str, Any]:
    content = {}
    for name in CONTENT_FIELDS:
        if name in fields:
            value = fields[name]
            if isinstance(value, str):
                value = value.strip()
            content[name] = value
    return content


def entry_create(
    *,
    acting_user: User,
    case: Case,
    agency: Agency | None = None,
    agency_ref: str = "",
    subjects: Iterable[Any] = (),
    present: Iterable[Any] = (),
    seen: Iterable[Any] = (),
    seen_alone: Iterable[Any] = (),
    today: dt.date | None = None,
    recorded_at: dt.datetime | None = None,
    audit: bool = True,
    **fields: Any,
) -> ChronologyEntry:
    """Record an event for the acting user's agency, as revision 1."""
    refuse_if_closed(case, "entries")
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise ValidationError({name: ["Unknown field."] for name in sorted(unknown)})
    if agency is None:
        agency = acting_user.agency
        if agency is None:
            raise ValidationError({"agency": ["Choose the agency that records this entry."]})
    elif not permissions.can_record_for_agency(acting_user, agency.pk):
        raise ValidationError(
            {"agency": [f"You record entries for your own agency ({acting_user.agency}), not for {agency.name}."]}
        )
    today = today or timezone.localdate()
    content = _clean_content(fields)
    content.setdefault("date_precision", EntryDatePrecision.DAY)
    errors: dict[str, list[str]] = {}
    people = _resolve_people(
        case, {"subjects": subjects, "present": present, "seen": seen, "seen_alone": seen_alone}, errors
    )
    if isinstance(content.get("occurred_on"), dt.date):
        content["occurred_on"] = normalise_date(content["occurred_on"], content["date_precision"])
    errors.update(validate_entry(case=case, agency=agency, content=content, people=people, today=today))
    agency_ref = (agency_ref or "").strip()
    errors.update(text_length_errors({"agency_ref": agency_ref}, ChronologyEntry, ["agency_ref"]))
    with transaction.atomic():
        entry = ChronologyEntry(
            case=case,
            agency=agency,
            recorded_by=acting_user,
            agency_ref=agency_ref,
            revision=1,
            **content,
        )
        if recorded_at is not None:
            entry.recorded_at = recorded_at
        if (
            not errors
            and agency_ref
            and ChronologyEntry.objects.filter(case=case, agency=agency, agency_ref=agency_ref).exists()
        ):
            errors["agency_ref"] = [
                f"{agency.name} already has an entry with the reference “{agency_ref}” in this case."
            ]
        if not errors:
            entry.sequence = _next_sequence(case, entry.occurred_on, entry.occurred_time)
            try:
                entry.full_clean(validate_constraints=False)
            except ValidationError as exc:
                errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)
        try:
            with transaction.atomic():
                entry.save()
        except IntegrityError:  # the same reference saved by a concurrent request
            raise ValidationError(
                {"agency_ref": [f"{agency.name} already has an entry with the reference “{agency_ref}” in this case."]}
            ) from None
        for name in PEOPLE_FIELDS:
            if people[name]:
                getattr(entry, name).set(people[name])
        _snapshot(entry, people, number=1, reason="", user=acting_user).save()
        if audit:
            audit_record(
                actor=acting_user,
                action="entry.created",
                case=case,
                obj=entry,
                detail={"kind": entry.kind, "occurred_on": entry.occurred_on.isoformat(), "agency": agency.pk},
            )
            notify.entry_written_notify(entry=entry, acting_user=acting_user, was_high=False)
    return entry


def _current_people(entry: ChronologyEntry) -> dict[str, list[Person]]:
    return {name: list(getattr(entry, name).all()) for name in PEOPLE_FIELDS}


def _lock(entry: ChronologyEntry, acting_user: User, expected_revision: int | None, reason: str) -> ChronologyEntry:
    refuse_if_closed(entry.case_id, "entries")
    # Lock the entry row only (not the joined case and agency rows), and as NO KEY UPDATE, so
    # concurrent audit rows, whose foreign-key checks take KEY SHARE on the case, never wait on
    # it while this transaction waits for the audit chain: that order would deadlock.
    locked: ChronologyEntry = (
        ChronologyEntry.objects.select_for_update(no_key=True, of=("self",))
        .select_related("case", "agency")
        .get(pk=entry.pk)
    )
    if not permissions.can_amend(acting_user, locked.agency_id):
        raise PermissionDenied("Only the agency that recorded an entry can amend or retract it.")
    if expected_revision is None:
        raise ValidationError({"revision": ["Send the revision of the entry you read, so no change is lost."]})
    if not isinstance(expected_revision, int):
        expected_revision = int(expected_revision) if is_db_id(expected_revision) else -1
    if not 0 <= expected_revision <= DB_INT_MAX:
        raise ValidationError({"revision": ["Send the revision of the entry you read: a whole number, like 2."]})
    if expected_revision != locked.revision:
        raise EntryConflict(locked, expected_revision)
    if locked.retracted:
        raise ValidationError({"detail": ["This entry has been retracted: it cannot be changed any more."]})
    if not (reason or "").strip():
        raise ValidationError({"reason": ["Say why the entry is being changed."]})
    too_long = text_length_errors({"reason": reason.strip()}, EntryRevision, ["reason"])
    if too_long:
        raise ValidationError(too_long)
    return locked


def entry_amend(
    *,
    acting_user: User,
    entry: ChronologyEntry,
    reason: str,
    expected_revision: int | None,
    today: dt.date | None = None,
    **changes: Any,
) -> ChronologyEntry:
    """A new revision with the changed fields; every earlier revision is kept."""
    allowed = set(CONTENT_FIELDS) | set(PEOPLE_FIELDS)
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({name: ["This field cannot be amended."] for name in sorted(unknown)})
    today = today or timezone.localdate()
    with transaction.atomic():
        entry = _lock(entry, acting_user, expected_revision, reason)
        before = {name: getattr(entry, name) for name in CONTENT_FIELDS}
        old_people = _current_people(entry)
        content = dict(before)
        content.update(_clean_content(changes))
        if isinstance(content.get("occurred_on"), dt.date):
            content["occurred_on"] = normalise_date(content["occurred_on"], content["date_precision"])
        errors: dict[str, list[str]] = {}
        people_input = {name: changes.get(name, old_people[name]) for name in PEOPLE_FIELDS}
        linked = {getattr(p, "pk", p) for people_of_role in old_people.values() for p in people_of_role}
        people = _resolve_people(entry.case, people_input, errors, linked=linked)
        errors.update(
            validate_entry(
                case=entry.case, agency=entry.agency, content=content, people=people, today=today, changed=changes
            )
        )
        if errors:
            raise ValidationError(errors)
        changed = {
            k: {"before": _jsonable(before[k]), "after": _jsonable(content[k])}
            for k in content
            if before[k] != content[k]
        }
        for name in PEOPLE_FIELDS:
            old = sorted(p.pk for p in old_people[name])
            new = sorted(p.pk for p in people[name])
            if old != new:
                changed[name] = {"before": old, "after": new}
        if not changed:
            raise ValidationError({"detail": ["Nothing was changed: amend at least one field."]})
        for name, value in content.items():
            setattr(entry, name, value)
        if "occurred_on" in changed or "occurred_time" in changed:
            entry.sequence = _next_sequence(entry.case, entry.occurred_on, entry.occurred_time, exclude_pk=entry.pk)
        entry.revision += 1
        entry.amended = True
        # Texts left as they were are not validated again (see validate_entry).
        entry.full_clean(exclude=[name for name in CONTENT_FIELDS if name not in changed], validate_constraints=False)
        entry.save()
        for name in PEOPLE_FIELDS:
            if name in changed:
                getattr(entry, name).set(people[name])
        _snapshot(entry, people, number=entry.revision, reason=reason.strip(), user=acting_user).save()
        audit_record(
            actor=acting_user,
            action="entry.amended",
            case=entry.case,
            obj=entry,
            detail={"revision": entry.revision, "reason": reason.strip(), "changed": changed},
        )
        notify.entry_written_notify(
            entry=entry, acting_user=acting_user, was_high=before["significance"] == Significance.HIGH
        )
    return entry


def entry_retract(
    *, acting_user: User, entry: ChronologyEntry, reason: str, expected_revision: int | None
) -> ChronologyEntry:
    """Retraction is a revision too: the entry stays, marked retracted, with who, when and why."""
    with transaction.atomic():
        entry = _lock(entry, acting_user, expected_revision, reason)
        people = _current_people(entry)
        entry.revision += 1
        entry.retracted = True
        entry.save(update_fields=["revision", "retracted"])
        _snapshot(entry, people, number=entry.revision, reason=reason.strip(), user=acting_user).save()
        audit_record(
            actor=acting_user,
            action="entry.retracted",
            case=entry.case,
            obj=entry,
            detail={"revision": entry.revision, "reason": reason.strip()},
        )
        notify.entry_written_notify(entry=entry, acting_user=acting_user, was_high=True)
    return entry
