"""API plumbing shared by every app: pagination and error shapes."""

from __future__ import annotations

import orjson
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, pagination, renderers
from rest_framework.views import exception_handler as drf_exception_handler


class IdCursorPagination(pagination.CursorPagination):
    """Cursor pagination, oldest first: no OFFSET and no COUNT on big tables."""

    ordering = "id"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


class ORJSONRenderer(renderers.BaseRenderer):
    """JSON with orjson: several times faster than the standard encoder on big lists (the entries).

    Anything orjson does not know (lazy translations, decimals) is written as its string."""

    media_type = "application/json"
    format = "json"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        return orjson.dumps(data, default=str)


def exception_handler(exc, context):
    """DRF's handler, plus model validation errors turned into 400 field errors."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(exc.message_dict)
        else:
            exc = exceptions.ValidationError({"detail": exc.messages})
    return drf_exception_handler(exc, context)
