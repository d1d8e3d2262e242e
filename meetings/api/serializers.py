"""Input serializers (the shape of a request) and output serializers (the exact answer, for the
OpenAPI schema) of meetings and actions. The rules live in meetings.services."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from core.api import IdField, LimitedCharField
from meetings.models import (
    DECISION_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    MAX_AGENCIES,
    MAX_DECISIONS,
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    Action,
    ActionStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
)


def _agencies(help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=IdField(), required=False, default=list, max_length=MAX_AGENCIES, help_text=help_text
    )


def _decisions() -> serializers.ListField:
    return serializers.ListField(
        child=LimitedCharField(max_length=DECISION_MAX_LENGTH, allow_blank=True, label="Decision"),
        required=False,
        default=list,
        max_length=MAX_DECISIONS,
        help_text="Each decision as a text, in order.",
    )


def _summary() -> LimitedCharField:
    return LimitedCharField(max_length=SUMMARY_MAX_LENGTH, allow_blank=True, required=False, default="")


class MeetingCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    held_on = serializers.DateField(help_text="The date of the meeting: a future date means scheduled.")
    chair = IdField(required=False, allow_null=True, default=None, help_text="User id of the chair.")
    invited = _agencies("Agency ids invited (those that attended or sent apologies count as invited).")
    attended = _agencies("Agency ids that attended (held meetings only).")
    apologies = _agencies("Agency ids that sent apologies (held meetings only).")
    summary = _summary()
    decisions = _decisions()


class MeetingRecordSerializer(serializers.Serializer):
    held_on = serializers.DateField(required=False, allow_null=True, default=None, help_text="If held on another day.")
    attended = _agencies("Agency ids that attended.")
    apologies = _agencies("Agency ids that sent apologies.")
    summary = _summary()
    decisions = _decisions()


class ReasonSerializer(serializers.Serializer):
    reason = LimitedCharField(max_length=REASON_MAX_LENGTH, allow_blank=True)


class ActionCreateSerializer(serializers.Serializer):
    description = LimitedCharField(max_length=DESCRIPTION_MAX_LENGTH, allow_blank=True)
    owner_agency = IdField()
    owner = IdField(required=False, allow_null=True, default=None, help_text="User id of the owner (optional).")
    due_on = serializers.DateField()
    meeting = IdField(required=False, allow_null=True, default=None, help_text="The meeting that set it (optional).")


class ActionCompleteSerializer(serializers.Serializer):
    completed_on = serializers.DateField()
    note = LimitedCharField(max_length=NOTE_MAX_LENGTH, allow_blank=True)


class ActionFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ActionStatus.choices, required=False)
    owner_agency = IdField(required=False)
    overdue = serializers.BooleanField(required=False, default=False)


# Answers.


class MeetingSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    status = serializers.ChoiceField(choices=MeetingStatus.choices)
    chair = serializers.IntegerField(source="chair_id", allow_null=True)
    chair_name = serializers.SerializerMethodField()
    invited = serializers.ListField(child=serializers.IntegerField())
    attended = serializers.ListField(child=serializers.IntegerField())
    apologies = serializers.ListField(child=serializers.IntegerField())
    decisions = serializers.ListField(child=serializers.CharField())
    entry = serializers.IntegerField(
        source="entry_id", allow_null=True, help_text="The chronology entry of a held meeting."
    )
    created_by = serializers.IntegerField(source="created_by_id")

    class Meta:
        model = Meeting
        fields = [
            "id",
            "kind",
            "held_on",
            "status",
            "chair",
            "chair_name",
            "invited",
            "attended",
            "apologies",
            "summary",
            "decisions",
            "cancel_reason",
            "entry",
            "revision",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields

    def get_chair_name(self, meeting: Meeting) -> str | None:
        return meeting.chair.display_name if meeting.chair is not None else None


class ActionSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    owner_agency = serializers.IntegerField(source="owner_agency_id")
    owner_agency_name = serializers.CharField(source="owner_agency.name")
    owner = serializers.IntegerField(source="owner_id", allow_null=True)
    owner_name = serializers.SerializerMethodField()
    meeting = serializers.IntegerField(source="meeting_id", allow_null=True)
    overdue = serializers.SerializerMethodField()
    note = serializers.CharField(source="completion_note")
    created_by = serializers.IntegerField(source="created_by_id")

    class Meta:
        model = Action
        fields = [
            "id",
            "description",
            "owner_agency",
            "owner_agency_name",
            "owner",
            "owner_name",
            "due_on",
            "meeting",
            "status",
            "overdue",
            "completed_on",
            "note",
            "cancel_reason",
            "cancelled_on",
            "revision",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields

    def get_owner_name(self, action: Action) -> str | None:
        return action.owner.display_name if action.owner is not None else None

    def get_overdue(self, action: Action) -> bool:
        """Open and past its due date today."""
        return action.overdue_on(self.context.get("today") or timezone.localdate())
