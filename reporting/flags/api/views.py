"""Flags API: the flags of a case as of a date, reviews of them, and the case's rule settings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.api.base import CaseScopedMixin
from reporting.flags.base import Severity
from reporting.flags.engine import rule_classes
from reporting.flags.models import (
    REVIEW_RATIONALE_MAX_CHARS,
    RULE_SETTING_REASON_MAX_CHARS,
    FlagDecision,
    FlagReview,
)
from reporting.flags.review import flags_as_recorded
from reporting.flags.selectors import CaseFlag, case_rule_settings, effective_params, flags_for_case
from reporting.flags.services import flag_review_record, rule_setting_change


def parse_at(value: str | None) -> dt.date:
    """`?at=YYYY-MM-DD`, today when absent; a bad date is a 400 with a field error."""
    if value in (None, ""):
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise serializers.ValidationError({"at": ["Enter a date as YYYY-MM-DD, like 2026-03-02."]})


def parse_as_recorded(value: str | None) -> bool:
    """`?as_recorded=true|false` (also 1/0); anything else is a 400 with a field error."""
    if value in (None, ""):
        return False
    word = str(value).strip().lower()
    if word in ("true", "1"):
        return True
    if word in ("false", "0"):
        return False
    raise serializers.ValidationError({"as_recorded": ["Say true or false."]})


def flag_json(flag: CaseFlag) -> dict[str, Any]:
    review = flag.review
    return {
        "rule": flag.rule,
        "title": flag.title,
        "severity": flag.severity,
        "key": flag.key,
        "people": list(flag.people),
        "people_names": list(flag.people_names),
        "evidence": list(flag.evidence),
        "explanation": flag.explanation,
        "rationale": flag.rationale,
        "status": flag.status,
        "new_evidence": list(flag.new_evidence),
        "review": None
        if review is None
        else {
            "id": review.id,
            "decision": review.decision,
            "decision_label": review.decision_label,
            "rationale": review.rationale,
            "reviewed_by": review.reviewed_by,
            "reviewed_at": review.reviewed_at.isoformat(),
            "evidence": list(review.evidence),
            "new_evidence_said": flag.new_evidence_said,
        },
    }


# Responses: flag_json() and the views build the bodies; these serializers describe them for the
# OpenAPI schema.


class FlagReviewStateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    decision = serializers.ChoiceField(choices=FlagDecision.choices)
    decision_label = serializers.CharField()
    rationale = serializers.CharField()
    reviewed_by = serializers.CharField(help_text="The reviewer's name.")
    reviewed_at = serializers.DateTimeField()
    evidence = serializers.ListField(child=serializers.IntegerField(), help_text="Entry ids seen at the review.")
    new_evidence_said = serializers.CharField()


class FlagSerializer(serializers.Serializer):
    rule = serializers.CharField()
    title = serializers.CharField()
    severity = serializers.ChoiceField(choices=[(s.value, s.value) for s in Severity])
    key = serializers.CharField()
    people = serializers.ListField(child=serializers.IntegerField())
    people_names = serializers.ListField(child=serializers.CharField())
    evidence = serializers.ListField(child=serializers.IntegerField(), help_text="Entry ids.")
    explanation = serializers.CharField()
    rationale = serializers.CharField()
    status = serializers.ChoiceField(choices=[("open", "open"), ("reviewed", "reviewed"), ("reopened", "reopened")])
    new_evidence = serializers.ListField(child=serializers.IntegerField())
    review = FlagReviewStateSerializer(allow_null=True)


class FlagListSerializer(serializers.Serializer):
    at = serializers.DateField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = FlagSerializer(many=True)


class CaseFlagList(CaseScopedMixin, APIView):
    """GET the flags of a case as of `?at=YYYY-MM-DD` (default today), most severe first."""

    audit_read_action = "flags.viewed"

    @extend_schema(
        parameters=[
            OpenApiParameter("at", OpenApiTypes.DATE, description="Flags as of this date (default today)."),
            OpenApiParameter(
                "as_recorded",
                OpenApiTypes.BOOL,
                description="true: from what had been recorded by the end of `at` (required then), in the "
                "revisions current that day; later amendments and retractions do not count yet.",
            ),
        ],
        responses=FlagListSerializer,
    )
    def get(self, request: Request, case_id: int) -> Response:
        as_recorded = parse_as_recorded(request.query_params.get("as_recorded"))
        if as_recorded and not request.query_params.get("at"):
            raise serializers.ValidationError(
                {"at": ["Give the date to see the flags as recorded by, as YYYY-MM-DD, like 2026-03-02."]}
            )
        at = parse_at(request.query_params.get("at"))
        flags = flags_as_recorded(self.case, at) if as_recorded else flags_for_case(self.case, at)
        return Response(
            {"at": at.isoformat(), "next": None, "previous": None, "results": [flag_json(f) for f in flags]}
        )


class FlagReviewSerializer(serializers.Serializer):
    rule = serializers.CharField(max_length=60)
    key = serializers.CharField(max_length=120)
    decision = serializers.ChoiceField(choices=FlagDecision.choices)
    rationale = serializers.CharField(
        max_length=REVIEW_RATIONALE_MAX_CHARS,
        error_messages={"max_length": f"Keep the rationale to {REVIEW_RATIONALE_MAX_CHARS:,} characters or fewer."},
    )
    at = serializers.DateField(required=False)


class FlagReviewResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    rule = serializers.CharField()
    key = serializers.CharField()
    decision = serializers.ChoiceField(choices=FlagDecision.choices)
    rationale = serializers.CharField()
    evidence = serializers.ListField(child=serializers.IntegerField())
    reviewed_by = serializers.CharField()
    reviewed_at = serializers.DateTimeField()


class FlagReviewCreate(CaseScopedMixin, APIView):
    """POST a decision and rationale about one flag (rule + key) as of `at` (default today)."""

    @extend_schema(request=FlagReviewSerializer, responses={201: FlagReviewResultSerializer})
    def post(self, request: Request, case_id: int) -> Response:
        serializer = FlagReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        review: FlagReview = flag_review_record(
            acting_user=request.user,
            case=self.case,
            rule=data["rule"],
            key=data["key"],
            decision=data["decision"],
            rationale=data["rationale"],
            at=data.get("at") or timezone.localdate(),
        )
        return Response(
            {
                "id": review.pk,
                "rule": review.rule,
                "key": review.flag_key,
                "decision": review.decision,
                "rationale": review.rationale,
                "evidence": [int(i) for i in review.evidence],
                "reviewed_by": review.reviewed_by.display_name,
                "reviewed_at": review.reviewed_at.isoformat(),
            },
            status=status.HTTP_201_CREATED,
        )


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}]})
class ParamValueField(serializers.JSONField):
    """A rule parameter's value: a whole number or a word (the rule checks which)."""


