"""The OpenAPI schema describes the API well enough for agency systems to generate a client from it.

A client is generated from /api/v1/schema/ with openapi-python-client (pinned in
requirements-dev.txt) and drives a case against a live server. Each answer must come back as the
generated model class, not as an untyped dict: that fails when a response has no schema, when a
request offers only form bodies, or when the schema says a field is required that the API does not
send (the generated model then refuses the answer).
"""

from __future__ import annotations

import datetime as dt
import importlib
import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from accounts.models import Role
from accounts.tokens import api_token_issue
from tests.factories import UserFactory

GENERATOR = Path(sys.executable).with_name("openapi-python-client")
PACKAGE = "chronology_client"

# No post hooks (they would run ruff on the output); the generator knows only JSON, multipart and
# octet-stream bodies, so the file responses (drawings, exports, packs) are read as bytes.
CONFIG = """\
post_hooks: []
content_type_overrides:
  image/svg+xml: application/octet-stream
  image/png: application/octet-stream
  application/pdf: application/octet-stream
  text/plain: application/octet-stream
  text/csv: application/octet-stream
  application/vnd.openxmlformats-officedocument.spreadsheetml.sheet: application/octet-stream
"""


@pytest.fixture
def generated_client(tmp_path, admin_token, monkeypatch):
    """The generated package, imported from tmp_path (and forgotten afterwards)."""
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {admin_token}")
    response = api.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    (tmp_path / "schema.json").write_bytes(response.content)
    (tmp_path / "config.yaml").write_text(CONFIG)
    assert GENERATOR.exists(), "openapi-python-client is missing: pip install -r requirements-dev.txt"
    result = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            "schema.json",
            "--output-path",
            f"out/{PACKAGE}",
            "--meta",
            "none",
            "--config",
            "config.yaml",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # The generator only warns about what it cannot generate: every operation must come through.
    assert "WARNING" not in result.stdout + result.stderr, result.stdout + result.stderr
    monkeypatch.syspath_prepend(str(tmp_path / "out"))
    yield importlib.import_module(PACKAGE)
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
        del sys.modules[name]


@pytest.fixture
def admin_token(transactional_db):
    admin = UserFactory(username="gen_admin", agency=None, role=Role.ADMIN, is_superuser=True, is_staff=True)
    return api_token_issue(user=admin)[1]


