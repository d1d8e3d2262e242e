"""Cases API views: thin. The case comes from CaseScopedMixin (the access selector), reads from
cases.selectors, writes from cases.services with the input serializer's validated_data."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response

from audit.services import audit_record
from cases import selectors, services
from cases.api.base import CaseScopedMixin
from cases.api.serializers import (
    CaseAgencyInputSerializer,
    CaseAgencySerializer,
    CaseInputSerializer,
    CaseSerializer,
    PersonInputSerializer,
    PersonSerializer,
)
from cases.models import Case, CaseAgency, Person
from core.api import error_responses


class CaseListCreate(generics.ListAPIView):
    """Cases the user can see; social workers and administrators open new ones."""

    serializer_class = CaseSerializer

    def get_queryset(self) -> QuerySet[Case]:
        # The serializer reads case.agencies: prefetch that (one query for the page), not the
        # CaseAgency rows, or every case asks for its agencies (N+1).
        return selectors.cases_visible_to(self.request.user).prefetch_related("agencies")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response: Response = super().list(request, *args, **kwargs)
        audit_record(actor=request.user, action="case.listed", detail={"count": len(response.data["results"])})
        return response

    @extend_schema(request=CaseInputSerializer, responses={201: CaseSerializer, **error_responses(400, 403)})
    def post(self, request: Request) -> Response:
        body = CaseInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        case = services.case_create(acting_user=request.user, **body.validated_data)
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)


class CaseDetail(CaseScopedMixin, generics.RetrieveAPIView):
    serializer_class = CaseSerializer
    audit_read_action = "case.viewed"

    def get_object(self) -> Case:
        return self.case


class CaseAgencyListCreate(CaseScopedMixin, generics.ListAPIView):
    serializer_class = CaseAgencySerializer

    def get_queryset(self) -> QuerySet[CaseAgency]:
        return selectors.case_agencies(self.case)

    @extend_schema(
        request=CaseAgencyInputSerializer, responses={201: CaseAgencySerializer, **error_responses(400, 403, 404)}
    )
    def post(self, request: Request, case_id: int) -> Response:
        body = CaseAgencyInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        involvement = services.case_agency_involve(acting_user=request.user, case=self.case, **body.validated_data)
        return Response(CaseAgencySerializer(involvement).data, status=status.HTTP_201_CREATED)


class PersonListCreate(CaseScopedMixin, generics.ListAPIView):
    serializer_class = PersonSerializer

    def get_queryset(self) -> QuerySet[Person]:
        return selectors.case_people(self.case)

    @extend_schema(request=PersonInputSerializer, responses={201: PersonSerializer, **error_responses(400, 403, 404)})
    def post(self, request: Request, case_id: int) -> Response:
        body = PersonInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        person = services.person_create(acting_user=request.user, case=self.case, **body.validated_data)
        return Response(PersonSerializer(person).data, status=status.HTTP_201_CREATED)


class PersonDetail(CaseScopedMixin, generics.RetrieveAPIView):
    serializer_class = PersonSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self) -> Person:
        return selectors.case_person(self.case, self.kwargs["person_id"])

    @property
    def audit_read_action(self) -> str:  # type: ignore[override]
        return "person.viewed" if self.request.method in SAFE_METHODS else "case.read"

    @extend_schema(request=PersonInputSerializer, responses={200: PersonSerializer, **error_responses(400, 403, 404)})
    def patch(self, request: Request, case_id: int, person_id: int) -> Response:
        person = self.get_object()
        body = PersonInputSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        person = services.person_update(acting_user=request.user, person=person, **body.validated_data)
        return Response(PersonSerializer(person).data)
