import pytest

from audit.models import AuditEvent
from reporting.flags.models import FlagReview, RuleSetting

pytestmark = pytest.mark.django_db


def test_flags_tab_lists_flags_linking_to_highlighted_evidence(case, people, missed_three, users, web_as):
    response = web_as(users.hv).get(f"/cases/{case.pk}/flags/?at=2026-06-01")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Child repeatedly not brought to appointments" in html
    assert "High severity" in html
    ids = ",".join(str(e.pk) for e in missed_three)
    assert f"/cases/{case.pk}/chronology/?highlight={ids}#entry-{missed_three[0].pk}" in html
    assert 'aria-current="page">Flags</a>' in html
    assert AuditEvent.objects.filter(action="flags.viewed", case=case, actor=users.hv).exists()


def test_flags_tab_outsider_gets_404(case, users, web_as):
    client = web_as(users.outsider)
    assert client.get(f"/cases/{case.pk}/flags/").status_code == 404
    assert client.get(f"/cases/{case.pk}/flags/rules/").status_code == 404
    assert client.get(f"/cases/{case.pk}/flags/rules/was_not_brought/").status_code == 404
    assert client.get(f"/cases/{case.pk}/flags/review/?rule=x&key=y").status_code == 404


def test_review_form_shows_an_error_summary_and_saves_nothing_without_rationale(
    case, people, missed_three, users, web_as
):
    url = f"/cases/{case.pk}/flags/review/"
    data = {"rule": "was_not_brought", "key": f"person:{people.baby.pk}", "at": "2026-06-01", "decision": "in_plan"}
    response = web_as(users.manager).post(url, {**data, "rationale": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "govuk-error-summary" in html
    assert FlagReview.objects.count() == 0
    response = web_as(users.manager).post(url, {**data, "rationale": "Known; in the plan."})
    assert response.status_code == 302
    assert FlagReview.objects.get().rationale == "Known; in the plan."


def test_review_form_refused_to_a_practitioner(case, people, missed_three, users, web_as):
    url = f"/cases/{case.pk}/flags/review/?rule=was_not_brought&key=person:{people.baby.pk}&at=2026-06-01"
    assert web_as(users.teacher).get(url).status_code == 403


def test_rule_setting_form_records_the_change_and_shows_errors(case, users, web_as):
    url = f"/cases/{case.pk}/flags/rules/was_not_brought/"
    client = web_as(users.sw)
    response = client.post(url, {"count": "0", "window_months": "6", "reason": ""})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert RuleSetting.objects.count() == 0
    response = client.post(url, {"count": "4", "window_months": "6", "reason": "Appointments booked in pairs."})
    assert response.status_code == 302
    assert RuleSetting.objects.get().params == {"count": 4}
    page = client.get(f"/cases/{case.pk}/flags/rules/").content.decode()
    assert "Appointments booked in pairs." in page


def test_flags_tab_with_a_bad_date_shows_an_error_summary(case, users, web_as):
    response = web_as(users.hv).get(f"/cases/{case.pk}/flags/?at=2026-02-31")
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
