"""A database outage answers 503 with Retry-After, never a 500 or a traceback.

While PostgreSQL restarts, every request that needs it fails to connect (or loses its
connection). Such a request answers 503 "Service unavailable" with a Retry-After header: the JSON
`{"detail": ...}` shape on the API, the GOV.UK page elsewhere. Django closes the broken connection
at the end of the request, so the next request after the database is back connects afresh and the
service recovers by itself.

Two hooks catch the error wherever it is raised: `DatabaseOutageMiddleware.process_exception` for
views (DRF passes exceptions it does not know on to it), and `server_error`, the handler500, for an
error raised in middleware before a view (a session or user lookup), which it recognises from the
exception being handled.
"""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
MESSAGE = "The service is unavailable for a moment. Nothing you sent was half-saved: try again in {seconds} seconds."


def is_database_outage(exc: BaseException | None) -> bool:
    """True for an error that means the database cannot be reached (not a bad query)."""
    while exc is not None:
        if isinstance(exc, DATABASE_ERRORS):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def unavailable(request) -> HttpResponse:
    """503 with Retry-After. The page is rendered without the request, so it needs no database."""
    seconds = settings.DATABASE_OUTAGE_RETRY_AFTER_SECONDS
    if request is not None and request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": MESSAGE.format(seconds=seconds)}, status=503)
    else:
        html = loader.get_template("503.html").render({"retry_after": seconds})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(seconds)
    return response


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_outage(exception):
            logger.error("Database unavailable during %s %s: %s", request.method, request.path, exception)
            return unavailable(request)
        return None


def server_error(request, template_name: str = "500.html") -> HttpResponse:
    """handler500: a database outage raised outside a view is a 503 too; anything else is the
    service's own 500 page (rendered without the request: it must not need the database)."""
    if is_database_outage(sys.exc_info()[1]):
        return unavailable(request)
    if request is not None and request.path.startswith("/api/"):
        return JsonResponse({"detail": "Sorry, there is a problem with the service. Try again later."}, status=500)
    return HttpResponseServerError(loader.get_template(template_name).render({}))
