"""The case as it had been recorded by the end of a day: what a professional could have known then.

`load_snapshot` (reporting/flags/loader.py) answers "what had happened by this date", from today's
records. This module answers "what had been recorded by this date": only entries recorded by the
end of that day, each in the revision current then (later amendments and retractions not yet
applied), and the people, relationships and household memberships recorded by then and not yet
marked entered in error. Meetings and actions count from when they were recorded.

`load_recorded_history(case)` reads everything once, with a fixed number of queries whatever the
case size: the case history, every revision of every entry (with its entry's columns, one query),
people, relationships, household memberships, meetings and actions, and when meetings were
recorded. From it, `RecordedHistory.snapshot(day, recorded_by=...)` builds a CaseSnapshot of the
same type the loader builds, in memory, so every rule runs unchanged; the review analysis
(reporting/flags/review.py) asks it for many days without another query.

Entry columns come from loader.ENTRY_COLUMNS: a column added there flows through here, read from
the revision when revisions store it (the entry's content fields) and from the entry otherwise.
Known limits: a person's own fields (date of birth, ethnicity, ...) and the legal-status history are
read as they are now (they keep no revisions); meetings and actions are read in their current
state from the day they were recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from cases.models import Case, Person
from chronology.models import ChronologyEntry, EntryRevision
from genogram.models import HouseholdMember, Relationship
from meetings.models import Action, Meeting
from reporting.flags.loader import ENTRY_COLUMNS, LINK_ROLES, NO_LINKS, _injury, _people_links, case_record
from reporting.flags.meeting_loader import load_actions, load_meetings
from reporting.flags.meeting_records import ActionRecord, MeetingRecord
from reporting.flags.snapshot import (
    AgencyRecord,
    CaseRecord,
    CaseSnapshot,
    EntryRecord,
    MembershipRecord,
    PersonRecord,
    RelationshipRecord,
)

# A day past every recorded day: "still current".
FOREVER = dt.date.max

_ENTRY_FIELDS = frozenset(EntryRecord._fields)
_REVISION_COLUMNS = frozenset(
    f.name for f in EntryRevision._meta.concrete_fields if f.name not in {"id", "entry", "number"}
)
_INJURY_COLUMNS = ("injury_body_site", "injury_type", "injury_explanation", "injury_explanation_consistent")
# Columns of ENTRY_COLUMNS this module sets itself rather than copying onto the record.
_SPECIAL_COLUMNS = frozenset({"agency_id", "agency__name", "agency__kind", "amended", *_INJURY_COLUMNS})


def revision_lookup(column: str) -> str | None:
    """Where a revision row keeps one of the loader's entry columns (None: computed here)."""
    if column == "id":
        return "entry_id"
    if column == "revision":
        return "number"
    if column == "amended":
        return None
    if column.split("__")[0] in _REVISION_COLUMNS:
        return column
    return f"entry__{column}"


def unmapped_entry_columns() -> list[str]:
    """Loader columns this module would drop: none, or the snapshot would differ (a test asserts it)."""
    return [c for c in ENTRY_COLUMNS if c not in _SPECIAL_COLUMNS and c not in _ENTRY_FIELDS]


def day_of(moment: dt.datetime) -> dt.date:
    """The local calendar day of a stored moment."""
    day: dt.date = timezone.localdate(moment)
    return day


def end_of_day(day: dt.date) -> dt.datetime:
    """The first moment after the day, local time: recorded "by the end of the day" is strictly before it."""
    moment: dt.datetime = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
    return moment


@dataclass(frozen=True, slots=True)
class EntryVersion:
    """One revision of an entry, current on the days from `from_day` up to, not including, `until_day`."""

    record: EntryRecord
    from_day: dt.date
    until_day: dt.date
    entry_recorded_on: dt.date


@dataclass(frozen=True, slots=True)
class Dated:
    """A family record, meeting or action with the day it was recorded and the day it was marked in error."""

    record: Any
    from_day: dt.date
    until_day: dt.date = FOREVER

    def stood_on(self, day: dt.date) -> bool:
        return self.from_day <= day < self.until_day


