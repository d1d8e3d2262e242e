"""Output serializers of information sharing (nothing here saves: the views call the services)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from notifications.models import Kind, Notification


class NotificationSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    read = serializers.BooleanField()

    class Meta:
        model = Notification
        fields = ["id", "case", "kind", "text", "created_at", "read", "url"]
        read_only_fields = fields


class WorkCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="case.pk")
    reference = serializers.CharField(source="case.reference")
    title = serializers.CharField(source="case.title")
    unreviewed_flags = serializers.IntegerField()
    overdue_actions = serializers.IntegerField()
    new_entries = serializers.IntegerField(help_text="Entries recorded by others since the user last opened the case.")
    last_opened_at = serializers.DateTimeField(allow_null=True)


class WorkActionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    case = serializers.IntegerField(source="case_id")
    case_reference = serializers.CharField(source="case.reference")
    description = serializers.CharField()
    owner_agency = serializers.IntegerField(source="owner_agency_id")
    owner_agency_name = serializers.CharField(source="owner_agency.name")
    owner = serializers.IntegerField(source="owner_id", allow_null=True)
    due_on = serializers.DateField()
    overdue = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_overdue(self, action: Any) -> bool:
        return bool(action.overdue_on(self.context["today"]))


class WorkMeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    case = serializers.IntegerField(source="case_id")
    case_reference = serializers.CharField(source="case.reference")
    kind = serializers.CharField()
    held_on = serializers.DateField()


class WorkSerializer(serializers.Serializer):
    cases = WorkCaseSerializer(many=True)
    actions = WorkActionSerializer(many=True)
    meetings = WorkMeetingSerializer(many=True)
    unread = serializers.IntegerField()
