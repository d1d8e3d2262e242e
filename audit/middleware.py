"""Keep the current request's origin at hand so services can audit without a request argument."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.client import client_address

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponseBase


@dataclass(frozen=True)
class RequestOrigin:
    method: str
    path: str
    client_ip: str | None
    user_agent: str


current_origin: ContextVar[RequestOrigin | None] = ContextVar("current_origin", default=None)


def origin_of(request: HttpRequest) -> RequestOrigin:
    return RequestOrigin(
        method=request.method or "",
        path=request.get_full_path()[:500],
        client_ip=client_address(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
    )


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        token = current_origin.set(origin_of(request))
        try:
            return self.get_response(request)
        finally:
            current_origin.reset(token)
