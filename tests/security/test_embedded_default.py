"""The embedded default (SQLite, no other service, the settings `bin/demo` runs) is safe to put in
front of a colleague: DEBUG is off unless DJANGO_DEBUG is set, and the web server on SQLite answers
parallel writes with one success and conflicts, never "database is locked".

These tests start the real thing in a subprocess, whatever database the rest of the suite uses:
a fresh SQLite file, migrated, seeded through the services, served by runserver as bin/demo does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.helpers_server import running_service

ROOT = Path(__file__).resolve().parents[2]
PARALLEL_AMENDS = 20

SEED = """
import datetime as dt, json
from accounts.models import Role, User
from accounts.tokens import api_token_issue
from agencies.models import Agency, AgencyKind
from cases.services import case_create
from chronology.services import entry_create
csc = Agency.objects.create(name="Embedded Social Care", kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
sw = User.objects.create_user(username="embedded_sw", password="Embedded-pass-2026", agency=csc,
                              role=Role.SOCIAL_WORKER, full_name="Embedded Worker")
case = case_create(acting_user=sw, reference="EMB-1", title="Embeddedfamily", lead_agency=csc,
                   legal_status="child_in_need")
entry = entry_create(acting_user=sw, case=case, occurred_on=dt.date(2026, 1, 5), kind="home_visit",
                     summary="Home visit", significance="low")
print(json.dumps({"case": case.pk, "entry": entry.pk, "token": api_token_issue(user=sw)[1]}))
"""


def _embedded_env(tmp: Path) -> dict[str, str]:
    """The environment of bin/demo: nothing but the defaults (no database, broker or debug switch)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "DEBUG", "SECRET_KEY", "CELERY_", "TEST_DATABASE"))
    }
    env["DATABASE_URL"] = f"sqlite:///{tmp / 'embedded.sqlite3'}"
    env["MEDIA_ROOT"] = str(tmp / "media")
    env["AXES_ENABLED"] = "false"
    return env


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("embedded")
    env = _embedded_env(tmp)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    seeded = subprocess.run(
        [*manage, "shell", "-c", SEED], cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=120
    )
    ids = json.loads(seeded.stdout.strip().splitlines()[-1])
    with running_service(env) as base:
        yield {"base": base, "env": env, **ids}


def _request(url: str, *, token: str | None = None, body: dict | None = None) -> tuple[int, str]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method="POST" if data else "GET")  # noqa: S310
    request.add_header("Accept", "application/json, text/html")
    if data:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Token {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_debug_is_off_unless_django_debug_is_set(tmp_path):
    env = _embedded_env(tmp_path)
    probe = [
        sys.executable,
        "-c",
        "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
    ]
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"

    default = subprocess.run(probe, cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout.strip()
    old_switch = subprocess.run(
        probe, cwd=ROOT, env={**env, "DEBUG": "true"}, capture_output=True, text=True, check=True
    ).stdout.strip()
    switched_on = subprocess.run(
        probe, cwd=ROOT, env={**env, "DJANGO_DEBUG": "true"}, capture_output=True, text=True, check=True
    ).stdout.strip()

    assert (default, old_switch, switched_on) == ("False", "False", "True")


def test_embedded_404_is_the_service_page_without_the_url_configuration(embedded):
    status, html = _request(f"{embedded['base']}/no-such-page/")

    assert status == 404
    assert "Page not found" in html
    assert "govuk-template" in html
    assert "URLconf" not in html
    assert "api/v1/" not in html


def test_parallel_amends_on_sqlite_give_one_success_and_conflicts_never_a_500(embedded):
    url = f"{embedded['base']}/api/v1/cases/{embedded['case']}/entries/{embedded['entry']}/amend/"
    barrier = threading.Barrier(PARALLEL_AMENDS)
    statuses: list[int] = [0] * PARALLEL_AMENDS

    def amend(i: int) -> None:
        barrier.wait(timeout=30)
        statuses[i], _ = _request(
            url,
            token=embedded["token"],
            body={"summary": f"Home visit, amended by request {i}", "reason": "Corrected", "revision": 1},
        )

    threads = [threading.Thread(target=amend, args=(i,)) for i in range(PARALLEL_AMENDS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(statuses) == [200] + [409] * (PARALLEL_AMENDS - 1)
    status, body = _request(
        f"{embedded['base']}/api/v1/cases/{embedded['case']}/entries/{embedded['entry']}/revisions/",
        token=embedded["token"],
    )
    assert status == 200
    assert [r["number"] for r in json.loads(body)["results"]] == [1, 2]


def test_parallel_reads_and_writes_on_sqlite_never_answer_500(embedded):
    """Every read writes an audit row: twenty readers and a writer at once all succeed."""
    base, token = embedded["base"], embedded["token"]
    barrier = threading.Barrier(PARALLEL_AMENDS)
    statuses: list[int] = [0] * PARALLEL_AMENDS

    def work(i: int) -> None:
        barrier.wait(timeout=30)
        if i % 5 == 0:
            statuses[i], _ = _request(
                f"{base}/api/v1/cases/{embedded['case']}/entries/",
                token=token,
                body={"occurred_on": "2026-01-06", "kind": "note", "summary": f"Note {i}", "significance": "low"},
            )
        else:
            statuses[i], _ = _request(f"{base}/api/v1/cases/{embedded['case']}/entries/", token=token)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(PARALLEL_AMENDS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(set(statuses)) == [200, 201]
