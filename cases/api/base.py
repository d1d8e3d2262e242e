"""The root of every API view under /cases/{id}/: the case comes from cases_visible_to, reads are audited."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS

from audit.services import audit_record
from cases.selectors import case_for_user


class CaseScopedMixin:
    """Resolve self.case through the access selector before anything else runs.

    A user whose agency is not involved gets 404, the same as for a case that does not exist.
    Successful reads leave an audit row; writes are audited by the services they call.
    """

    audit_read_action = "case.read"
    case = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.case = case_for_user(request.user, kwargs.get("case_id"))

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["case"] = self.case
        return context

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.case is not None and request.method in SAFE_METHODS and response.status_code < 400:
            audit_record(
                actor=request.user,
                action=self.audit_read_action,
                case=self.case,
                detail={"status": response.status_code},
            )
        return response
