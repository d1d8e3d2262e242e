"""Meetings and actions of a case for the flag snapshot: one query each, as tuples, whatever the
number of rows (reporting/flags/loader.py calls these; the caller holds the case through the
access selector)."""

from __future__ import annotations

from django.utils import timezone

from cases.models import Case
from meetings.models import Action, Meeting
from reporting.flags.meeting_records import ActionRecord, MeetingRecord
from reporting.flags.snapshot import AgencyRecord


def _ids(values: object) -> frozenset[int]:
    return frozenset(int(v) for v in values) if isinstance(values, list) else frozenset()


def load_meetings(case: Case) -> tuple[MeetingRecord, ...]:
    rows = (
        Meeting.objects.filter(case=case)
        .order_by("held_on", "id")
        .values_list("id", "kind", "held_on", "status", "invited", "attended", "apologies", "decisions", "entry_id")
    )
    return tuple(
        MeetingRecord(
            id=pk,
            kind=kind,
            held_on=held_on,
            status=status,
            invited=_ids(invited),
            attended=_ids(attended),
            apologies=_ids(apologies),
            decisions=tuple(str(d) for d in decisions) if isinstance(decisions, list) else (),
            entry_id=entry_id,
        )
        for pk, kind, held_on, status, invited, attended, apologies, decisions, entry_id in rows
    )


def load_actions(case: Case) -> tuple[ActionRecord, ...]:
    rows = (
        Action.objects.filter(case=case)
        .order_by("due_on", "id")
        .values_list(
            "id",
            "description",
            "owner_agency_id",
            "owner_agency__name",
            "owner_agency__kind",
            "owner__full_name",
            "owner__username",
            "due_on",
            "status",
            "created_at",
            "meeting_id",
            "meeting__held_on",
            "completed_on",
            "cancelled_on",
        )
    )
    agencies: dict[int, AgencyRecord] = {}
    found = []
    for (
        pk,
        description,
        agency_id,
        agency_name,
        agency_kind,
        owner_full_name,
        owner_username,
        due_on,
        status,
        created_at,
        meeting_id,
        meeting_held_on,
        completed_on,
        cancelled_on,
    ) in rows:
        agency = agencies.get(agency_id)
        if agency is None:
            agency = agencies[agency_id] = AgencyRecord(agency_id, agency_name, agency_kind)
        found.append(
            ActionRecord(
                id=pk,
                description=description,
                owner_agency=agency,
                due_on=due_on,
                status=status,
                # Set on the day of its meeting (recorded perhaps later), else the day it was recorded.
                created_on=meeting_held_on or timezone.localdate(created_at),
                owner_name=owner_full_name or owner_username or "",
                meeting_id=meeting_id,
                completed_on=completed_on,
                cancelled_on=cancelled_on,
            )
        )
    return tuple(found)
