"""API views for the family structure. The case comes from CaseScopedMixin (the access selector);
reads are audited by the mixin, writes by the services."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import selectors as case_selectors
from cases import services as case_services
from cases.api.base import CaseScopedMixin
from cases.api.serializers import PersonSerializer
from core.api import error_responses
from genogram import drawings, gedcom, selectors, services
from genogram.api import serializers as s
from genogram.graphviz import FamilyTooLarge, RenderError

AT = OpenApiParameter("at", OpenApiTypes.DATE, description="As of this date (default today).")


def date_param(request, name: str = "at") -> dt.date:
    raw = request.query_params.get(name)
    if not raw:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({name: ["Enter a date as YYYY-MM-DD."]})


class RelationshipListCreate(CaseScopedMixin, generics.ListAPIView):
    serializer_class = s.RelationshipSerializer
    audit_read_action = "relationship.listed"

    def get_queryset(self):
        return selectors.case_relationships(self.case)

    @extend_schema(
        request=s.RelationshipInputSerializer,
        responses={201: s.RelationshipSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, case_id):
        body = s.RelationshipInputSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        relationship = services.relationship_create(acting_user=request.user, case=self.case, **body.validated_data)
        return Response(s.RelationshipSerializer(relationship).data, status=status.HTTP_201_CREATED)


class RelationshipEnd(CaseScopedMixin, APIView):
    @extend_schema(request=s.EndRelationshipSerializer, responses=s.RelationshipSerializer)
    def post(self, request, case_id, relationship_id):
        relationship = selectors.case_relationship(self.case, relationship_id)
        body = s.EndRelationshipSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        relationship = services.relationship_end(
            acting_user=request.user, relationship=relationship, end_date=body.validated_data["end_date"]
        )
        return Response(s.RelationshipSerializer(relationship).data)


class HouseholdListCreate(CaseScopedMixin, generics.ListAPIView):
    serializer_class = s.HouseholdSerializer
    audit_read_action = "household.listed"

    def get_queryset(self):
        return selectors.case_households_with_members(self.case)

    @extend_schema(
        request=s.HouseholdInputSerializer, responses={201: s.HouseholdSerializer, **error_responses(400, 403, 404)}
    )
    def post(self, request, case_id):
        body = s.HouseholdInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        household = services.household_create(acting_user=request.user, case=self.case, **body.validated_data)
        return Response(s.HouseholdSerializer(household).data, status=status.HTTP_201_CREATED)


class HouseholdDetail(CaseScopedMixin, generics.RetrieveAPIView):
    serializer_class = s.HouseholdSerializer
    audit_read_action = "household.viewed"

    def get_object(self):
        return selectors.case_household_with_members(self.case, self.kwargs["household_id"])


class HouseholdMemberListCreate(CaseScopedMixin, generics.ListAPIView):
    serializer_class = s.HouseholdMemberSerializer
    audit_read_action = "household.viewed"

    def get_household(self):
        return selectors.case_household(self.case, self.kwargs["household_id"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no case, no household
            return s.HouseholdMemberSerializer.Meta.model.objects.none()
        return selectors.household_memberships(self.get_household())

    @extend_schema(
        request=s.HouseholdMemberInputSerializer,
        responses={201: s.HouseholdMemberSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, case_id, household_id):
        household = self.get_household()
        body = s.HouseholdMemberInputSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        member = services.household_member_add(acting_user=request.user, household=household, **body.validated_data)
        return Response(s.HouseholdMemberSerializer(member).data, status=status.HTTP_201_CREATED)


class HouseholdMemberEnd(CaseScopedMixin, APIView):
    @extend_schema(request=s.EndMembershipSerializer, responses=s.HouseholdMemberSerializer)
    def post(self, request, case_id, household_id, member_id):
        household = selectors.case_household(self.case, household_id)
        member = selectors.household_memberships(household).filter(pk=member_id).first()
        if member is None:
            return Response({"detail": "No such household member."}, status=status.HTTP_404_NOT_FOUND)
        body = s.EndMembershipSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        member = services.household_member_end(
            acting_user=request.user, member=member, to_date=body.validated_data["to_date"]
        )
        return Response(s.HouseholdMemberSerializer(member).data)


class EcomapLinkListCreate(CaseScopedMixin, generics.ListAPIView):
    serializer_class = s.EcomapLinkSerializer
    audit_read_action = "ecomap.links_listed"

    def get_queryset(self):
        return selectors.case_ecomap_links(self.case)

    @extend_schema(
        request=s.EcomapLinkInputSerializer, responses={201: s.EcomapLinkSerializer, **error_responses(400, 403, 404)}
    )
    def post(self, request, case_id):
        body = s.EcomapLinkInputSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        link = services.ecomap_link_create(acting_user=request.user, case=self.case, **body.validated_data)
        return Response(s.EcomapLinkSerializer(link).data, status=status.HTTP_201_CREATED)


class EcomapLinkEnd(CaseScopedMixin, APIView):
    @extend_schema(request=s.EndLinkSerializer, responses=s.EcomapLinkSerializer)
    def post(self, request, case_id, link_id):
        link = selectors.case_ecomap_link(self.case, link_id)
        body = s.EndLinkSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        link = services.ecomap_link_end(acting_user=request.user, link=link, end_date=body.validated_data["end_date"])
        return Response(s.EcomapLinkSerializer(link).data)


# --- Entered in error: POST {reason}; 400 with field errors, 403 for those who may not, 404 outside ---

MARK = {"request": s.EnteredInErrorInputSerializer}


def _reason(request) -> str:
    body = s.EnteredInErrorInputSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    reason: str = body.validated_data["reason"]
    return reason


class PersonEnteredInError(CaseScopedMixin, APIView):
    @extend_schema(**MARK, responses={200: PersonSerializer, **error_responses(400, 403, 404)})
    def post(self, request, case_id, person_id):
        person = case_selectors.case_person(self.case, person_id)
        reason = _reason(request)
        person = case_services.person_mark_entered_in_error(acting_user=request.user, person=person, reason=reason)
        return Response(PersonSerializer(person).data)


class RelationshipEnteredInError(CaseScopedMixin, APIView):
    @extend_schema(**MARK, responses={200: s.RelationshipSerializer, **error_responses(400, 403, 404)})
    def post(self, request, case_id, relationship_id):
        relationship = selectors.case_relationship(self.case, relationship_id)
        reason = _reason(request)
        relationship = services.relationship_mark_entered_in_error(
            acting_user=request.user, relationship=relationship, reason=reason
        )
        return Response(s.RelationshipSerializer(relationship).data)


class HouseholdMemberEnteredInError(CaseScopedMixin, APIView):
    @extend_schema(**MARK, responses={200: s.HouseholdMemberSerializer, **error_responses(400, 403, 404)})
    def post(self, request, case_id, household_id, member_id):
        household = selectors.case_household(self.case, household_id)
        member = selectors.household_memberships(household, include_entered_in_error=True).filter(pk=member_id).first()
        if member is None:
            return Response({"detail": "No such household member."}, status=status.HTTP_404_NOT_FOUND)
        reason = _reason(request)
        member = services.household_membership_mark_entered_in_error(
            acting_user=request.user, member=member, reason=reason
        )
        return Response(s.HouseholdMemberSerializer(member).data)


class EcomapLinkEnteredInError(CaseScopedMixin, APIView):
    @extend_schema(**MARK, responses={200: s.EcomapLinkSerializer, **error_responses(400, 403, 404)})
    def post(self, request, case_id, link_id):
        link = selectors.case_ecomap_link(self.case, link_id)
        reason = _reason(request)
        link = services.ecomap_link_mark_entered_in_error(acting_user=request.user, link=link, reason=reason)
        return Response(s.EcomapLinkSerializer(link).data)


class _FileView(CaseScopedMixin, APIView):
    """A drawing or export: errors are JSON, the success is the file itself."""

    def perform_content_negotiation(self, request, force=False):
        return (JSONRenderer(), "application/json")

    def handle_exception(self, exc):
        if isinstance(exc, FamilyTooLarge):  # the same answer until the family is smaller: not a 503
            return Response({"detail": str(exc)}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        if isinstance(exc, RenderError):
            return Response({"detail": str(exc)}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        return super().handle_exception(exc)


class GenogramImage(_FileView):
    fmt = "svg"
    audit_read_action = "genogram.viewed"

    @extend_schema(parameters=[AT], responses={200: OpenApiTypes.BINARY})
    def get(self, request, case_id):
        at = date_param(request)
        data = drawings.genogram_image(self.case, at, self.fmt)
        content_type = "image/svg+xml" if self.fmt == "svg" else "image/png"
        return HttpResponse(data, content_type=content_type)


class GenogramJSON(_FileView):
    audit_read_action = "genogram.viewed"

    @extend_schema(parameters=[AT], responses=s.GenogramSerializer)
    def get(self, request, case_id):
        return Response(drawings.genogram_node_link(self.case, date_param(request)))


class GenogramGedcom(_FileView):
    audit_read_action = "genogram.exported"

    @extend_schema(parameters=[AT], responses={(200, "text/plain"): OpenApiTypes.STR})
    def get(self, request, case_id):
        at = date_param(request)
        response = HttpResponse(drawings.genogram_gedcom(self.case, at), content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.case.reference}-genogram.ged"'
        return response


class EcomapImage(_FileView):
    audit_read_action = "ecomap.viewed"

    @extend_schema(parameters=[AT], responses={(200, "image/svg+xml"): OpenApiTypes.BINARY})
    def get(self, request, case_id):
        return HttpResponse(drawings.ecomap_image(self.case, date_param(request)), content_type="image/svg+xml")


class GenogramImport(CaseScopedMixin, APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": s.GedcomUploadSerializer}, responses={201: s.GedcomImportResultSerializer}
    )
    def post(self, request, case_id):
        body = s.GedcomUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        people = gedcom.gedcom_import(
            acting_user=request.user, case=self.case, data=upload.read(), filename=upload.name
        )
        return Response({"people": PersonSerializer(people, many=True).data}, status=status.HTTP_201_CREATED)
