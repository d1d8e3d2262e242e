"""Cases API bodies: an input serializer validates each request body (the view passes its
validated_data to the service), an output serializer describes each answer."""

from typing import Any

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from agencies.models import Agency
from cases import services
from cases.models import Case, CaseAgency, Person
from core.api import LimitedModelSerializer, ModelFieldsSerializer


@extend_schema_serializer(component_name="Case")
class CaseInputSerializer(ModelFieldsSerializer):
    """The body of POST /cases/ (case_create)."""

    class Meta:
        model = Case
        fields = [
            "reference",
            "title",
            "lead_agency",
            "lead_professional",
            "legal_status",
            "protection_category",
            "opened_on",
        ]


class CaseSerializer(LimitedModelSerializer):
    agencies = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "title",
            "status",
            "lead_agency",
            "lead_professional",
            "legal_status",
            "protection_category",
            "opened_on",
            "closed_on",
            "agencies",
        ]
        read_only_fields = ["status", "closed_on", "agencies"]


@extend_schema_serializer(component_name="CaseAgency")
class CaseAgencyInputSerializer(serializers.Serializer):
    """The body of POST /cases/{id}/agencies/ (case_agency_involve)."""

    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())


class CaseAgencySerializer(LimitedModelSerializer):
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    agency_kind = serializers.CharField(source="agency.kind", read_only=True)

    class Meta:
        model = CaseAgency
        fields = ["id", "agency", "agency_name", "agency_kind", "involved_on", "involved_by"]
        read_only_fields = ["involved_on", "involved_by"]


@extend_schema_serializer(component_name="Person")
class PersonInputSerializer(ModelFieldsSerializer):
    """The body of POST /cases/{id}/people/ (person_create) and, partial, of PATCH (person_update)."""

    class Meta:
        model = Person
        fields = list(services.PERSON_FIELDS)
        extra_kwargs = {"nhs_number": {"label": "NHS number"}}


class EnteredInErrorSerializer(serializers.Serializer):
    """When, by whom (a user id) and why a record was marked entered in error."""

    at = serializers.DateTimeField(source="entered_in_error_at")
    by = serializers.IntegerField(source="entered_in_error_by_id", allow_null=True)
    reason = serializers.CharField(source="entered_in_error_reason")


@extend_schema_field(EnteredInErrorSerializer(allow_null=True))
class EnteredInErrorField(serializers.Field):
    """`entered_in_error`: null while the record stands, else {at, by, reason}. Lists leave marked
    records out, so only a single record's answer (GET of a person, a marking's answer) carries one."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> Any:
        if getattr(value, "entered_in_error_at", None) is None:
            return None
        return EnteredInErrorSerializer(value).data


class PersonSerializer(LimitedModelSerializer):
    entered_in_error = EnteredInErrorField()

    class Meta:
        model = Person
        fields = ["id", *services.PERSON_FIELDS, "entered_in_error"]
        extra_kwargs = {"nhs_number": {"label": "NHS number"}}
