"""The security log in the API: refused access by the users the reader oversees."""

from typing import Any

from django.db.models import QuerySet
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from audit.api.serializers import SecurityEventSerializer
from audit.models import AuditEvent
from audit.services import audit_record
from cases.selectors import security_log_visible_to


class SecurityLogList(generics.ListAPIView):
    """Refused access to cases and packs, oldest first: managers see their own agency's users,
    administrators everyone. Rows name no case and do not say whether the case exists."""

    serializer_class = SecurityEventSerializer

    def get_queryset(self) -> QuerySet[AuditEvent]:
        if getattr(self, "swagger_fake_view", False):
            return AuditEvent.objects.none()
        return security_log_visible_to(self.request.user)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response: Response = super().list(request, *args, **kwargs)
        audit_record(actor=request.user, action="security_log.read")
        return response
