"""The Flags tab opens with a summary table (flag, people, severity, since when, review state) and
keeps each flag's evidence behind a GOV.UK details component; the review link still works."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _summary_table(html: str) -> str:
    match = re.search(r'<table[^>]*id="flag-summary".*?</table>', html, re.S)
    assert match, "no summary table"
    return match.group(0)


def test_flags_page_starts_with_a_summary_table_of_rule_people_severity_since_and_review(
    case, people, missed_three, users, web_as
):
    html = web_as(users.hv).get(f"/cases/{case.pk}/flags/?at=2026-06-01").content.decode()
    table = _summary_table(html)
    headers = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', table)
    assert headers == ["Flag", "People", "Severity", "Since", "Review"]
    row = re.search(r"<tr class=\"govuk-table__row\">\s*<th scope=\"row\".*?</tr>", table, re.S).group(0)
    assert f'href="#flag-was_not_brought-person:{people.baby.pk}"' in row
    assert "Child repeatedly not brought to appointments" in row
    assert people.baby.given_name in row
    assert ">High<" in row
    assert "2 Mar 2026" in row  # the first missed appointment
    assert "Not reviewed" in row
    assert html.index('id="flag-summary"') < html.index(f'id="flag-was_not_brought-person:{people.baby.pk}"')


def test_flag_evidence_is_behind_a_details_component(case, people, missed_three, users, web_as):
    html = web_as(users.hv).get(f"/cases/{case.pk}/flags/?at=2026-06-01").content.decode()
    card = html[html.index(f'id="flag-was_not_brought-person:{people.baby.pk}"') :]
    details = re.search(r'<details class="govuk-details.*?</details>', card, re.S).group(0)
    assert "Evidence (3 entries)" in details
    for entry in missed_three:
        assert f"#entry-{entry.pk}" in details
        assert f"#entry-{entry.pk}" not in card[: card.index("<details")]


def test_summary_shows_reviewed_state_and_the_review_link_still_records_a_review(
    case, people, missed_three, users, web_as
):
    client = web_as(users.manager)
    html = client.get(f"/cases/{case.pk}/flags/?at=2026-06-01").content.decode()
    link = re.search(r'href="(/cases/\d+/flags/review/\?[^"]+)"', html).group(1).replace("&amp;", "&")
    assert client.get(link).status_code == 200
    data = {
        "rule": "was_not_brought",
        "key": f"person:{people.baby.pk}",
        "at": "2026-06-01",
        "decision": "in_plan",
        "rationale": "Known; in the plan.",
    }
    response = client.post(f"/cases/{case.pk}/flags/review/", data)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#flag-was_not_brought-person:{people.baby.pk}")
    table = _summary_table(client.get(f"/cases/{case.pk}/flags/?at=2026-06-01").content.decode())
    anchor = f'href="#flag-was_not_brought-person:{people.baby.pk}"'
    row = re.search(
        rf'<tr class="govuk-table__row">\s*<th scope="row"[^>]*><a class="govuk-link" {anchor}.*?</tr>', table, re.S
    )
    assert row, "no row for the reviewed flag"
    assert ">Reviewed<" in row.group(0) and "Not reviewed" not in row.group(0)
