"""Every case-scoped URL of the service answers 404 to a user whose agency is not involved.

The test walks every URL pattern (pages and API); each one with a case or pack argument is
requested as the outsider with ids of real rows of the case, with every method its view takes
(read from the view: a class's handlers, or a function's require_http_methods; a function view
without one takes GET and POST), bodies empty, and must answer 404 to each, the same as for a case
that does not exist. No 405 is accepted: a method the view does not take is not tried. A new
endpoint that forgets to scope its case fails here; one with an argument this test cannot fill
fails with a message saying which value to add.
"""

from __future__ import annotations

import datetime as dt
import inspect

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


WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def accepted_methods(pattern) -> list[str]:
    """The methods the view of a URL pattern takes (without HEAD and OPTIONS, which every view answers)."""
    callback = pattern.callback
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is not None:  # DRF and Django class-based views: the handlers they define
        names = [name for name in view_class.http_method_names if name not in ("head", "options")]
        return [name.upper() for name in names if hasattr(view_class, name)]
    function = callback
    while function is not None:  # require_http_methods (require_GET, require_POST) keeps its list in a closure
        methods = inspect.getclosurevars(function).nonlocals.get("request_method_list")
        if methods is not None:
            return [m for m in ("GET", *WRITE_METHODS) if m in methods]
        function = getattr(function, "__wrapped__", None)
    return ["GET", "POST"]


def test_accepted_methods_are_read_from_the_views():
    patterns = {pattern.name: pattern for _, pattern in url_patterns()}

    assert accepted_methods(patterns["api-pack"]) == ["GET"]
    assert accepted_methods(patterns["api-entries"]) == ["GET", "POST"]
    assert accepted_methods(patterns["api-person"]) == ["GET", "PATCH"]
    assert accepted_methods(patterns["entry-import"]) == ["GET", "POST"]


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
        methods = accepted_methods(pattern)
        assert methods, f"{pattern.name}: no method found for its view"
        for path in paths_for(route, case_rows, why="checked for the outsider"):
            answers = {method: client.generic(method, path).status_code for method in methods}
            if set(answers.values()) != {404}:
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
