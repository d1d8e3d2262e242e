from rest_framework import serializers

from agencies.models import Agency
from cases import services
from cases.models import Case, CaseAgency, Person
from core.api import LimitedModelSerializer


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

    def create(self, validated_data):
        return services.case_create(acting_user=self.context["request"].user, **validated_data)


class CaseAgencySerializer(LimitedModelSerializer):
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    agency_kind = serializers.CharField(source="agency.kind", read_only=True)

    class Meta:
        model = CaseAgency
        fields = ["id", "agency", "agency_name", "agency_kind", "involved_on", "involved_by"]
        read_only_fields = ["involved_on", "involved_by"]

    def create(self, validated_data):
        return services.case_agency_involve(
            acting_user=self.context["request"].user, case=self.context["case"], agency=validated_data["agency"]
        )


class PersonSerializer(LimitedModelSerializer):
    class Meta:
        model = Person
        fields = ["id", *services.PERSON_FIELDS]
        extra_kwargs = {"nhs_number": {"label": "NHS number"}}

    def create(self, validated_data):
        return services.person_create(
            acting_user=self.context["request"].user, case=self.context["case"], **validated_data
        )

    def update(self, instance, validated_data):
        return services.person_update(acting_user=self.context["request"].user, person=instance, **validated_data)
