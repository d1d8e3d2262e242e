"""While PostgreSQL cannot be reached, the service answers 503 with Retry-After (JSON on the API,
the GOV.UK page elsewhere), never a 500 or a traceback; when it is back, the service recovers by
itself.

The outage is real: the service runs in its own process (runserver, as the embedded default runs)
and reaches PostgreSQL through a TCP relay that the test closes (dropping live connections and
refusing new ones, as a restarting server does) and opens again.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from accounts.tokens import api_token_issue
from tests.helpers_server import running_service

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="relays the PostgreSQL protocol"),
]


class Relay:
    """A TCP relay on 127.0.0.1 to the database server that can be taken down and brought back."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = 0
        self.listener: socket.socket | None = None
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()

    def up(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(50)
        self.port = listener.getsockname()[1]
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def down(self) -> None:
        with self.lock:
            if self.listener is not None:
                with contextlib.suppress(OSError):  # wakes the thread blocked in accept(); close alone does not
                    self.listener.shutdown(socket.SHUT_RDWR)
                self.listener.close()
                self.listener = None
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target, timeout=5)
            upstream.settimeout(None)
            with self.lock:
                self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


def _get(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.fixture
def service(case, users):
    """The service in its own process, reaching the test database through the relay."""
    db = connection.settings_dict
    relay = Relay((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    relay.up()
    token = api_token_issue(user=users.sw)[1]
    browser = Client()
    browser.force_login(users.sw)
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "DEBUG"))}
    user = db["USER"] or "postgres"
    env["DATABASE_URL"] = f"postgresql://{user}@127.0.0.1:{relay.port}/{db['NAME']}"
    env["AXES_ENABLED"] = "false"
    try:
        with running_service(env, "--skip-checks") as base:
            yield {
                "relay": relay,
                "api": (f"{base}/api/v1/cases/{case.pk}/", {"Authorization": f"Token {token}"}),
                "page": (f"{base}/cases/{case.pk}/", {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"}),
            }
    finally:
        relay.down()


def test_database_outage_answers_503_with_retry_after_and_recovers(service):
    relay = service["relay"]
    api_url, api_headers = service["api"]
    page_url, page_headers = service["page"]
    assert _get(api_url, api_headers)[0] == 200
    assert _get(page_url, page_headers)[0] == 200

    relay.down()
    api_status, api_response_headers, api_body = _get(api_url, api_headers)
    page_status, page_response_headers, page_body = _get(page_url, page_headers)
    relay.up()
    recovered = (_get(api_url, api_headers)[0], _get(page_url, page_headers)[0])

    assert (api_status, api_response_headers.get("Retry-After")) == (503, "30")
    assert "try again in 30 seconds" in api_body
    assert (page_status, page_response_headers.get("Retry-After")) == (503, "30")
    assert "Sorry, the service is unavailable" in page_body
    assert "govuk-template" in page_body
    assert "Traceback" not in page_body and "OperationalError" not in page_body
    assert recovered == (200, 200)


def test_outage_during_sign_in_is_a_503_too(service):
    """The sign-in page posts a form that needs the database before any view runs its query."""
    relay = service["relay"]
    page_url, page_headers = service["page"]

    relay.down()
    status, headers, body = _get(page_url.rsplit("/cases/", 1)[0] + "/cases/", page_headers)
    relay.up()

    assert (status, headers.get("Retry-After")) == (503, "30")
    assert "Sorry, the service is unavailable" in body
