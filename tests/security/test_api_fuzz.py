"""Bad input never costs a 500: schemathesis sends generated requests (valid and invalid) to
every operation of the API's own OpenAPI schema on a running server, as an administrator, and
checks that no response is a server error and every documented response matches the schema.

Bounded: a few examples per operation and mode, no shrinking, a fixed seed (derandomised), so
the run is repeatable and takes well under two minutes."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from accounts.tokens import api_token_issue
from chronology.services_entries import entry_create
from genogram.services import household_create, household_member_add, relationship_create

EXAMPLES = {GenerationMode.POSITIVE: 5, GenerationMode.NEGATIVE: 3}
TIME_BUDGET_SECONDS = 100
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture
def fuzz_target(live_server, users, case, people):
    """A running server with one of everything, and the ids to put in the paths."""
    entry = entry_create(
        acting_user=users.sw,
        case=case,
        occurred_on=dt.date(2026, 1, 5),
        kind="home_visit",
        summary="Home visit, Robin seen",
        subjects=[people.child.pk],
        today=dt.date(2026, 2, 1),
    )
    home = household_create(acting_user=users.sw, case=case, label="Flat 2")
    member = household_member_add(
        acting_user=users.sw, household=home, person=people.child, from_date=dt.date(2021, 4, 4)
    )
    relationship = relationship_create(
        acting_user=users.sw, case=case, kind="biological_parent", from_person=people.mother, to_person=people.child
    )
    _, token = api_token_issue(user=users.admin)
    headers = {"Authorization": f"Token {token}"}
    base = live_server.url
    link = requests.post(
        f"{base}/api/v1/cases/{case.pk}/ecomap-links/",
        json={"person": people.child.pk, "resource_name": "Riverside Primary", "strength": "strong"},
        headers=headers,
        timeout=30,
    )
    pack = requests.post(
        f"{base}/api/v1/cases/{case.pk}/packs/",
        json={"kind": "strategy", "date_from": "2025-01-01", "date_to": "2026-02-01"},
        headers=headers,
        timeout=120,
    )
    ids = {
        "case_id": case.pk,
        "entry_id": entry.pk,
        "person_id": people.child.pk,
        "household_id": home.pk,
        "member_id": member.pk,
        "relationship_id": relationship.pk,
        "link_id": link.json().get("id", 999_999) if link.status_code == 201 else 999_999,
        "pack_id": pack.json().get("id", 999_999) if pack.status_code in (201, 202) else 999_999,
    }
    # Signing out and changing the password revoke tokens: those two are fuzzed with a token of
    # their own, so the rest of the API is not fuzzed signed out.
    _, own_token = api_token_issue(user=users.teacher)
    return base, headers, ids, {"Authorization": f"Token {own_token}"}


REVOKING_PATHS = ("/api/v1/auth/logout/", "/api/v1/auth/password/")


def _operations(base: str, headers: dict):
    schema = schemathesis.openapi.from_url(f"{base}/api/v1/schema/", headers=headers, timeout=60)
    for result in schema.get_all_operations():
        yield result.ok()


def _fuzz(operation, mode, base, headers, ids, failures):
    names = set(re.findall(r"{(\w+)}", operation.path))
    strategy = operation.as_strategy(mode, path_parameters={k: v for k, v in ids.items() if k in names})

    @settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case):
        response = case.call(base_url=base, headers=headers, timeout=60)
        case.validate_response(response, checks=CHECKS, headers=headers)

    try:
        run()
    except (Exception, BaseExceptionGroup) as exc:  # schemathesis reports failures as a group
        failures.append(f"{operation.method.upper()} {operation.path} [{mode.value}]: {str(exc)[:1500]}")


def test_api_survives_generated_input_without_server_errors(fuzz_target):
    base, headers, ids, revoking_headers = fuzz_target
    failures: list[str] = []
    started = time.monotonic()
    operations = list(_operations(base, headers))
    assert len(operations) >= 30

    for operation in operations:
        for mode in EXAMPLES:
            if time.monotonic() - started > TIME_BUDGET_SECONDS:
                pytest.fail(f"Fuzzing ran over its {TIME_BUDGET_SECONDS}s budget at {operation.path}")
            if mode is GenerationMode.NEGATIVE and not (len(operation.query) or operation.body):
                continue  # only path parameters, and those are fixed: nothing to make invalid
            own = revoking_headers if operation.path in REVOKING_PATHS else headers
            _fuzz(operation, mode, base, own, ids, failures)

    assert failures == [], "\n\n".join(failures)
