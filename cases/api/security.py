"""The security log in the API: refused access by the users the reader oversees."""

from rest_framework import generics

from audit.api.serializers import SecurityEventSerializer
from audit.models import AuditEvent
from audit.services import audit_record
from cases.selectors import security_log_visible_to


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