def _params(**kwargs) -> serializers.DictField:
    return serializers.DictField(child=ParamValueField(), **kwargs)


class RuleSettingSerializer(serializers.Serializer):
    rule = serializers.CharField(max_length=60)
    params = _params(allow_empty=True)
    reason = serializers.CharField(
        max_length=RULE_SETTING_REASON_MAX_CHARS,
        error_messages={"max_length": f"Keep the reason to {RULE_SETTING_REASON_MAX_CHARS:,} characters or fewer."},
    )


class RuleSettingStateSerializer(serializers.Serializer):
    rule = serializers.CharField()
    title = serializers.CharField()
    severity = serializers.ChoiceField(choices=[(s.value, s.value) for s in Severity])
    rationale = serializers.CharField()
    defaults = _params()
    params = _params()
    changed = serializers.BooleanField()
    reason = serializers.CharField()
    changed_by = serializers.CharField(allow_null=True)
    changed_at = serializers.DateTimeField(allow_null=True)


class RuleSettingListSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = RuleSettingStateSerializer(many=True)


class RuleSettingResultSerializer(serializers.Serializer):
    rule = serializers.CharField()
    params = _params()
    reason = serializers.CharField()


class CaseRuleSettings(CaseScopedMixin, APIView):
    """GET every rule with its defaults and this case's parameters; POST a change with its reason."""

    audit_read_action = "flag_rules.viewed"

    @extend_schema(responses=RuleSettingListSerializer)
    def get(self, request: Request, case_id: int) -> Response:
        settings = case_rule_settings(self.case)
        params = effective_params(self.case, settings)
        results = []
        for rule in rule_classes():
            setting = settings.get(rule.id)
            results.append(
                {
                    "rule": rule.id,
                    "title": rule.title,
                    "severity": rule.severity.value,
                    "rationale": rule.rationale,
                    "defaults": dict(rule.defaults),
                    "params": params[rule.id],
                    "changed": bool(setting and setting.params),
                    "reason": setting.reason if setting else "",
                    "changed_by": setting.changed_by.display_name if setting else None,
                    "changed_at": setting.changed_at.isoformat() if setting else None,
                }
            )
        return Response({"next": None, "previous": None, "results": results})

    @extend_schema(request=RuleSettingSerializer, responses={201: RuleSettingResultSerializer})
    def post(self, request: Request, case_id: int) -> Response:
        serializer = RuleSettingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        setting = rule_setting_change(
            acting_user=request.user, case=self.case, rule=data["rule"], params=data["params"], reason=data["reason"]
        )
        return Response(
            {"rule": setting.rule, "params": effective_params(self.case)[setting.rule], "reason": setting.reason},
            status=status.HTTP_201_CREATED,
        )
