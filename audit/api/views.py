from rest_framework import generics, serializers

from audit import selectors
from audit.models import AuditEvent
from chronology.api.base import CaseScopedMixin


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "actor",
            "actor_username",
            "actor_agency",
            "action",
            "case",
            "object_type",
            "object_id",
            "detail",
            "method",
            "path",
            "client_ip",
        ]


class CaseAuditList(CaseScopedMixin, generics.ListAPIView):
    """A case's audit trail, oldest first: managers and administrators only."""

    serializer_class = AuditEventSerializer
    audit_read_action = "audit.read"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, no case
            return AuditEvent.objects.none()
        return selectors.audit_events_for_case(user=self.request.user, case=self.case)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return selectors.present_audit_events(user=self.request.user, case=self.case, events=page)