@dataclass(frozen=True)
class RecordedHistory:
    """Every revision and family record of a case with the days they were recorded: snapshots on demand."""

    case: CaseRecord
    versions: tuple[EntryVersion, ...]  # ordered by (occurred_on, entry id, from_day)
    people: tuple[Dated, ...]
    relationships: tuple[Dated, ...]
    memberships: tuple[Dated, ...]
    meetings: tuple[Dated, ...]
    actions: tuple[Dated, ...]

    def snapshot(self, at: dt.date, *, recorded_by: dt.date | None = None) -> CaseSnapshot:
        """The case as of `at`: as recorded by the end of `recorded_by`, or as recorded now when None."""
        known = FOREVER - dt.timedelta(days=1) if recorded_by is None else recorded_by
        entries = tuple(
            v.record for v in self.versions if v.record.occurred_on <= at and v.from_day <= known < v.until_day
        )
        agencies: dict[int, AgencyRecord] = {}
        for entry in entries:
            agencies.setdefault(entry.agency.id, entry.agency)
        return CaseSnapshot(
            case=self.case,
            at=at,
            people=_standing(self.people, known),
            entries=entries,
            relationships=_standing(self.relationships, known),
            memberships=_standing(self.memberships, known),
            agencies=tuple(agencies.values()),
            meetings=_standing(self.meetings, known),
            actions=_standing(self.actions, known),
        )

    def recorded_days(self) -> list[dt.date]:
        """Every day on which what had been recorded changed, oldest first."""
        days: set[dt.date] = set()
        for version in self.versions:
            days.add(version.from_day)
            if version.until_day != FOREVER:
                days.add(version.until_day)
        for group in (self.people, self.relationships, self.memberships, self.meetings, self.actions):
            for row in group:
                days.add(row.from_day)
                if row.until_day != FOREVER:
                    days.add(row.until_day)
        return sorted(days)

    def occurred_days(self) -> list[dt.date]:
        """Every day on which something happened, as recorded now, oldest first."""
        days: set[dt.date] = {v.record.occurred_on for v in self.versions if v.until_day == FOREVER}
        days.update(row.effective_from for row in self.case.status_history)
        for meeting in self.meetings:
            days.add(meeting.record.held_on)
        for action in self.actions:
            days.add(action.record.due_on)
        return sorted(days)

    def first_recorded(self) -> dict[int, dt.date]:
        """The day each entry was first recorded."""
        return {v.record.id: v.entry_recorded_on for v in self.versions}


def _standing(rows: tuple[Dated, ...], day: dt.date) -> tuple[Any, ...]:
    return tuple(row.record for row in rows if row.from_day <= day < row.until_day)


def _error_day(at: dt.datetime | None) -> dt.date:
    return FOREVER if at is None else day_of(at)


def _ids(values: object) -> frozenset[int]:
    return frozenset(int(v) for v in values) if isinstance(values, list) else frozenset()


def _entry_versions(case: Case) -> tuple[EntryVersion, ...]:
    """Every revision of every entry of the case, in one query, as frozen records."""
    lookups: list[str] = []
    slot: dict[str, int] = {}
    for column in ENTRY_COLUMNS:
        lookup = revision_lookup(column)
        if lookup is not None:
            slot[column] = len(lookups)
            lookups.append(lookup)
    extra = len(lookups)
    lookups += ["retracted", "revised_at", "entry__recorded_at", *LINK_ROLES]
    rows = (
        EntryRevision.objects.filter(entry__case=case)
        .order_by("occurred_on", "entry_id", "number")
        .values_list(*lookups)
    )
    agencies: dict[int, AgencyRecord] = {}
    by_entry: dict[int, list[tuple[dt.date, EntryRecord, dt.date]]] = {}
    order: list[int] = []
    for row in rows:
        values = {column: row[index] for column, index in slot.items()}
        retracted, revised_at, recorded_at = row[extra], row[extra + 1], row[extra + 2]
        subjects, present, seen, seen_alone = (_ids(row[extra + 3 + i]) for i in range(4))
        agency_id = values["agency_id"]
        agency = agencies.get(agency_id)
        if agency is None:
            agency = agencies[agency_id] = AgencyRecord(agency_id, values["agency__name"], values["agency__kind"])
        number = values["revision"]
        # Revision 1 counts from when the entry was recorded (an import may carry an earlier time);
        # each later revision from when it was made. Retraction ends the story, so "amended" is any
        # revision after the first that is not the retraction.
        fields = {name: value for name, value in values.items() if name in _ENTRY_FIELDS}
        fields.update(
            agency=agency,
            injury=_injury(*(values[c] for c in _INJURY_COLUMNS)),
            subjects=subjects,
            present=present,
            seen=seen,
            seen_alone=seen_alone,
            amended=number >= 3 or (number == 2 and not retracted),
            retracted=retracted,
        )
        record = EntryRecord(**fields)
        moment = recorded_at if number == 1 else revised_at
        entry_id = record.id
        if entry_id not in by_entry:
            by_entry[entry_id] = []
            order.append(entry_id)
        by_entry[entry_id].append((day_of(moment), record, day_of(recorded_at)))
    versions: list[EntryVersion] = []
    for entry_id in order:
        found = sorted(by_entry[entry_id], key=lambda item: item[1].revision)
        for index, (from_day, record, recorded_on) in enumerate(found):
            until = found[index + 1][0] if index + 1 < len(found) else FOREVER
            if until <= from_day and until != FOREVER:
                continue  # replaced the same day: the later revision is what stood at the end of it
            versions.append(EntryVersion(record, from_day, until, recorded_on))
    versions += _unrevised_entries(case, agencies)
    versions.sort(key=lambda v: (v.record.occurred_on, v.record.id, v.from_day))
    return tuple(versions)