def test_generated_client_drives_a_case_with_typed_answers(generated_client, admin_token, live_server):
    c = generated_client
    api = importlib.import_module(f"{PACKAGE}.api")
    m = importlib.import_module(f"{PACKAGE}.models")
    for group in ("agencies", "users", "auth", "cases"):
        importlib.import_module(f"{PACKAGE}.api.{group}")

    def operation(group, name):
        return importlib.import_module(f"{api.__name__}.{group}.{name}").sync

    def client(token):
        return c.AuthenticatedClient(
            base_url=live_server.url, token=token, prefix="Token", raise_on_unexpected_status=True
        )

    admin = client(admin_token)

    agency = operation("agencies", "agencies_create")(
        client=admin,
        body=m.AgencyRequest(name="Eastshire Children's Services", kind=m.AgencyKindEnum.CHILDRENS_SOCIAL_CARE),
    )
    assert isinstance(agency, m.Agency)
    assert agency.name == "Eastshire Children's Services"

    user = operation("users", "users_create")(
        client=admin,
        body=m.UserRequest(
            username="eve_sw",
            password="a-Long-passphrase-2026",
            full_name="Eve Social Worker",
            agency=agency.id,
            role=m.RoleEnum.SOCIAL_WORKER,
        ),
    )
    assert isinstance(user, m.User)
    assert (user.username, user.agency) == ("eve_sw", agency.id)

    signed_in = operation("auth", "auth_token_create")(
        client=admin, body=m.TokenRequestRequest(username="eve_sw", password="a-Long-passphrase-2026")
    )
    assert isinstance(signed_in, m.TokenResponse)
    sw = client(signed_in.token)

    case = operation("cases", "cases_create")(
        client=sw,
        body=m.CaseRequest(
            reference="ES-0042",
            title="Generated family",
            lead_agency=agency.id,
            legal_status=m.LegalStatusEnum.CHILD_IN_NEED,
        ),
    )
    assert isinstance(case, m.Case)
    assert (case.reference, case.lead_agency) == ("ES-0042", agency.id)

    child = operation("cases", "cases_people_create")(
        case.id,
        client=sw,
        body=m.PersonRequest(
            given_name="Mia", family_name="Generated", is_subject=True, date_of_birth=dt.date(2021, 5, 4)
        ),
    )
    assert isinstance(child, m.Person)
    assert (child.given_name, child.is_subject, child.date_of_birth) == ("Mia", True, dt.date(2021, 5, 4))

    entry = operation("cases", "cases_entries_create")(
        case.id,
        client=sw,
        body=m.EntryWriteRequest(
            occurred_on=dt.date(2026, 3, 2),
            kind=m.EntryKindEnum.HOME_VISIT,
            summary="Home visit, Mia seen",
            subjects=[child.id],
            seen=[child.id],
        ),
    )
    assert isinstance(entry, m.Entry)
    assert (entry.revision, entry.kind, entry.subjects, entry.agency) == (
        1,
        m.EntryKindEnum.HOME_VISIT,
        [child.id],
        agency.id,
    )
    assert entry.injury is None

    page = operation("cases", "cases_entries_list")(case.id, client=sw)
    assert isinstance(page, m.EntryPage)
    assert page.next_ is None
    assert [type(e) for e in page.results] == [m.Entry]
    assert page.results[0].summary == "Home visit, Mia seen"

    amended = operation("cases", "cases_entries_amend_create")(
        case.id,
        entry.id,
        client=sw,
        body=m.EntryAmendRequest(
            reason="Wrong date: it was the day before", occurred_on=dt.date(2026, 3, 1), revision=1
        ),
    )
    assert isinstance(amended, m.Entry)
    assert (amended.revision, amended.amended, amended.occurred_on) == (2, True, dt.date(2026, 3, 1))
    assert amended.summary == "Home visit, Mia seen"

    refused = operation("cases", "cases_entries_amend_create")(
        case.id, entry.id, client=sw, body=m.EntryAmendRequest(reason=" ", summary="Other", revision=2)
    )
    assert isinstance(refused, m.Error)
    assert refused.additional_properties == {"reason": ["Say why the entry is being changed."]}

    stale = operation("cases", "cases_entries_amend_create")(
        case.id, entry.id, client=sw, body=m.EntryAmendRequest(reason="Late change", summary="Other", revision=1)
    )
    assert isinstance(stale, m.EntryConflict)
    assert (stale.revision, stale.entry.revision) == (2, 2)

    revisions = operation("cases", "cases_entries_revisions_list")(case.id, entry.id, client=sw)
    assert isinstance(revisions, m.PaginatedRevisionList)
    assert [(type(r), r.number) for r in revisions.results] == [(m.Revision, 1), (m.Revision, 2)]

    detail = operation("cases", "cases_entries_retrieve")(case.id, entry.id, client=sw)
    assert isinstance(detail, m.Entry)
    assert detail.revision == 2

    flags = operation("cases", "cases_flags_retrieve")(case.id, client=sw, at=dt.date(2026, 3, 3))
    assert isinstance(flags, m.FlagList)
    missing = [f for f in flags.results if f.rule == "missing_ethnicity"]
    assert [type(f) for f in missing] == [m.Flag]
    assert (missing[0].people, missing[0].status, missing[0].review) == ([child.id], m.FlagStatusEnum.OPEN, None)

    genogram = operation("cases", "cases_genogram_json_retrieve")(case.id, client=sw, at=dt.date(2026, 3, 3))
    assert isinstance(genogram, m.Genogram)
    assert [(type(n), n.id, n.age) for n in genogram.nodes] == [(m.GenogramNode, child.id, 4)]
