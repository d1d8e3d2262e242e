"""Review mode API: `GET /api/v1/cases/{id}/review/?from=&to=` (DESIGN.md, "Review mode")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.api.base import CaseScopedMixin
from cases.models import Case
from reporting.flags.models import FlagDecision
from reporting.flags.review import FlagStory, ReviewAnalysis, case_review_analysis, require_review_access

FOLLOW_KINDS = ("meeting", "action", "referral", "strategy_discussion")


def review_period(case: Case, date_from: str | None, date_to: str | None) -> tuple[dt.date, dt.date]:
    """`from` and `to` as YYYY-MM-DD (default: the case's opening, today); 400 with field errors."""
    errors: dict[str, list[str]] = {}
    days: dict[str, dt.date] = {}
    for name, value, default in (("from", date_from, case.opened_on), ("to", date_to, timezone.localdate())):
        if value in (None, ""):
            days[name] = default
            continue
        try:
            days[name] = dt.date.fromisoformat(str(value))
        except ValueError:
            errors[name] = ["Enter a date as YYYY-MM-DD, like 2026-03-02."]
    if not errors and days["from"] > days["to"]:
        errors["to"] = ["The end of the period must be the same as or after its start."]
    if errors:
        raise serializers.ValidationError(errors)
    return days["from"], days["to"]


def story_json(story: FlagStory) -> dict[str, Any]:
    return {
        "rule": story.rule,
        "key": story.key,
        "people": list(story.people),
        "first_occurred_on": story.first_occurred_on.isoformat() if story.first_occurred_on else None,
        "first_knowable_on": story.first_knowable_on.isoformat() if story.first_knowable_on else None,
        "agencies": [
            {"agency": a.agency, "first_recorded_on": a.first_recorded_on.isoformat()} for a in story.agencies
        ],
        "first_seen_on": story.first_seen_on.isoformat() if story.first_seen_on else None,
        "first_review": None
        if story.first_review is None
        else {"date": story.first_review.on.isoformat(), "decision": story.first_review.decision},
        "followed_by": [{"kind": f.kind, "date": f.on.isoformat(), "what": f.what} for f in story.followed_by],
        "days_to_first_action": story.days_to_first_action,
    }


def analysis_json(analysis: ReviewAnalysis) -> dict[str, Any]:
    return {
        "from": analysis.date_from.isoformat(),
        "to": analysis.date_to.isoformat(),
        "complete": analysis.complete,
        "next": None,
        "previous": None,
        "results": [story_json(s) for s in analysis.flags],
    }


class AgencyEvidenceSerializer(serializers.Serializer):
    agency = serializers.CharField()
    first_recorded_on = serializers.DateField(help_text="The day the agency recorded its first piece of evidence.")


class FirstReviewSerializer(serializers.Serializer):
    date = serializers.DateField()
    decision = serializers.ChoiceField(choices=FlagDecision.choices)


class FollowUpSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[(k, k) for k in FOLLOW_KINDS])
    date = serializers.DateField()
    what = serializers.CharField()


class FlagStorySerializer(serializers.Serializer):
    rule = serializers.CharField()
    key = serializers.CharField()
    people = serializers.ListField(child=serializers.IntegerField())
    first_occurred_on = serializers.DateField(allow_null=True)
    first_knowable_on = serializers.DateField(allow_null=True)
    agencies = AgencyEvidenceSerializer(many=True)
    first_seen_on = serializers.DateField(allow_null=True)
    first_review = FirstReviewSerializer(allow_null=True)
    followed_by = FollowUpSerializer(many=True)
    days_to_first_action = serializers.IntegerField(allow_null=True)


class ReviewAnalysisSerializer(serializers.Serializer):
    # "from" is a Python keyword: the field is declared under another name and renamed below.
    to = serializers.DateField()
    complete = serializers.BooleanField(help_text="False when the evaluation cap left a first day approximate.")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = FlagStorySerializer(many=True)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields: dict[str, serializers.Field] = super().get_fields()
        return {"from": serializers.DateField(), **fields}


class CaseReview(CaseScopedMixin, APIView):
    """GET the review analysis of a case over `?from=&to=` (managers and administrators)."""

    audit_read_action = "review.viewed"

    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="Start of the period (default: the case opened)."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="End of the period (default: today)."),
        ],
        responses=ReviewAnalysisSerializer,
    )
    def get(self, request: Request, case_id: int) -> Response:
        require_review_access(request.user, self.case)
        date_from, date_to = review_period(self.case, request.query_params.get("from"), request.query_params.get("to"))
        analysis = case_review_analysis(request.user, self.case, date_from, date_to)
        return Response(analysis_json(analysis))
