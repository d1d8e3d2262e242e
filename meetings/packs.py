"""What a meeting pack prints from the meetings: for a core group or conference pack, the last
meeting of that kind (its attendance and decisions) and the actions since it, with owner, due date
and status; for a strategy pack, the last strategy discussion's decisions.

Called by reporting/packs/pdf/context.py with a case the pack already holds (its case was
resolved through the access selector when the pack was requested)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone

from cases.models import Case
from meetings import selectors
from meetings.models import ActionStatus, Meeting, MeetingKind, MeetingStatus

# Pack kinds (reporting.packs.models.PackKind values) and the meetings they follow on from.
PACK_MEETING_KINDS = {
    "core_group": (MeetingKind.CORE_GROUP,),
    "conference": (MeetingKind.INITIAL_CONFERENCE, MeetingKind.REVIEW_CONFERENCE),
    "strategy": (MeetingKind.STRATEGY_DISCUSSION,),
}
STATUS_WORDS = {ActionStatus.OPEN: "Open", ActionStatus.DONE: "Done", ActionStatus.CANCELLED: "Cancelled"}


def _last_held(case: Case, kinds: tuple[str, ...], at: dt.date) -> Meeting | None:
    return (
        selectors.case_meetings(case)
        .filter(kind__in=kinds, status=MeetingStatus.HELD, held_on__lte=at)
        .order_by("-held_on", "-id")
        .first()
    )


def _meeting_row(meeting: Meeting) -> dict[str, Any]:
    names = selectors.agency_names([*meeting.invited, *meeting.attended, *meeting.apologies])

    def said(ids: list[int]) -> list[str]:
        return [names.get(pk, f"Agency {pk}") for pk in ids]

    absent = [pk for pk in meeting.invited if pk not in meeting.attended and pk not in meeting.apologies]
    return {
        "title": meeting.get_kind_display(),
        "held_on": meeting.held_on,
        "chair": meeting.chair.display_name if meeting.chair is not None else "",
        "attended": said(meeting.attended),
        "apologies": said(meeting.apologies),
        "not_attending": said(absent),
        "decisions": list(meeting.decisions),
    }


def pack_meeting_context(case: Case, pack_kind: str, at: dt.date, today: dt.date | None = None) -> dict[str, Any]:
    """`previous_meeting`, `pack_actions` and `last_strategy` for the pack template (empty when none)."""
    today = today or timezone.localdate()
    context: dict[str, Any] = {"previous_meeting": None, "pack_actions": [], "last_strategy": None}
    if pack_kind == "strategy":
        last = _last_held(case, PACK_MEETING_KINDS["strategy"], at)
        context["last_strategy"] = _meeting_row(last) if last is not None else None
        return context
    kinds = PACK_MEETING_KINDS.get(pack_kind)
    if kinds is None:
        return context
    previous = _last_held(case, kinds, at)
    actions = selectors.case_actions(case, today=today)
    if previous is not None:
        context["previous_meeting"] = _meeting_row(previous)
        # Set at that meeting or since, and anything still open from before it.
        actions = actions.filter(
            Q(meeting__held_on__gte=previous.held_on)
            | Q(meeting__isnull=True, created_at__date__gte=previous.held_on)
            | Q(status=ActionStatus.OPEN)
        )
    context["pack_actions"] = [
        {
            "description": action.description,
            "who": action.owner_agency.name + (f" ({action.owner.display_name})" if action.owner else ""),
            "due_on": action.due_on,
            "status": "Overdue" if action.overdue_on(today) else STATUS_WORDS[ActionStatus(action.status)],
            "completed_on": action.completed_on,
        }
        for action in actions
    ]
    return context
