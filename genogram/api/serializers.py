from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from agencies.models import Agency
from cases.api.serializers import EnteredInErrorField, PersonSerializer
from cases.models import Person
from core.api import LimitedCharField, LimitedModelSerializer, ModelFieldsSerializer
from core.bounds import text_limit
from genogram import gedcom
from genogram.models import EcomapLink, Household, HouseholdMember, Relationship, RelationshipKind


class CasePersonField(serializers.PrimaryKeyRelatedField):
    """A person id, accepted only for people recorded in the case of the request."""

    def get_queryset(self):
        case = self.context.get("case")
        return Person.objects.live().filter(case=case) if case is not None else Person.objects.none()


class CaseHouseholdField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        case = self.context.get("case")
        return Household.objects.filter(case=case) if case is not None else Household.objects.none()


@extend_schema_serializer(component_name="Relationship")
class RelationshipInputSerializer(ModelFieldsSerializer):
    """The body of POST /relationships/ (relationship_create): people of the request's case only."""

    from_person = CasePersonField()
    to_person = CasePersonField()

    class Meta:
        model = Relationship
        fields = ["kind", "from_person", "to_person", "start_date", "end_date", "note"]


class RelationshipSerializer(LimitedModelSerializer):
    from_person = CasePersonField()
    to_person = CasePersonField()
    entered_in_error = EnteredInErrorField()

    class Meta:
        model = Relationship
        fields = [
            "id",
            "kind",
            "from_person",
            "to_person",
            "start_date",
            "end_date",
            "note",
            "created_at",
            "entered_in_error",
        ]
        read_only_fields = ["created_at"]


class EndRelationshipSerializer(serializers.Serializer):
    end_date = serializers.DateField()


@extend_schema_serializer(component_name="HouseholdMember")
class HouseholdMemberInputSerializer(ModelFieldsSerializer):
    """The body of POST /households/{id}/members/ (household_member_add)."""

    person = CasePersonField()

    class Meta:
        model = HouseholdMember
        fields = ["person", "from_date", "to_date"]


class HouseholdMemberSerializer(serializers.ModelSerializer):
    person = CasePersonField()
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    entered_in_error = EnteredInErrorField()

    class Meta:
        model = HouseholdMember
        fields = ["id", "household", "person", "person_name", "from_date", "to_date", "entered_in_error"]
        read_only_fields = ["household"]


class EndMembershipSerializer(serializers.Serializer):
    to_date = serializers.DateField()


@extend_schema_serializer(component_name="Household")
class HouseholdInputSerializer(ModelFieldsSerializer):
    """The body of POST /households/ (household_create)."""

    class Meta:
        model = Household
        fields = ["label", "address"]


class HouseholdSerializer(LimitedModelSerializer):
    members = HouseholdMemberSerializer(many=True, read_only=True)

    class Meta:
        model = Household
        fields = ["id", "label", "address", "members"]


ECOMAP_LINK_FIELDS = [
    "person",
    "household",
    "resource_name",
    "resource_kind",
    "agency",
    "strength",
    "direction",
    "start_date",
    "end_date",
    "note",
]


def _resource_name_field() -> LimitedCharField:
    return LimitedCharField(
        max_length=text_limit(EcomapLink, "resource_name"),
        label=EcomapLink._meta.get_field("resource_name").verbose_name,
        required=False,
        allow_blank=True,
    )


@extend_schema_serializer(component_name="EcomapLink")
class EcomapLinkInputSerializer(ModelFieldsSerializer):
    """The body of POST /ecomap-links/ (ecomap_link_create): an agency or a named resource."""

    person = CasePersonField(required=False, allow_null=True)
    household = CaseHouseholdField(required=False, allow_null=True)
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), required=False, allow_null=True)
    resource_name = _resource_name_field()

    class Meta:
        model = EcomapLink
        fields = ECOMAP_LINK_FIELDS

    def validate(self, attrs):
        if not attrs.get("resource_name") and not attrs.get("agency"):
            raise serializers.ValidationError({"resource_name": ["Name the agency or resource."]})
        return attrs


class EcomapLinkSerializer(LimitedModelSerializer):
    person = CasePersonField(required=False, allow_null=True)
    household = CaseHouseholdField(required=False, allow_null=True)
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), required=False, allow_null=True)
    resource_name = _resource_name_field()
    entered_in_error = EnteredInErrorField()

    class Meta:
        model = EcomapLink
        fields = ["id", *ECOMAP_LINK_FIELDS, "entered_in_error"]


class EndLinkSerializer(serializers.Serializer):
    end_date = serializers.DateField()


class EnteredInErrorInputSerializer(serializers.Serializer):
    """The body of POST .../entered-in-error/: why the record was entered in error."""

    reason = serializers.CharField(
        max_length=2000,
        trim_whitespace=True,
        error_messages={
            "required": "Enter why this record was entered in error.",
            "blank": "Enter why this record was entered in error.",
            "null": "Enter why this record was entered in error.",
            "max_length": "The reason must be 2,000 characters or fewer.",
        },
    )


class GedcomUploadSerializer(serializers.Serializer):
    file = serializers.FileField()

    def validate_file(self, upload):
        """A file over GENOGRAM_IMPORT_MAX_BYTES is refused before it is read into memory."""
        too_big = gedcom.file_size_error(upload.size or 0)
        if too_big:
            raise serializers.ValidationError(too_big)
        return upload


# Responses built as plain data (the node-link JSON, an import's result), described for the schema.


class GenogramNodeSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The person's id.")
    name = serializers.CharField()
    given_name = serializers.CharField()
    family_name = serializers.CharField()
    sex = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    date_of_birth_precision = serializers.CharField()
    date_of_death = serializers.DateField(allow_null=True, help_text="Only when dead on the date asked for.")
    expected_date_of_delivery = serializers.DateField(allow_null=True)
    is_subject = serializers.BooleanField()
    age = serializers.IntegerField(allow_null=True)
    household = serializers.IntegerField(allow_null=True)
    generation = serializers.IntegerField()


class GenogramLinkSerializer(serializers.Serializer):
    source = serializers.IntegerField()
    target = serializers.IntegerField()
    key = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=RelationshipKind.choices)
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)


class GenogramHouseholdSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    address = serializers.CharField()
    members = serializers.ListField(
        child=serializers.IntegerField(), help_text="Living members on the date, oldest first."
    )


class GenogramSerializer(serializers.Serializer):
    """The family on a date as networkx node-link data, with households and generations."""

    directed = serializers.BooleanField()
    multigraph = serializers.BooleanField()
    graph = serializers.DictField(help_text="Graph attributes: always empty.")
    nodes = GenogramNodeSerializer(many=True)
    links = GenogramLinkSerializer(many=True)
    at = serializers.DateField()
    households = GenogramHouseholdSerializer(many=True)


class GedcomImportResultSerializer(serializers.Serializer):
    people = PersonSerializer(many=True, help_text="The people created.")
