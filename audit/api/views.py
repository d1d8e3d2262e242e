from rest_framework import generics, serializers

from audit import selectors
from audit.models import AuditEvent
from audit.services import audit_record
from cases.api.base import CaseScopedMixin
from cases.selectors import case_audit_events, security_log_visible_to
from chronology.selectors_entries import unreadable_restricted_entries


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
        return security_log_visible_to(self.request.user)

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
        return case_audit_events(self.request.user, self.case)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        unreadable = unreadable_restricted_entries(self.request.user, self.case, selectors.entry_ids_of(page))
        return selectors.present_audit_events(events=page, unreadable=unreadable)
