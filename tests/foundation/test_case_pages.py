"""Case pages: the list shows only visible cases; opening a case; the case page lists its people."""

import pytest

from cases.models import Case, CaseAgency

pytestmark = pytest.mark.django_db

VALID = {"reference": "NS-0077", "title": "Pagefamily", "legal_status": "child_in_need", "protection_category": ""}


def test_case_list_shows_only_visible_cases(case, other_case, users, web_as):
    html = web_as(users.hv).get("/cases/").content.decode()

    assert "NS-0001" in html
    assert "SS-0500" not in html
    assert "Otherfamily" not in html


def test_outsider_case_list_is_empty(case, users, web_as):
    html = web_as(users.outsider).get("/cases/").content.decode()

    assert "NS-0001" not in html
    assert "not involved in any case" in html


def test_admin_case_list_shows_every_case(case, other_case, users, web_as):
    html = web_as(users.admin).get("/cases/").content.decode()

    assert "NS-0001" in html
    assert "SS-0500" in html


def test_open_a_case_button_only_for_those_who_may(case, users, client):
    client.force_login(users.sw)
    assert 'href="/cases/new/"' in client.get("/cases/").content.decode()
    client.force_login(users.hv)
    assert 'href="/cases/new/"' not in client.get("/cases/").content.decode()


def test_social_worker_opens_a_case_on_the_page(agencies, users, web_as):
    response = web_as(users.sw).post("/cases/new/", VALID)

    case = Case.objects.get(reference="NS-0077")
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    assert case.lead_agency == agencies.csc
    assert case.lead_professional == users.sw
    assert list(CaseAgency.objects.filter(case=case).values_list("agency", flat=True)) == [agencies.csc.pk]


def test_empty_reference_shows_the_error_summary(users, web_as):
    response = web_as(users.sw).post("/cases/new/", {**VALID, "reference": ""})

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert '<a href="#id_reference">' in html
    assert "govuk-form-group--error" in html
    assert "<title>Error: Open a case" in html
    assert not Case.objects.exists()


def test_missing_legal_status_links_to_the_first_radio(users, web_as):
    html = web_as(users.sw).post("/cases/new/", {**VALID, "legal_status": ""}).content.decode()

    assert '<a href="#id_legal_status_0">' in html
    assert 'id="id_legal_status_0"' in html


def test_duplicate_reference_shows_the_error_summary(case, users, web_as):
    html = web_as(users.sw).post("/cases/new/", {**VALID, "reference": "NS-0001"}).content.decode()

    assert "There is a problem" in html
    assert '<a href="#id_reference">' in html
    assert Case.objects.count() == 1


def test_category_without_a_plan_shows_the_error_summary(users, web_as):
    html = web_as(users.sw).post("/cases/new/", {**VALID, "protection_category": "neglect"}).content.decode()

    assert "There is a problem" in html
    assert '<a href="#id_protection_category">' in html
    assert not Case.objects.exists()


@pytest.mark.parametrize("persona", ["hv", "manager", "chair"])
def test_others_cannot_open_a_case_on_the_page(users, web_as, persona):
    client = web_as(getattr(users, persona))

    assert client.get("/cases/new/").status_code == 403
    assert client.post("/cases/new/", VALID).status_code == 403
    assert not Case.objects.exists()


def test_admin_without_an_agency_opens_a_case_for_a_chosen_agency(agencies, users, web_as):
    response = web_as(users.admin).post("/cases/new/", {**VALID, "lead_agency": agencies.hv.pk})

    assert response.status_code == 302
    assert Case.objects.get(reference="NS-0077").lead_agency == agencies.hv


def test_admin_must_choose_a_lead_agency(agencies, users, web_as):
    response = web_as(users.admin).post("/cases/new/", VALID)

    assert response.status_code == 200
    assert '<a href="#id_lead_agency">' in response.content.decode()
    assert not Case.objects.exists()


def test_case_page_lists_people_and_agencies(case, people, users, web_as):
    response = web_as(users.teacher).get(f"/cases/{case.pk}/")

    assert response.status_code == 200
    html = response.content.decode()
    for name in ("Robin Testfamily", "Kit Testfamily", "Alex Testfamily"):
        assert name in html
    for agency in ("Northshire Children&#x27;s Social Care", "Northshire Health Visiting", "Riverside Primary School"):
        assert agency in html
    assert "Northshire Housing (Housing)" not in html


def test_case_page_says_when_no_people_are_recorded(case, users, web_as):
    assert "No people recorded yet." in web_as(users.sw).get(f"/cases/{case.pk}/").content.decode()


def test_social_worker_involves_an_agency_on_the_case_page(case, agencies, users, web_as):
    response = web_as(users.sw).post(f"/cases/{case.pk}/", {"agency": agencies.housing.pk})

    assert response.status_code == 302
    assert CaseAgency.objects.filter(case=case, agency=agencies.housing).exists()


def test_practitioner_cannot_involve_an_agency_on_the_case_page(case, agencies, users, web_as):
    response = web_as(users.hv).post(f"/cases/{case.pk}/", {"agency": agencies.housing.pk})

    assert response.status_code == 403
    assert not CaseAgency.objects.filter(case=case, agency=agencies.housing).exists()


def test_involving_an_unknown_agency_shows_the_error_summary(case, users, web_as):
    response = web_as(users.sw).post(f"/cases/{case.pk}/", {"agency": "999999"})

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
