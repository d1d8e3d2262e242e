"""Bad input never costs a 500: schemathesis sends generated requests (valid and invalid) to
every operation of the API's own OpenAPI schema on a running server, as an administrator, and
checks that no response is a server error and every documented response matches the schema.

Bounded: a few examples per operation and mode, no shrinking, a fixed seed (derandomised), so
the run is repeatable and takes well under two minutes.

Generated input rarely holds the two inputs that used to cost a 500, so every operation also gets
them explicitly: integers far past the database's range in every integer field, query parameter,
page cursor and path id, and a JSON body nested 100,000 levels deep."""

from __future__ import annotations

import base64
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
from chronology.services import entry_create
from genogram.services import household_create, household_member_add, relationship_create
from meetings.services import action_create, meeting_schedule

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
    meeting = meeting_schedule(
        acting_user=users.sw,
        case=case,
        kind="core_group",
        held_on=dt.date(2026, 3, 2),
        invited=[users.sw.agency_id],
        attended=[users.sw.agency_id],
        decisions=["Visit weekly."],
        today=dt.date(2026, 6, 1),
    )
    action = action_create(
        acting_user=users.sw,
        case=case,
        description="Visit weekly",
        owner_agency=users.sw.agency_id,
        due_on=dt.date(2026, 4, 1),
        meeting=meeting.pk,
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
        "team_member_id": case.team.get().pk,
        "meeting_id": meeting.pk,
        "action_id": action.pk,
        "notification_id": 1,
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


HUGE = 10**30
DEEP_JSON = "[" * 100_000 + "]" * 100_000
FORGED_CURSORS = [base64.b64encode(f"p={p}".encode()).decode() for p in ("abc", str(HUGE), "9" * 5000)]


def _resolve(raw: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = raw["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _is_integer(raw: dict, schema: dict) -> bool:
    schema = _resolve(raw, schema)
    return schema.get("type") == "integer"


def _huge_body(raw: dict, schema: dict) -> dict:
    """The operation's JSON body with a huge number in every integer field (and list of integers)."""
    body: dict = {}
    for name, prop in _resolve(raw, schema).get("properties", {}).items():
        prop = _resolve(raw, prop)
        if prop.get("readOnly"):
            continue
        if _is_integer(raw, prop):
            body[name] = HUGE
        elif prop.get("type") == "array" and _is_integer(raw, prop.get("items", {})):
            body[name] = [HUGE, -HUGE]
        elif prop.get("type") == "object" and prop.get("properties"):
            nested = _huge_body(raw, prop)
            if nested:
                body[name] = nested
    return body


def _huge_requests(raw: dict, path: str, method: str, op: dict, ids: dict):
    """(label, path, query, json body or raw text) for the explicit huge-integer and deep-nesting cases."""
    names = re.findall(r"{(\w+)}", path)
    real = path.format(**{name: ids[name] for name in names})
    for name in names:  # each path id in turn, huge (404 expected)
        yield f"path {name}", path.format(**{**{n: ids[n] for n in names}, name: HUGE}), {}, None
    params = [p for p in op.get("parameters", []) if p.get("in") == "query"]
    for param in params:
        schema = param.get("schema", {})
        if _is_integer(raw, schema) or _is_integer(raw, schema.get("items", {})):
            yield f"query {param['name']}", real, {param["name"]: str(HUGE)}, None
        if param["name"] == "cursor":
            for cursor in FORGED_CURSORS:
                yield "query cursor", real, {"cursor": cursor}, None
    json_body = op.get("requestBody", {}).get("content", {}).get("application/json")
    if json_body:
        body = _huge_body(raw, json_body["schema"])
        if body:
            yield "huge integers in the body", real, {}, body
        yield "body nested 100,000 deep", real, {}, DEEP_JSON


def test_api_answers_huge_integers_and_deep_nesting_without_server_errors(fuzz_target):
    base, headers, ids, _ = fuzz_target
    raw = requests.get(f"{base}/api/v1/schema/?format=json", headers=headers, timeout=60).json()
    failures: list[str] = []
    sent = 0
    started = time.monotonic()

    for path, operations in raw["paths"].items():
        for method, op in operations.items():
            if path in REVOKING_PATHS or method not in ("get", "post", "patch", "put"):
                continue
            for label, url, query, body in _huge_requests(raw, path, method, op, ids):
                kwargs: dict = {"params": query, "headers": headers}
                if isinstance(body, str):
                    kwargs["data"] = body
                    kwargs["headers"] = {**headers, "Content-Type": "application/json"}
                elif body is not None:
                    kwargs["json"] = body
                response = requests.request(method.upper(), f"{base}{url}", timeout=60, **kwargs)
                sent += 1
                answer = f"{method.upper()} {path} [{label}]: {response.status_code} {response.text[:300]}"
                if response.status_code >= 500 or (isinstance(body, str) and response.status_code != 400):
                    failures.append(answer)
                elif response.status_code == 400 and not response.json():
                    failures.append(f"{answer} (a 400 must say what is wrong)")

    assert sent >= 60
    assert time.monotonic() - started < TIME_BUDGET_SECONDS
    assert failures == [], "\n\n".join(failures)
