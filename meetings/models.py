"""Meetings (strategy discussions, conferences, core groups...), their decisions, and the actions
they set, with owners and due dates.

Neither is ever deleted or edited in place. Each change (scheduled, outcome recorded, cancelled;
action set, completed, cancelled) is an immutable revision holding the whole state after it, who
made it, when and why, as chronology entries keep theirs; the meeting or action row carries the
current state so lists need no join. Every change is audited by the service that makes it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.bounds import TextLengthValidator

SUMMARY_MAX_LENGTH = 10_000
DECISION_MAX_LENGTH = 2_000
MAX_DECISIONS = 50
REASON_MAX_LENGTH = 2_000
DESCRIPTION_MAX_LENGTH = 2_000
NOTE_MAX_LENGTH = 5_000
# A meeting names agencies involved in its case; no case involves more.
MAX_AGENCIES = 100


class MeetingKind(models.TextChoices):
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
    INITIAL_CONFERENCE = "initial_conference", "Initial child protection conference"
    REVIEW_CONFERENCE = "review_conference", "Review child protection conference"
    CORE_GROUP = "core_group", "Core group"
    CIN_REVIEW = "cin_review", "Child in need review"
    PROFESSIONALS_MEETING = "professionals_meeting", "Professionals meeting"


# The chronology entry a held meeting adds (DESIGN.md: Meetings, decisions and actions).
ENTRY_KIND_OF_MEETING = {
    MeetingKind.STRATEGY_DISCUSSION: "strategy_discussion",
    MeetingKind.INITIAL_CONFERENCE: "cp_conference",
    MeetingKind.REVIEW_CONFERENCE: "cp_conference",
    MeetingKind.CORE_GROUP: "core_group",
    MeetingKind.CIN_REVIEW: "note",
    MeetingKind.PROFESSIONALS_MEETING: "note",
}


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class NotDeletable(Exception):
    """Meetings, actions and their revisions are never deleted."""


class ImmutableRevisionError(Exception):
    """A revision is never changed."""


class _KeepQuerySet(models.QuerySet):
    def delete(self) -> Any:
        raise NotDeletable("Meetings and actions are never deleted: cancel them with a reason instead.")

    _raw_delete = delete


class _RevisionQuerySet(_KeepQuerySet):
    def update(self, **kwargs: Any) -> Any:
        raise ImmutableRevisionError("Revisions are never changed.")

    bulk_update = update


class Meeting(models.Model):
    """A meeting about a case: scheduled (a future date), held (its outcome recorded) or cancelled.

    Agencies are lists of agency ids of the case's involved agencies (checked by the service):
    they are read as a whole, with the meeting, by the pages, the packs and the flag snapshot."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(max_length=30, choices=MeetingKind.choices)
    held_on = models.DateField("date")
    status = models.CharField(max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    invited = models.JSONField(default=list, blank=True)
    attended = models.JSONField(default=list, blank=True)
    apologies = models.JSONField(default=list, blank=True)
    summary = models.TextField(blank=True, validators=[TextLengthValidator(SUMMARY_MAX_LENGTH, "summary")])
    decisions = models.JSONField(default=list, blank=True)
    cancel_reason = models.TextField(
        "reason for cancelling", blank=True, validators=[TextLengthValidator(REASON_MAX_LENGTH, "reason")]
    )
    entry = models.OneToOneField(
        "chronology.ChronologyEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="meeting"
    )
    revision = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = _KeepQuerySet.as_manager()

    class Meta:
        ordering = ["held_on", "id"]
        indexes = [models.Index(fields=["case", "held_on", "id"], name="meeting_case_date_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_on}"

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise NotDeletable("Meetings are never deleted: cancel the meeting with a reason instead.")

    @property
    def is_scheduled(self) -> bool:
        return self.status == MeetingStatus.SCHEDULED

    @property
    def is_held(self) -> bool:
        return self.status == MeetingStatus.HELD


class MeetingRevision(models.Model):
    """The whole state of a meeting after one change: who, when, what changed and why."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    change = models.CharField(max_length=20)
    state = models.JSONField()
    reason = models.TextField(blank=True, validators=[TextLengthValidator(REASON_MAX_LENGTH, "reason")])
    revised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revised_at = models.DateTimeField(default=timezone.now)

    objects = _RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="meeting_revision_number_unique")]

    def __str__(self) -> str:
        return f"Revision {self.number} of meeting {self.meeting_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableRevisionError("Meeting revisions are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise NotDeletable("Meeting revisions are never deleted.")


class Action(models.Model):
    """Something a meeting (or the case's lead) decided someone must do, by a date."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="actions")
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField(validators=[TextLengthValidator(DESCRIPTION_MAX_LENGTH, "description")])
    owner_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField("due date")
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    completed_on = models.DateField(null=True, blank=True)
    completion_note = models.TextField(blank=True, validators=[TextLengthValidator(NOTE_MAX_LENGTH, "note")])
    cancel_reason = models.TextField(
        "reason for cancelling", blank=True, validators=[TextLengthValidator(REASON_MAX_LENGTH, "reason")]
    )
    cancelled_on = models.DateField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = _KeepQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["case", "due_on", "id"], name="action_case_due_idx")]

    def __str__(self) -> str:
        return self.description[:80]

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise NotDeletable("Actions are never deleted: cancel the action with a reason instead.")

    def overdue_on(self, day: dt.date) -> bool:
        """Open and past its due date on that day."""
        return self.status == ActionStatus.OPEN and self.due_on < day

    @property
    def overdue(self) -> bool:
        return self.overdue_on(timezone.localdate())


class ActionRevision(models.Model):
    """The whole state of an action after one change."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    change = models.CharField(max_length=20)
    state = models.JSONField()
    reason = models.TextField(blank=True, validators=[TextLengthValidator(REASON_MAX_LENGTH, "reason")])
    revised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revised_at = models.DateTimeField(default=timezone.now)

    objects = _RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["action", "number"]
        constraints = [models.UniqueConstraint(fields=["action", "number"], name="action_revision_number_unique")]

    def __str__(self) -> str:
        return f"Revision {self.number} of action {self.action_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableRevisionError("Action revisions are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise NotDeletable("Action revisions are never deleted.")
