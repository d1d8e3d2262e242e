from rest_framework import generics

from accounts.api.permissions import ReadAnyWriteAdmin
from agencies.models import Agency
from agencies.services import agency_create
from core.api import LimitedModelSerializer


class AgencySerializer(LimitedModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name", "kind", "area"]

    def create(self, validated_data):
        return agency_create(acting_user=self.context["request"].user, **validated_data)


class AgencyListCreate(generics.ListCreateAPIView):
    """Agencies: any signed-in user reads them; administrators add them."""

    serializer_class = AgencySerializer
    permission_classes = [ReadAnyWriteAdmin]
    queryset = Agency.objects.all()
