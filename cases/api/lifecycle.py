"""The case over time in the API: legal-status history, close, reopen, lead handover, the team
around the child and the case summary. Thin: input serializers check the shape, the services in
cases/services.py decide and write, the selectors read through the case from CaseScopedMixin."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import selectors, services
from cases.api.base import CaseScopedMixin
from cases.models import (
    REASON_LIMIT,
    ROLE_IN_CASE_LIMIT,
    SUMMARY_LIMIT,
    Case,
    CaseClosure,
    CaseSummaryRevision,
    ClosureOutcome,
    LeadHandover,
    LegalStatus,
    LegalStatusChange,
    ProtectionCategory,
    TeamMember,
)
from core.api import error_responses
from core.bounds import DB_INT_MAX

ERRORS = error_responses(400, 403, 404)


class _Scoped(CaseScopedMixin):
    """CaseScopedMixin, with the case it resolved typed for the views below."""

    @property
    def scoped_case(self) -> Case:
        case = self.case
        assert case is not None, "CaseScopedMixin.initial resolves the case before any handler runs"
        return case


def _reason(what: str) -> serializers.CharField:
    return serializers.CharField(
        max_length=REASON_LIMIT,
        trim_whitespace=True,
        error_messages={
            "required": f"Enter the reason {what}.",
            "blank": f"Enter the reason {what}.",
            "max_length": f"The reason must be {REASON_LIMIT:,} characters or fewer.",
        },
    )


def _date(what: str, *, required: bool = True) -> serializers.DateField:
    return serializers.DateField(
        required=required,
        error_messages={
            "required": f"Enter the date {what}.",
            "null": f"Enter the date {what}.",
            "invalid": f"Enter the date {what} as YYYY-MM-DD.",
        },
    )


def _user_id(message: str) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        max_value=DB_INT_MAX,
        error_messages={
            "required": message,
            "null": message,
            "invalid": message,
            "min_value": message,
            "max_value": message,
        },
    )


# --- Legal-status history ------------------------------------------------------------------------


class StatusChangeSerializer(serializers.ModelSerializer[LegalStatusChange]):
    effective_to = serializers.DateField(read_only=True, allow_null=True)
    # Blank for every status but a child protection plan: the schema's enum must say so.
    protection_category = serializers.ChoiceField(choices=ProtectionCategory.choices, allow_blank=True, read_only=True)

    class Meta:
        model = LegalStatusChange
        fields = [
            "id",
            "legal_status",
            "protection_category",
            "effective_from",
            "effective_to",
            "reason",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class StatusChangeInput(serializers.Serializer[Any]):
    legal_status = serializers.ChoiceField(
        choices=LegalStatus.choices,
        error_messages={
            "required": "Select the legal status.",
            "invalid_choice": "Select the legal status: early_help, child_in_need, child_protection or looked_after.",
        },
    )
    protection_category = serializers.ChoiceField(
        choices=ProtectionCategory.choices,
        required=False,
        allow_blank=True,
        error_messages={"invalid_choice": "Select the category: " + ", ".join(ProtectionCategory.values) + "."},
    )
    effective_from = _date("the status changed")
    reason = _reason("for the change")


class CaseStatusHistory(_Scoped, generics.ListCreateAPIView):
    """The legal-status history, oldest first; POST records a change (backdated with a reason, never
    to or before the current status's start)."""

    serializer_class = StatusChangeSerializer
    audit_read_action = "case.status_history_read"
    keyset_ordering = ("effective_from", "id")

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return LegalStatusChange.objects.none()
        return selectors.case_status_history(self.scoped_case)

    @extend_schema(request=StatusChangeInput, responses={201: StatusChangeSerializer, **ERRORS})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = StatusChangeInput(data=request.data)
        body.is_valid(raise_exception=True)
        row = services.case_status_change(acting_user=request.user, case=self.scoped_case, **body.validated_data)
        answer = selectors.case_status_history(self.scoped_case).get(pk=row.pk)
        return Response(StatusChangeSerializer(answer).data, status=status.HTTP_201_CREATED)


# --- Close and reopen ----------------------------------------------------------------------------


class CaseClosureSerializer(serializers.ModelSerializer[CaseClosure]):
    class Meta:
        model = CaseClosure
        fields = [
            "id",
            "closed_on",
            "outcome",
            "reason",
            "closed_by",
            "closed_at",
            "reopened_on",
            "reopen_reason",
            "reopened_by",
            "reopened_at",
        ]
        read_only_fields = fields


class CloseInput(serializers.Serializer[Any]):
    closed_on = _date("the case closed")
    reason = _reason("for closing the case")
    outcome = serializers.ChoiceField(
        choices=ClosureOutcome.choices,
        error_messages={
            "required": "Select the outcome of the case.",
            "invalid_choice": "Select the outcome: " + ", ".join(ClosureOutcome.values) + ".",
        },
    )


class ReopenInput(serializers.Serializer[Any]):
    reopened_on = _date("the case reopened")
    reason = _reason("for reopening the case")


class CaseClose(_Scoped, APIView):
    @extend_schema(request=CloseInput, responses={200: CaseClosureSerializer, **ERRORS})
    def post(self, request: Request, case_id: int) -> Response:
        body = CloseInput(data=request.data)
        body.is_valid(raise_exception=True)
        closure = services.case_close(acting_user=request.user, case=self.scoped_case, **body.validated_data)
        return Response(CaseClosureSerializer(closure).data)


class CaseReopen(_Scoped, APIView):
    @extend_schema(request=ReopenInput, responses={200: CaseClosureSerializer, **ERRORS})
    def post(self, request: Request, case_id: int) -> Response:
        body = ReopenInput(data=request.data)
        body.is_valid(raise_exception=True)
        closure = services.case_reopen(acting_user=request.user, case=self.scoped_case, **body.validated_data)
        return Response(CaseClosureSerializer(closure).data)


# --- Lead handover -------------------------------------------------------------------------------


class LeadHandoverSerializer(serializers.ModelSerializer[LeadHandover]):
    lead_professional = serializers.IntegerField(source="to_user_id", read_only=True)
    previous_lead_professional = serializers.IntegerField(source="from_user_id", read_only=True, allow_null=True)
    lead_agency = serializers.IntegerField(source="case.lead_agency_id", read_only=True)

    class Meta:
        model = LeadHandover
        fields = [
            "id",
            "lead_professional",
            "previous_lead_professional",
            "lead_agency",
            "handed_over_on",
            "reason",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class LeadInput(serializers.Serializer[Any]):
    lead_professional = _user_id("Choose a social worker of an agency involved in this case.")
    reason = _reason("for the handover")


class CaseLeadHandover(_Scoped, APIView):
    @extend_schema(request=LeadInput, responses={200: LeadHandoverSerializer, **ERRORS})
    def post(self, request: Request, case_id: int) -> Response:
        body = LeadInput(data=request.data)
        body.is_valid(raise_exception=True)
        case = self.scoped_case
        candidate = selectors.involved_users(case).filter(pk=body.validated_data["lead_professional"]).first()
        handover = services.case_lead_hand_over(
            acting_user=request.user, case=case, lead_professional=candidate, reason=body.validated_data["reason"]
        )
        return Response(LeadHandoverSerializer(handover).data)


# --- The team around the child -------------------------------------------------------------------


class TeamMemberSerializer(serializers.ModelSerializer[TeamMember]):
    name = serializers.CharField(source="user.display_name", read_only=True)
    agency = serializers.IntegerField(source="user.agency_id", read_only=True, allow_null=True)
    agency_name = serializers.CharField(source="user.agency.name", read_only=True, default="")
    is_lead = serializers.SerializerMethodField()

    class Meta:
        model = TeamMember
        fields = ["id", "user", "name", "agency", "agency_name", "role_in_case", "started_on", "ended_on", "is_lead"]
        read_only_fields = fields

    def get_is_lead(self, member: TeamMember) -> bool:
        from cases import permissions

        return permissions.is_lead_professional(member.user, member.case)


class TeamMemberInput(serializers.Serializer[Any]):
    user = _user_id("Choose a professional of an agency involved in this case.")
    role_in_case = serializers.CharField(
        max_length=ROLE_IN_CASE_LIMIT,
        error_messages={
            "required": "Enter their role in the case, for example “health visitor for Mia”.",
            "blank": "Enter their role in the case, for example “health visitor for Mia”.",
            "max_length": f"The role in the case must be {ROLE_IN_CASE_LIMIT:,} characters or fewer.",
        },
    )
    started_on = _date("they joined", required=False)


class TeamEndInput(serializers.Serializer[Any]):
    ended_on = _date("they left the team")


class CaseTeam(_Scoped, generics.ListCreateAPIView):
    """The team around the child: its current members (`?all=1` also those who have left)."""

    serializer_class = TeamMemberSerializer
    audit_read_action = "case.team_read"

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return TeamMember.objects.none()
        include_ended = self.request.query_params.get("all") in ("1", "true")
        return selectors.case_team(self.scoped_case, include_ended=include_ended)

    @extend_schema(request=TeamMemberInput, responses={201: TeamMemberSerializer, **ERRORS})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = TeamMemberInput(data=request.data)
        body.is_valid(raise_exception=True)
        case = self.scoped_case
        user = selectors.involved_users(case).filter(pk=body.validated_data["user"]).first()
        member = services.team_member_add(
            acting_user=request.user,
            case=case,
            user=user,
            role_in_case=body.validated_data["role_in_case"],
            started_on=body.validated_data.get("started_on"),
        )
        return Response(TeamMemberSerializer(member).data, status=status.HTTP_201_CREATED)


class CaseTeamMemberEnd(_Scoped, APIView):
    @extend_schema(request=TeamEndInput, responses={200: TeamMemberSerializer, **ERRORS})
    def post(self, request: Request, case_id: int, team_member_id: int) -> Response:
        member = selectors.case_team_member(self.scoped_case, team_member_id)
        body = TeamEndInput(data=request.data)
        body.is_valid(raise_exception=True)
        member = services.team_member_end(acting_user=request.user, member=member, **body.validated_data)
        return Response(TeamMemberSerializer(member).data)


# --- The case summary ----------------------------------------------------------------------------


class SummarySerializer(serializers.ModelSerializer[CaseSummaryRevision]):
    # Null with revision 0 before any summary is written.
    recorded_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = CaseSummaryRevision
        fields = ["text", "revision", "recorded_by", "recorded_at"]
        read_only_fields = fields


class SummaryInput(serializers.Serializer[Any]):
    text = serializers.CharField(
        max_length=SUMMARY_LIMIT,
        error_messages={
            "required": "Enter the case summary.",
            "blank": "Enter the case summary.",
            "max_length": f"The summary must be {SUMMARY_LIMIT:,} characters or fewer.",
        },
    )
    revision = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=DB_INT_MAX,
        help_text="The revision you read, so a summary changed meanwhile is not overwritten.",
    )


EMPTY_SUMMARY = {"text": "", "revision": 0, "recorded_by": None, "recorded_at": None}


class CaseSummary(_Scoped, APIView):
    """The current case summary (revision 0 and empty text before one is written)."""

    audit_read_action = "case.summary_read"

    @extend_schema(responses={200: SummarySerializer, **ERRORS})
    def get(self, request: Request, case_id: int) -> Response:
        current = selectors.case_summary(self.scoped_case)
        return Response(SummarySerializer(current).data if current is not None else EMPTY_SUMMARY)

    @extend_schema(request=SummaryInput, responses={201: SummarySerializer, **ERRORS})
    def post(self, request: Request, case_id: int) -> Response:
        body = SummaryInput(data=request.data)
        body.is_valid(raise_exception=True)
        revision = services.case_summary_revise(
            acting_user=request.user,
            case=self.scoped_case,
            text=body.validated_data["text"],
            expected_revision=body.validated_data.get("revision"),
        )
        return Response(SummarySerializer(revision).data, status=status.HTTP_201_CREATED)


class CaseSummaryRevisions(_Scoped, generics.ListAPIView):
    serializer_class = SummarySerializer
    audit_read_action = "case.summary_read"
    keyset_ordering = ("revision", "id")

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return CaseSummaryRevision.objects.none()
        return selectors.case_summary_revisions(self.scoped_case)
