from rest_framework import generics
from rest_framework.permissions import SAFE_METHODS

from audit.services import audit_record
from cases import selectors
from cases.api.base import CaseScopedMixin
from cases.api.serializers import CaseAgencySerializer, CaseSerializer, PersonSerializer


class CaseListCreate(generics.ListCreateAPIView):
    """Cases the user can see; social workers and administrators open new ones."""

    serializer_class = CaseSerializer

    def get_queryset(self):
        # The serializer reads case.agencies: prefetch that (one query for the page), not the
        # CaseAgency rows, or every case asks for its agencies (N+1).
        return selectors.cases_visible_to(self.request.user).prefetch_related("agencies")

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        audit_record(actor=request.user, action="case.listed", detail={"count": len(response.data["results"])})
        return response


class CaseDetail(CaseScopedMixin, generics.RetrieveAPIView):
    serializer_class = CaseSerializer
    audit_read_action = "case.viewed"

    def get_object(self):
        return self.case


class CaseAgencyListCreate(CaseScopedMixin, generics.ListCreateAPIView):
    serializer_class = CaseAgencySerializer

    def get_queryset(self):
        return selectors.case_agencies(self.case)


class PersonListCreate(CaseScopedMixin, generics.ListCreateAPIView):
    serializer_class = PersonSerializer

    def get_queryset(self):
        return selectors.case_people(self.case)


class PersonDetail(CaseScopedMixin, generics.RetrieveUpdateAPIView):
    serializer_class = PersonSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return selectors.case_person(self.case, self.kwargs["person_id"])

    @property
    def audit_read_action(self):  # type: ignore[override]
        return "person.viewed" if self.request.method in SAFE_METHODS else "case.read"
