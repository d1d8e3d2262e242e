"""The root of every API view under /cases/{id}/: the case comes from cases_visible_to, reads are audited."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response

from audit.services import audit_record
from cases.models import Case
from cases.selectors import case_for_user

if TYPE_CHECKING:
    from rest_framework.views import APIView as _ScopedView
else:
    _ScopedView = object


class CaseScopedMixin(_ScopedView):
    """Resolve self.case through the access selector before anything else runs.

    A user whose agency is not involved gets 404, the same as for a case that does not exist.
    Successful reads leave an audit row; writes are audited by the services they call.
    """

    audit_read_action = "case.read"
    # Set by initial() before any handler runs. None only where no request reaches a handler: a
    # request refused before initial(), and the schema generator, which calls get_queryset().
    case: Case = None  # type: ignore[assignment]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.case = case_for_user(request.user, kwargs.get("case_id"))

    def get_serializer_context(self) -> dict[str, Any]:
        context: dict[str, Any] = super().get_serializer_context()
        context["case"] = self.case
        return context

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        case: Case | None = self.case
        if case is not None and request.method in SAFE_METHODS and response.status_code < 400:
            audit_record(
                actor=request.user,
                action=self.audit_read_action,
                case=case,
                detail={"status": response.status_code},
            )
        return response
