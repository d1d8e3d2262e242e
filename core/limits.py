"""Refuse oversized requests before anything reads or spools their body."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, JsonResponse


class RequestSizeLimitMiddleware:
    """413 for a request whose declared body is bigger than REQUEST_MAX_BYTES: uploads included,
    which Django would otherwise stream to a temporary file whatever their size."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.REQUEST_MAX_BYTES
        if length > limit:
            message = (
                f"The request is {length / 1024 / 1024:.1f} MB: the limit is {limit / 1024 / 1024:.0f} MB. "
                "Send a smaller file."
            )
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
