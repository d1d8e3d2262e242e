"""Agencies API: any signed-in user reads them; administrators add them (agency_create)."""

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import generics, status
from rest_framework.response import Response

from accounts.api.permissions import ReadAnyWriteAdmin
from agencies.models import Agency
from agencies.services import agency_create
from core.api import LimitedModelSerializer, ModelFieldsSerializer, error_responses


@extend_schema_serializer(component_name="Agency")
class AgencyInputSerializer(ModelFieldsSerializer):
    """The body of POST /agencies/."""

    class Meta:
        model = Agency
        fields = ["name", "kind", "area"]


class AgencySerializer(LimitedModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name", "kind", "area"]


class AgencyListCreate(generics.ListAPIView):
    """Agencies: any signed-in user reads them; administrators add them."""

    serializer_class = AgencySerializer
    permission_classes = [ReadAnyWriteAdmin]
    queryset = Agency.objects.all()

    @extend_schema(request=AgencyInputSerializer, responses={201: AgencySerializer, **error_responses(400, 403)})
    def post(self, request):
        body = AgencyInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        agency = agency_create(acting_user=request.user, **body.validated_data)
        return Response(AgencySerializer(agency).data, status=status.HTTP_201_CREATED)