def _unrevised_entries(case: Case, agencies: dict[int, AgencyRecord]) -> list[EntryVersion]:
    """Entries written without a revision row (rows made before revisions, or bulk data): their
    current content counts from when they were recorded. One query, and one more for their people
    when there are any."""
    rows = list(
        ChronologyEntry.objects.filter(case=case, revisions__isnull=True)
        .order_by("occurred_on", "id")
        .values_list(*ENTRY_COLUMNS, "recorded_at")
    )
    if not rows:
        return []
    links = _people_links(case, dt.date.max)
    found = []
    for row in rows:
        values = dict(zip(ENTRY_COLUMNS, row[:-1], strict=True))
        agency_id = values["agency_id"]
        agency = agencies.get(agency_id)
        if agency is None:
            agency = agencies[agency_id] = AgencyRecord(agency_id, values["agency__name"], values["agency__kind"])
        subjects, present, seen, seen_alone = links.get(values["id"], NO_LINKS)
        fields = {name: value for name, value in values.items() if name in _ENTRY_FIELDS}
        fields.update(
            agency=agency,
            injury=_injury(*(values[c] for c in _INJURY_COLUMNS)),
            subjects=subjects,
            present=present,
            seen=seen,
            seen_alone=seen_alone,
        )
        recorded_on = day_of(row[-1])
        found.append(EntryVersion(EntryRecord(**fields), recorded_on, FOREVER, recorded_on))
    return found


def _people(case: Case) -> tuple[Dated, ...]:
    people = (
        Person.objects.filter(case=case)
        .only(
            "id",
            "given_name",
            "family_name",
            "known_as",
            "date_of_birth",
            "sex",
            "ethnicity",
            "is_subject",
            "independently_mobile",
            "date_of_death",
            "expected_date_of_delivery",
            "created_at",
            "entered_in_error_at",
        )
        .order_by("id")
    )
    return tuple(
        Dated(
            PersonRecord(
                id=p.pk,
                name=p.full_name,
                date_of_birth=p.date_of_birth,
                sex=p.sex,
                ethnicity=p.ethnicity,
                is_subject=p.is_subject,
                independently_mobile=p.independently_mobile,
                date_of_death=p.date_of_death,
                expected_date_of_delivery=p.expected_date_of_delivery,
            ),
            day_of(p.created_at),
            _error_day(p.entered_in_error_at),
        )
        for p in people
    )


def _dated_rows(rows: Iterable[tuple[Any, ...]], make: Any) -> tuple[Dated, ...]:
    return tuple(Dated(make(*row[:-2]), day_of(row[-2]), _error_day(row[-1])) for row in rows)


def _recorded_on(model: Any, case: Case) -> dict[int, dt.date]:
    return {pk: day_of(at) for pk, at in model.objects.filter(case=case).values_list("id", "created_at")}


def load_recorded_history(case: Case) -> RecordedHistory:
    """Everything recorded about the case with when, in a fixed number of queries (ten; eleven when some
    entries have no revision rows)."""
    meetings_on = _recorded_on(Meeting, case)
    actions_on = _recorded_on(Action, case)
    meetings: tuple[MeetingRecord, ...] = load_meetings(case)
    actions: tuple[ActionRecord, ...] = load_actions(case)
    relationships = _dated_rows(
        Relationship.objects.filter(case=case)
        .order_by("id")
        .values_list(
            "id",
            "kind",
            "from_person_id",
            "to_person_id",
            "start_date",
            "end_date",
            "created_at",
            "entered_in_error_at",
        ),
        RelationshipRecord,
    )
    memberships = _dated_rows(
        HouseholdMember.objects.filter(household__case=case)
        .order_by("id")
        .values_list(
            "id",
            "household_id",
            "household__label",
            "person_id",
            "from_date",
            "to_date",
            "created_at",
            "entered_in_error_at",
        ),
        MembershipRecord,
    )
    return RecordedHistory(
        case=case_record(case),
        versions=_entry_versions(case),
        people=_people(case),
        relationships=relationships,
        memberships=memberships,
        meetings=tuple(Dated(m, meetings_on.get(m.id, m.held_on)) for m in meetings),
        actions=tuple(Dated(a, actions_on.get(a.id, a.created_on)) for a in actions),
    )


def load_recorded_snapshot(case: Case, at: dt.date) -> CaseSnapshot:
    """The case as recorded by the end of `at`: what the flags would have shown that day."""
    return load_recorded_history(case).snapshot(at, recorded_by=at)
