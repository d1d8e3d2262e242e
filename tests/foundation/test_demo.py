"""The demo the README serves: a demo login sees the demo case; the uninvolved agency gets 404."""

import io

import pytest
from django.core.management import call_command

from accounts.models import User
from cases.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_case():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return Case.objects.get(reference="NS-2026-0417"), out.getvalue()


def test_load_demo_prints_a_login_for_every_role(demo_case):
    _, printed = demo_case
    assert "Demo-chronology-2026" in printed
    for role in ("social_worker", "practitioner", "chair", "manager", "admin"):
        assert role in printed


def test_demo_lead_social_worker_sees_the_demo_case_on_the_page_and_api(demo_case, client, api_as):
    case, _ = demo_case
    sw = User.objects.get(username="sw.patel")
    client.force_login(sw)
    page = client.get("/cases/")
    assert page.status_code == 200
    assert "NS-2026-0417" in page.content.decode()
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    assert api_as(sw).get(f"/api/v1/cases/{case.pk}/").json()["reference"] == "NS-2026-0417"


def test_demo_user_of_an_uninvolved_agency_gets_404_on_the_demo_case(demo_case, client, api_as):
    case, _ = demo_case
    outsider = User.objects.get(username="other.sw")
    client.force_login(outsider)
    assert "NS-2026-0417" not in client.get("/cases/").content.decode()
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert api_as(outsider).get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert api_as(outsider).get(f"/api/v1/cases/{case.pk}/entries/").status_code == 404


def test_load_demo_twice_refuses_rather_than_duplicating(demo_case):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", "--if-empty", stdout=io.StringIO())
    assert Case.objects.filter(reference="NS-2026-0417").count() == 1
