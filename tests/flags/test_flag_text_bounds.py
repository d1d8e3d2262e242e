"""The free text of flag reviews and rule changes is bounded: longer text is refused with a 400 (or a
form error) that names the limit, and nothing is written."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from reporting.flags.models import (
    REVIEW_RATIONALE_MAX_CHARS,
    RULE_SETTING_REASON_MAX_CHARS,
    FlagReview,
    RuleSetting,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/cases/{}/flags/"


def review(people, rationale: str) -> dict:
    return {
        "rule": "was_not_brought",
        "key": f"person:{people.baby.pk}",
        "decision": "in_plan",
        "rationale": rationale,
        "at": "2026-06-01",
    }


def test_review_rationale_over_the_limit_is_a_400_naming_the_limit(case, people, missed_three, users, api_as):
    client = api_as(users.manager)
    response = client.post(
        URL.format(case.pk) + "reviews/", review(people, "Q" * (REVIEW_RATIONALE_MAX_CHARS + 1)), format="json"
    )
    assert response.status_code == 400
    assert response.json()["rationale"] == ["Keep the rationale to 5,000 characters or fewer."]
    assert FlagReview.objects.count() == 0
    assert not AuditEvent.objects.filter(action="flag.reviewed").exists()
    at_limit = client.post(
        URL.format(case.pk) + "reviews/", review(people, "Q" * REVIEW_RATIONALE_MAX_CHARS), format="json"
    )
    assert at_limit.status_code == 201, at_limit.json()


def test_review_service_refuses_an_overlong_rationale_whoever_calls_it(case, people, missed_three, users):
    import datetime as dt

    from django.core.exceptions import ValidationError

    from reporting.flags.services import flag_review_record

    with pytest.raises(ValidationError) as raised:
        flag_review_record(
            acting_user=users.manager,
            case=case,
            rule="was_not_brought",
            key=f"person:{people.baby.pk}",
            decision="in_plan",
            rationale="Q" * 6000,
            at=dt.date(2026, 6, 1),
        )
    assert raised.value.message_dict["rationale"] == [
        "The rationale is 6,000 characters long: keep it to 5,000 characters or fewer."
    ]
    assert FlagReview.objects.count() == 0


def test_rule_change_reason_over_the_limit_is_a_400_naming_the_limit(case, users, api_as):
    response = api_as(users.sw).post(
        URL.format(case.pk) + "settings/",
        {"rule": "was_not_brought", "params": {"count": 4}, "reason": "Q" * (RULE_SETTING_REASON_MAX_CHARS + 1)},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["reason"] == ["Keep the reason to 2,000 characters or fewer."]
    assert RuleSetting.objects.count() == 0


def test_review_form_refuses_an_overlong_rationale_with_an_error_summary(case, people, missed_three, users, web_as):
    url = f"/cases/{case.pk}/flags/review/"
    data = {"rule": "was_not_brought", "key": f"person:{people.baby.pk}", "at": "2026-06-01", "decision": "in_plan"}
    response = web_as(users.manager).post(url, {**data, "rationale": "Q" * 5001})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Keep the rationale to 5,000 characters or fewer (it has 5001)." in html
    assert FlagReview.objects.count() == 0


def test_rule_setting_form_refuses_an_overlong_reason(case, users, web_as):
    url = f"/cases/{case.pk}/flags/rules/was_not_brought/"
    response = web_as(users.sw).post(url, {"count": "4", "window_months": "6", "reason": "Q" * 2001})
    assert response.status_code == 200
    assert "Keep the reason to 2,000 characters or fewer (it has 2001)." in response.content.decode()
    assert RuleSetting.objects.count() == 0
