"""Errors show the service's own GOV.UK pages, never a traceback or the URL configuration."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from core.outage import server_error


def _error_response(path: str, exc: Exception):
    try:
        raise exc
    except Exception:
        return server_error(RequestFactory().get(path))


def test_server_error_page_is_the_govuk_page_without_details():
    response = _error_response("/cases/1/", ValueError("secret internals /srv/app/x.py"))

    html = response.content.decode()
    assert response.status_code == 500
    assert "govuk-template" in html
    assert "Sorry, there is a problem with the service" in html
    assert "secret internals" not in html and "/srv/app" not in html


def test_api_server_error_is_json_without_details():
    response = _error_response("/api/v1/cases/", ValueError("secret internals"))

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "secret internals" not in response.content.decode()


@pytest.mark.parametrize("path", ["/cases/", "/api/v1/cases/"])
def test_database_error_raised_outside_a_view_is_a_503_with_retry_after(path):
    response = _error_response(path, OperationalError("connection refused"))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "connection refused" not in response.content.decode()
