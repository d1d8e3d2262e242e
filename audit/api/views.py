from rest_framework import generics, serializers

from audit import selectors
from audit.models import AuditEvent
from audit.services import audit_record
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


class SecurityEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = ["id", "at", "actor", "actor_username", "actor_agency", "method", "path", "client_ip", "user_agent"]


class SecurityLogList(generics.ListAPIView):
    """Refused access to cases and packs, oldest first: managers see their own agency's users,
    administrators everyone. Rows name no case and do not say whether the case exists."""

    serializer_class = SecurityEventSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AuditEvent.objects.none()
        return selectors.security_log_for(user=self.request.user)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        audit_record(actor=request.user, action="security_log.read")
        return response


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
