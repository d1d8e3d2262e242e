"""API of meetings and actions: thin. The case comes from CaseScopedMixin (the access selector),
reads from meetings.selectors, writes from meetings.services (which ask cases.permissions)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from cases.api.base import CaseScopedMixin
from core.api import error_responses
from meetings import selectors, services
from meetings.api.serializers import (
    ActionCompleteSerializer,
    ActionCreateSerializer,
    ActionFilterSerializer,
    ActionSerializer,
    MeetingCreateSerializer,
    MeetingRecordSerializer,
    MeetingSerializer,
    ReasonSerializer,
)


def _valid(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class MeetingListCreate(CaseScopedMixin, generics.ListAPIView):
    """GET the case's meetings, oldest first; POST a meeting (scheduled if its date is in the future)."""

    serializer_class = MeetingSerializer
    audit_read_action = "meetings.read"
    keyset_ordering = ("held_on", "id")

    def get_queryset(self):
        return selectors.case_meetings(self.case)

    @extend_schema(
        operation_id="cases_meetings_create",
        request=MeetingCreateSerializer,
        responses={201: MeetingSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, case_id):
        data = _valid(MeetingCreateSerializer, request.data)
        meeting = services.meeting_schedule(acting_user=request.user, case=self.case, **data)
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)


class MeetingDetail(CaseScopedMixin, generics.RetrieveAPIView):
    serializer_class = MeetingSerializer
    audit_read_action = "meeting.viewed"

    def get_object(self):
        return selectors.case_meeting(self.case, self.kwargs["meeting_id"])


class MeetingRecord(CaseScopedMixin, generics.GenericAPIView):
    """POST the outcome of a scheduled meeting: it is held and adds its chronology entry."""

    serializer_class = MeetingRecordSerializer

    @extend_schema(
        operation_id="cases_meetings_record",
        request=MeetingRecordSerializer,
        responses={200: MeetingSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, case_id, meeting_id):
        meeting = selectors.case_meeting(self.case, meeting_id)
        data = _valid(MeetingRecordSerializer, request.data)
        meeting = services.meeting_record(acting_user=request.user, meeting=meeting, **data)
        return Response(MeetingSerializer(meeting).data)


class MeetingCancel(CaseScopedMixin, generics.GenericAPIView):
    """POST `reason`: cancel a scheduled meeting."""

    serializer_class = ReasonSerializer

    @extend_schema(
        operation_id="cases_meetings_cancel",
        request=ReasonSerializer,
        responses={200: MeetingSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, case_id, meeting_id):
        meeting = selectors.case_meeting(self.case, meeting_id)
        data = _valid(ReasonSerializer, request.data)
        meeting = services.meeting_cancel(acting_user=request.user, meeting=meeting, reason=data["reason"])
        return Response(MeetingSerializer(meeting).data)


class ActionListCreate(CaseScopedMixin, generics.ListAPIView):
    """GET the case's actions, earliest due first (filters `status`, `owner_agency`, `overdue=true`); POST an action."""

    serializer_class = ActionSerializer
    audit_read_action = "actions.read"
    keyset_ordering = ("due_on", "id")
    filter_backends: list = []

    def get_queryset(self):
        filters = _valid(ActionFilterSerializer, self.request.query_params)
        return selectors.case_actions(self.case, **filters)

    @extend_schema(
        operation_id="cases_actions_list",
        parameters=[
            OpenApiParameter("status", str, enum=["open", "done", "cancelled"]),
            OpenApiParameter("owner_agency", int),
            OpenApiParameter("overdue", bool, description="true: only open actions past their due date"),
        ],
        responses={200: ActionSerializer(many=True), **error_responses(400, 404)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="cases_actions_create",
        request=ActionCreateSerializer,
        responses={201: ActionSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, case_id):
        data = _valid(ActionCreateSerializer, request.data)
        action = services.action_create(acting_user=request.user, case=self.case, **data)
        return Response(ActionSerializer(action).data, status=status.HTTP_201_CREATED)


class ActionDetail(CaseScopedMixin, generics.RetrieveAPIView):
    serializer_class = ActionSerializer
    audit_read_action = "action.viewed"

    def get_object(self):
        return selectors.case_action(self.case, self.kwargs["action_id"])


class ActionComplete(CaseScopedMixin, generics.GenericAPIView):
    """POST `completed_on`, `note`: the action is done."""

    serializer_class = ActionCompleteSerializer

    @extend_schema(
        operation_id="cases_actions_complete",
        request=ActionCompleteSerializer,
        responses={200: ActionSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, case_id, action_id):
        action = selectors.case_action(self.case, action_id)
        data = _valid(ActionCompleteSerializer, request.data)
        action = services.action_complete(acting_user=request.user, action=action, **data)
        return Response(ActionSerializer(action).data)


class ActionCancel(CaseScopedMixin, generics.GenericAPIView):
    """POST `reason`: the action is cancelled."""

    serializer_class = ReasonSerializer

    @extend_schema(
        operation_id="cases_actions_cancel",
        request=ReasonSerializer,
        responses={200: ActionSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, case_id, action_id):
        action = selectors.case_action(self.case, action_id)
        data = _valid(ReasonSerializer, request.data)
        action = services.action_cancel(acting_user=request.user, action=action, reason=data["reason"])
        return Response(ActionSerializer(action).data)
