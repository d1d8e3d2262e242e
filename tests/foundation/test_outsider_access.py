"""A user whose agency is not involved gets 404 for everything under a case, never a 500."""

import pytest

from accounts.models import Role
from audit.models import AuditEvent
from cases.models import CaseAgency, Person
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def api_urls(case, person):
    base = f"/api/v1/cases/{case.pk}"
    return [f"{base}/", f"{base}/agencies/", f"{base}/people/", f"{base}/people/{person.pk}/", f"{base}/audit/"]


def page_urls(case, person):
    base = f"/cases/{case.pk}"
    return [f"{base}/", f"{base}/people/new/", f"{base}/people/{person.pk}/edit/", f"{base}/audit/"]


def test_outsider_gets_404_on_every_api_read(case, people, users, api_as):
    client = api_as(users.outsider)

    statuses = {url: client.get(url).status_code for url in api_urls(case, people.child)}

    assert statuses == dict.fromkeys(api_urls(case, people.child), 404)


def test_outsider_api_404_says_nothing_about_the_case(case, people, users, api_as):
    response = api_as(users.outsider).get(f"/api/v1/cases/{case.pk}/")

    assert set(response.json()) == {"detail"}
    assert "Testfamily" not in response.content.decode()
    assert "NS-0001" not in response.content.decode()


def test_outsider_404_is_the_same_as_for_a_case_that_does_not_exist(case, users, api_as):
    client = api_as(users.outsider)

    hidden = client.get(f"/api/v1/cases/{case.pk}/")
    missing = client.get("/api/v1/cases/987654/")

    assert (hidden.status_code, hidden.json()) == (missing.status_code, missing.json())


def test_outsider_gets_404_on_every_api_write(case, people, agencies, users, api_as):
    client = api_as(users.outsider)
    base = f"/api/v1/cases/{case.pk}"

    assert client.post(f"{base}/people/", {"given_name": "Lee"}, format="json").status_code == 404
    assert client.post(f"{base}/agencies/", {"agency": agencies.housing.pk}, format="json").status_code == 404
    assert client.patch(f"{base}/people/{people.child.pk}/", {"ethnicity": "x"}, format="json").status_code == 404
    assert Person.objects.filter(case=case).count() == 3
    assert not CaseAgency.objects.filter(case=case, agency=agencies.housing).exists()
    people.child.refresh_from_db()
    assert people.child.ethnicity == "White British"


def test_outsider_manager_gets_404_not_403_on_the_audit_trail(case, agencies, api_as, web_as):
    housing_manager = UserFactory(username="housing_manager", agency=agencies.housing, role=Role.MANAGER)

    assert api_as(housing_manager).get(f"/api/v1/cases/{case.pk}/audit/").status_code == 404
    assert web_as(housing_manager).get(f"/cases/{case.pk}/audit/").status_code == 404


def test_outsider_social_worker_cannot_involve_their_own_agency(case, agencies, api_as):
    housing_sw = UserFactory(username="housing_sw", agency=agencies.housing, role=Role.SOCIAL_WORKER)

    response = api_as(housing_sw).post(
        f"/api/v1/cases/{case.pk}/agencies/", {"agency": agencies.housing.pk}, format="json"
    )

    assert response.status_code == 404
    assert not CaseAgency.objects.filter(case=case, agency=agencies.housing).exists()


def test_outsider_gets_404_on_every_case_page(case, people, users, web_as):
    client = web_as(users.outsider)

    statuses = {url: client.get(url).status_code for url in page_urls(case, people.child)}

    assert statuses == dict.fromkeys(page_urls(case, people.child), 404)


def test_outsider_404_page_is_the_service_page_without_case_details(case, users, web_as):
    response = web_as(users.outsider).get(f"/cases/{case.pk}/")

    html = response.content.decode()
    assert "Page not found" in html
    assert "Testfamily" not in html


def test_outsider_posts_to_case_pages_get_404(case, people, agencies, users, web_as):
    client = web_as(users.outsider)

    assert client.post(f"/cases/{case.pk}/", {"agency": agencies.housing.pk}).status_code == 404
    assert client.post(f"/cases/{case.pk}/people/new/", {"given_name": "Lee"}).status_code == 404
    assert client.post(f"/cases/{case.pk}/people/{people.child.pk}/edit/", {"given_name": "Lee"}).status_code == 404
    assert Person.objects.filter(case=case).count() == 3


def test_outsider_is_not_audited_as_having_read_the_case(case, people, users, api_as, web_as):
    for url in api_urls(case, people.child):
        api_as(users.outsider).get(url)
    for url in page_urls(case, people.child):
        web_as(users.outsider).get(url)

    assert not AuditEvent.objects.filter(case=case, actor=users.outsider).exists()


def test_person_id_from_a_visible_case_cannot_reach_a_hidden_one(case, other_case, users, api_as):
    stranger = other_case.people.get()

    assert api_as(users.sw).get(f"/api/v1/cases/{other_case.pk}/people/{stranger.pk}/").status_code == 404
    assert api_as(users.sw).get(f"/api/v1/cases/{case.pk}/people/{stranger.pk}/").status_code == 404


def test_unauthenticated_page_visit_redirects_to_sign_in(case, client):
    response = client.get(f"/cases/{case.pk}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


@pytest.mark.parametrize("persona", ["admin"])
def test_admin_sees_an_uninvolved_case_page(other_case, users, web_as, persona):
    response = web_as(getattr(users, persona)).get(f"/cases/{other_case.pk}/")

    assert response.status_code == 200
    assert "Otherfamily" in response.content.decode()
