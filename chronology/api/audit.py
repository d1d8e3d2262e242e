"""A case's audit trail in the API: restricted entries the reader may not read are redacted."""

from rest_framework import generics

from audit import selectors
from audit.api.serializers import AuditEventSerializer
from audit.models import AuditEvent
from cases.api.base import CaseScopedMixin
from cases.selectors import case_audit_events
from chronology.selectors import unreadable_restricted_entries


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
