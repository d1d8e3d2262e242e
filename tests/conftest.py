"""Personas shared by every test: a social worker in the lead agency, a health visitor and a
teacher in involved agencies, a housing officer whose agency is not involved (the outsider),
a manager in the lead agency, a chair, and an administrator."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from accounts.models import Role
from accounts.tokens import api_token_issue
from agencies.models import AgencyKind
from tests.factories import PASSWORD, AgencyFactory, CaseFactory, PersonFactory, UserFactory


@pytest.fixture(scope="session", autouse=True)
def _media_root_of_this_test_process(tmp_path_factory):
    """Files the service writes (packs, the layout cache of their parts) go to a folder of this
    test process, never the project's media/, which parallel test workers would share: they
    number their packs alike, each in its own database."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is slow on purpose. Tests are about behaviour, not hashing strength, so they hash
    with MD5; tests/security checks that the service itself is configured for Argon2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _audit_sealed_by_the_sealer_only(settings):
    """As in production, requests leave their audit rows pending and the sealer (audit/sealer.py)
    chains them; a test that verifies the chain calls audit_seal() first. (The embedded default's
    sealing after each request is tested in tests/security/test_audit_sealer.py.) So a page's
    query count is its own, not the sealer's."""
    settings.AUDIT_SEAL_AFTER_REQUEST = False


@pytest.fixture
def agencies(db):
    return SimpleNamespace(
        csc=AgencyFactory(name="Northshire Children's Social Care", kind=AgencyKind.CHILDRENS_SOCIAL_CARE),
        hv=AgencyFactory(name="Northshire Health Visiting", kind=AgencyKind.HEALTH_VISITING),
        school=AgencyFactory(name="Riverside Primary School", kind=AgencyKind.SCHOOL),
        housing=AgencyFactory(name="Northshire Housing", kind=AgencyKind.HOUSING),
    )


@pytest.fixture
def users(agencies):
    return SimpleNamespace(
        sw=UserFactory(username="sw_lead", agency=agencies.csc, role=Role.SOCIAL_WORKER),
        hv=UserFactory(username="hv_involved", agency=agencies.hv, role=Role.PRACTITIONER),
        teacher=UserFactory(username="teacher_involved", agency=agencies.school, role=Role.PRACTITIONER),
        outsider=UserFactory(username="housing_outsider", agency=agencies.housing, role=Role.PRACTITIONER),
        manager=UserFactory(username="csc_manager", agency=agencies.csc, role=Role.MANAGER),
        chair=UserFactory(username="csc_chair", agency=agencies.csc, role=Role.CHAIR),
        admin=UserFactory(username="the_admin", agency=None, role=Role.ADMIN, is_superuser=True, is_staff=True),
    )


@pytest.fixture
def case(agencies, users):
    return CaseFactory(
        reference="NS-0001",
        title="Testfamily",
        lead_agency=agencies.csc,
        lead_professional=users.sw,
        involve=[agencies.hv, agencies.school],
    )


@pytest.fixture
def people(case):
    return SimpleNamespace(
        child=PersonFactory(
            case=case, given_name="Robin", sex="female", date_of_birth=dt.date(2021, 4, 4), is_subject=True
        ),
        baby=PersonFactory(
            case=case, given_name="Kit", sex="male", date_of_birth=dt.date(2025, 11, 1), is_subject=True
        ),
        mother=PersonFactory(case=case, given_name="Alex", sex="female", date_of_birth=dt.date(1994, 2, 2)),
    )


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def api_as():
    """api_as(user) gives an APIClient that sends a new API token of the user."""

    def make(user):
        client = APIClient()
        if user is not None:
            _, token = api_token_issue(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return client

    return make


@pytest.fixture
def web_as(client):
    """web_as(user) gives a Django test client signed in as the user."""

    def make(user):
        client.force_login(user)
        return client

    return make
