import datetime as dt

import pytest

from audit.models import AuditEvent
from reporting.flags.models import FlagReview, RuleSetting

pytestmark = pytest.mark.django_db
URL = "/api/v1/cases/{}/flags/"


def test_flags_api_lists_flags_with_rule_severity_people_evidence_explanation_review(
    case, people, missed_three, users, api_as
):
    response = api_as(users.hv).get(URL.format(case.pk), {"at": "2026-06-01"})
    assert response.status_code == 200
    body = response.json()
    assert body["at"] == "2026-06-01"
    [flag] = [f for f in body["results"] if f["rule"] == "was_not_brought"]
    assert flag["severity"] == "high"
    assert flag["people"] == [people.baby.pk]
    assert flag["evidence"] == [e.pk for e in missed_three]
    assert flag["explanation"].startswith("Three appointments missed for Kit Testfamily with two agencies")
    assert flag["review"] is None
    assert flag["status"] == "open"


def test_flags_api_most_severe_first(case, people, missed_three, users, api_as):
    people.mother.ethnicity = ""
    people.mother.save()
    people.child.ethnicity = ""
    people.child.save()
    severities = [
        f["severity"] for f in api_as(users.hv).get(URL.format(case.pk), {"at": "2026-06-01"}).json()["results"]
    ]
    assert severities == sorted(severities, key=["high", "medium", "low"].index)
    assert severities[0] == "high" and severities[-1] == "low"


def test_flags_api_as_of_an_earlier_date_leaves_out_later_evidence(case, people, missed_three, users, api_as):
    body = api_as(users.hv).get(URL.format(case.pk), {"at": "2026-04-01"}).json()
    assert "was_not_brought" not in {f["rule"] for f in body["results"]}


def test_flags_api_rejects_a_bad_date_with_a_field_error(case, users, api_as):
    response = api_as(users.hv).get(URL.format(case.pk), {"at": "2026-13-01"})
    assert response.status_code == 400
    assert "at" in response.json()


def test_flags_api_outsider_gets_404(case, missed_three, users, api_as):
    assert api_as(users.outsider).get(URL.format(case.pk)).status_code == 404
    assert api_as(users.outsider).get(URL.format(case.pk) + "settings/").status_code == 404
    response = api_as(users.outsider).post(
        URL.format(case.pk) + "reviews/",
        {"rule": "was_not_brought", "key": "x", "decision": "in_plan", "rationale": "x"},
        format="json",
    )
    assert response.status_code == 404


def test_flags_api_read_is_audited(case, missed_three, users, api_as):
    api_as(users.hv).get(URL.format(case.pk), {"at": "2026-06-01"})
    assert AuditEvent.objects.filter(action="flags.viewed", case=case, actor=users.hv).count() == 1


def test_review_by_manager_is_recorded_audited_and_shown(case, people, missed_three, users, api_as):
    key = f"person:{people.baby.pk}"
    response = api_as(users.manager).post(
        URL.format(case.pk) + "reviews/",
        {
            "rule": "was_not_brought",
            "key": key,
            "decision": "in_plan",
            "rationale": "Health visitor now brings appointments to the home.",
            "at": "2026-06-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["evidence"] == [e.pk for e in missed_three]
    assert AuditEvent.objects.filter(action="flag.reviewed", case=case, actor=users.manager).exists()
    [flag] = [
        f
        for f in api_as(users.hv).get(URL.format(case.pk), {"at": "2026-06-01"}).json()["results"]
        if f["rule"] == "was_not_brought"
    ]
    assert flag["status"] == "reviewed"
    assert flag["review"]["rationale"] == "Health visitor now brings appointments to the home."


def test_review_without_rationale_is_a_400_and_writes_nothing(case, people, missed_three, users, api_as):
    response = api_as(users.manager).post(
        URL.format(case.pk) + "reviews/",
        {"rule": "was_not_brought", "key": f"person:{people.baby.pk}", "decision": "in_plan", "rationale": " "},
        format="json",
    )
    assert response.status_code == 400
    assert "rationale" in response.json()
    assert FlagReview.objects.count() == 0


def test_review_of_a_flag_not_raised_is_a_400(case, people, users, api_as):
    response = api_as(users.manager).post(
        URL.format(case.pk) + "reviews/",
        {"rule": "was_not_brought", "key": "person:1", "decision": "in_plan", "rationale": "Checked"},
        format="json",
    )
    assert response.status_code == 400
    assert "rule" in response.json()


def test_practitioner_cannot_review_a_flag(case, people, missed_three, users, api_as):
    response = api_as(users.hv).post(
        URL.format(case.pk) + "reviews/",
        {"rule": "was_not_brought", "key": f"person:{people.baby.pk}", "decision": "in_plan", "rationale": "x"},
        format="json",
    )
    assert response.status_code == 403


def test_rule_setting_change_applies_to_the_case_with_its_reason(case, people, missed_three, users, api_as):
    response = api_as(users.sw).post(
        URL.format(case.pk) + "settings/",
        {"rule": "was_not_brought", "params": {"count": 4}, "reason": "Twins: appointments are booked in pairs."},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert AuditEvent.objects.filter(action="flag_rule.changed", case=case).exists()
    rules = {f["rule"] for f in api_as(users.hv).get(URL.format(case.pk), {"at": "2026-06-01"}).json()["results"]}
    assert "was_not_brought" not in rules
    settings = api_as(users.hv).get(URL.format(case.pk) + "settings/").json()["results"]
    [setting] = [s for s in settings if s["rule"] == "was_not_brought"]
    assert setting["params"] == {"count": 4, "window_months": 6}
    assert setting["defaults"] == {"count": 3, "window_months": 6}
    assert setting["reason"] == "Twins: appointments are booked in pairs."


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"rule": "was_not_brought", "params": {"count": 0}, "reason": "r"}, "params"),
        ({"rule": "was_not_brought", "params": {"count": "three"}, "reason": "r"}, "params"),
        ({"rule": "was_not_brought", "params": {"weeks": 3}, "reason": "r"}, "params"),
        ({"rule": "no_such_rule", "params": {}, "reason": "r"}, "rule"),
        ({"rule": "was_not_brought", "params": {"count": 4}, "reason": ""}, "reason"),
    ],
)
def test_rule_setting_bad_input_is_a_400_and_writes_nothing(case, users, api_as, payload, field):
    response = api_as(users.sw).post(URL.format(case.pk) + "settings/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert RuleSetting.objects.count() == 0


def test_today_is_the_default_date(case, users, api_as):
    from freezegun import freeze_time

    with freeze_time("2026-07-04 12:00:00"):
        body = api_as(users.hv).get(URL.format(case.pk)).json()
    assert body["at"] == dt.date(2026, 7, 4).isoformat()
