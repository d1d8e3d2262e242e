"""Every case-scoped URL of the service answers 404 to a user whose agency is not involved.

The test walks every URL pattern (pages and API); each one with a case or pack argument is
requested as the outsider with ids of real rows of the case (GET, and POST with an empty body),
and must answer 404 (or 405 to a method the endpoint never takes), the same as for a case that
does not exist. A new endpoint that forgets to scope its case fails here; one with an argument
this test cannot fill fails with a message saying which value to add.
"""

from __future__ import annotations

import datetime as dt

import pytest

from chronology.services import entry_create
from genogram.services import ecomap_link_create, household_create, household_member_add, relationship_create
from reporting.packs.services import pack_request
from tests.helpers_urls import paths_for, route_arguments, url_patterns

pytestmark = pytest.mark.django_db

SCOPING_ARGUMENTS = {"case_id", "pack_id"}


@pytest.fixture
def case_rows(case, people, users, django_capture_on_commit_callbacks, settings, tmp_path):
    """One row of everything that hangs from the case, so every id in a URL is real."""
    settings.MEDIA_ROOT = tmp_path / "media"
    entry = entry_create(
        acting_user=users.teacher,
        case=case,
        occurred_on=dt.date(2026, 5, 2),
        kind="home_visit",
        summary="Seen at home",
        subjects=[people.child],
        today=dt.date(2026, 6, 1),
    )
    household = household_create(acting_user=users.sw, case=case, label="Testfamily home")
    member = household_member_add(
        acting_user=users.sw, household=household, person=people.child, from_date=dt.date(2021, 4, 4)
    )
    relationship = relationship_create(
        acting_user=users.sw, case=case, kind="biological_parent", from_person=people.mother, to_person=people.child
    )
    link = ecomap_link_create(
        acting_user=users.sw,
        case=case,
        person=people.child,
        resource_name="Riverside Primary",
        resource_kind="school",
        strength="strong",
    )
    with django_capture_on_commit_callbacks(execute=True):
        pack = pack_request(
            acting_user=users.chair,
            case=case,
            kind="strategy",
            date_from=dt.date(2026, 1, 1),
            date_to=dt.date(2026, 6, 30),
            min_significance="low",
        )
    return {
        "case_id": [str(case.pk)],
        "entry_id": [str(entry.pk)],
        "person_id": [str(people.child.pk)],
        "household_id": [str(household.pk)],
        "member_id": [str(member.pk)],
        "relationship_id": [str(relationship.pk)],
        "link_id": [str(link.pk)],
        "team_member_id": [str(case.team.get().pk)],
        "pack_id": [str(pack.pk)],
        "fmt": ["csv", "xlsx", "json"],
        "meeting_id": ["1"],
        "action_id": ["1"],
        "rule_id": ["nonmobile_injury"],
    }


def _scoped_patterns():
    for route, pattern in url_patterns():
        if SCOPING_ARGUMENTS & set(route_arguments(route)):
            yield route, pattern


def test_every_case_scoped_url_answers_not_found_to_the_outsider(case_rows, users, api_as, web_as):
    scoped = list(_scoped_patterns())
    clients = {"api": api_as(users.outsider), "page": web_as(users.outsider)}
    wrong: dict[str, dict[str, int]] = {}
    for route, pattern in scoped:
        client = clients["api" if route.startswith("api/") else "page"]
        for path in paths_for(route, case_rows, why="checked for the outsider"):
            answers = {
                "GET": client.get(path).status_code,
                "POST": client.post(path, data={}).status_code,
            }
            # 405 answers a method the endpoint never takes, whatever the case: it reveals nothing.
            # Every other answer, and at least one, must be 404.
            if 404 not in answers.values() or set(answers.values()) - {404, 405}:
                wrong[f"{path} ({pattern.name})"] = answers
    assert not wrong, f"case-scoped URLs that did not answer 404 to the outsider: {wrong}"
    # The walk really covered pages and the API of every part of the service.
    names = {pattern.name for _, pattern in scoped}
    assert {"case-detail", "chronology", "genogram-family", "case-flags", "case-packs", "case-audit"} <= names
    assert {"api-case", "api-entries", "api-case-flags", "api-pack", "api-pack-download", "api-case-audit"} <= names


def test_the_same_urls_answer_the_involved_lead_social_worker(case_rows, users, web_as, api_as):
    """The walk could fail: for a user of an involved agency the same URLs are found."""
    client = {"api": api_as(users.sw), "page": web_as(users.sw)}
    for route, pattern in _scoped_patterns():
        if pattern.name not in {"case-detail", "chronology", "api-case", "api-entries", "api-pack", "case-audit"}:
            continue
        for path in paths_for(route, case_rows):
            response = client["api" if route.startswith("api/") else "page"].get(path)
            assert response.status_code != 404, f"{path} answered 404 to the lead social worker"
