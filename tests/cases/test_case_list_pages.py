"""The case list: open cases first, 50 a page through the one keyset scheme, a forged page link a 400."""

from __future__ import annotations

import pytest

from cases.models import CaseStatus
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_case_list_pages_open_cases_first_and_never_repeats_a_case(agencies, users, web_as):
    for n in range(52):
        CaseFactory(reference=f"NS-{n:04d}", lead_agency=agencies.csc)
    CaseFactory(reference="NS-0000-C", lead_agency=agencies.csc, status=CaseStatus.CLOSED, closed_on="2024-02-01")
    client = web_as(users.sw)
    first = client.get("/cases/")
    html = first.content.decode()
    assert len(first.context["cases"]) == 50
    assert "NS-0000-C" not in html  # the closed case comes after every open one
    next_link = first.context["pages"].next_link
    second = client.get(f"/cases/{next_link}").content.decode()
    assert "NS-0050" in second and "NS-0051" in second and "NS-0000-C" in second
    assert "NS-0049" not in second


def test_case_list_forged_page_link_is_a_400_with_a_link_to_the_first_page(users, web_as):
    response = web_as(users.sw).get("/cases/?cursor=forged")
    assert response.status_code == 400
    assert "That page link is not valid" in response.content.decode()
