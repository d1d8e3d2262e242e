"""Every page a persona can reach, for a populated case, in headless Chromium with axe-core.

Each persona of tests/conftest.py signs in through the sign-in form and visits every page of the
service: the case list, the case overview and its forms, the chronology (table, add entry, an
entry, import, timeline), the family (genogram and ecomap), flags (summary, a review, the rules),
packs, meetings and actions, the audit trail, the security log and the account pages. A page the
persona may not reach (403, or 404 for a case their agency is not involved in) is checked to be
refused, and the page saying so is checked too. Every page reached must pass axe-core (WCAG 2.2 A
and AA); the test lists every violation of every page, not only the first."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from freezegun import freeze_time
from playwright.sync_api import Error as PlaywrightError

from chronology.services import entry_create
from genogram.services import ecomap_link_create, household_create, household_member_add, relationship_create
from reporting.flags.selectors import flags_for_case
from reporting.packs.models import Pack, PackStatus

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

D = dt.date
PERSONAS = ["sw", "hv", "teacher", "manager", "chair", "admin", "outsider"]
# What each persona must reach (the rest depends on the access policy and is only checked for
# accessibility where it answers): every involved persona reads the case; managers and
# administrators read the audit trail and the security log.
CASE_READS = {"overview", "chronology", "entry", "timeline", "family", "flags", "flag rules", "packs"}
MUST_REACH = {
    "sw": {"case list", "password", *CASE_READS, "add entry", "flag review"},
    "hv": {"case list", "password", *CASE_READS, "add entry"},
    "teacher": {"case list", "password", *CASE_READS, "add entry"},
    "manager": {"case list", "password", *CASE_READS, "audit", "security log", "flag review"},
    "chair": {"case list", "password", *CASE_READS, "flag review"},
    "admin": {"case list", "password", *CASE_READS, "audit", "security log"},
    "outsider": {"case list", "password"},
}


@pytest.fixture
def populated(case, people, users, agencies):
    """The test case with a family, households, an ecomap, entries from three agencies (one
    restricted, one amended-free high one), a flag and a pack."""
    with freeze_time("2026-06-01 10:00:00"):
        today = D(2026, 6, 1)
        relationship_create(
            acting_user=users.sw, case=case, kind="biological_parent", from_person=people.mother, to_person=people.child
        )
        relationship_create(
            acting_user=users.sw, case=case, kind="biological_parent", from_person=people.mother, to_person=people.baby
        )
        home = household_create(acting_user=users.sw, case=case, label="Mother's flat", address="1 Example Road")
        for person in (people.mother, people.child, people.baby):
            household_member_add(acting_user=users.sw, household=home, person=person, from_date=D(2025, 11, 1))
        ecomap_link_create(
            acting_user=users.sw,
            case=case,
            person=people.child,
            resource_name=agencies.school.name,
            agency=agencies.school,
            strength="strong",
        )
        entries = [
            entry_create(
                acting_user=users.hv,
                case=case,
                occurred_on=day,
                kind="appointment_missed",
                summary=f"Kit not brought to the clinic ({day:%d %b})",
                significance="medium",
                subjects=[people.baby],
                today=today,
            )
            for day in (D(2026, 2, 2), D(2026, 3, 9), D(2026, 4, 13))
        ]
        entries.append(
            entry_create(
                acting_user=users.teacher,
                case=case,
                occurred_on=D(2026, 5, 11),
                kind="school_absence",
                summary="Robin absent for three days",
                significance="low",
                subjects=[people.child],
                today=today,
            )
        )
        entries.append(
            entry_create(
                acting_user=users.sw,
                case=case,
                occurred_on=D(2026, 5, 20),
                kind="home_visit",
                summary="Home visit: Robin seen alone in her bedroom",
                significance="high",
                action="Strategy discussion requested",
                subjects=[people.child],
                seen=[people.child, people.mother],
                seen_alone=[people.child],
                today=today,
            )
        )
        entry_create(
            acting_user=users.hv,
            case=case,
            occurred_on=D(2026, 5, 21),
            kind="disclosure",
            summary="Mother disclosed something in confidence",
            significance="medium",
            subjects=[people.mother],
            restricted=True,
            today=today,
        )
        Pack.objects.create(
            case=case,
            kind="strategy",
            date_from=D(2026, 1, 1),
            date_to=D(2026, 5, 31),
            generated_by=users.chair,
            status=PackStatus.FAILED,
            error="The pack took longer than 5 minutes to build and was stopped.",
        )
    flag = next(f for f in flags_for_case(case, D(2026, 6, 1)) if f.rule == "was_not_brought")
    return {"case": case, "entry": entries[-1], "flag": flag, "person": people.mother}


def _pages(populated) -> dict[str, str]:
    case, entry, flag, person = populated["case"], populated["entry"], populated["flag"], populated["person"]
    c = f"/cases/{case.pk}"
    return {
        "case list": "/cases/",
        "new case": "/cases/new/",
        "overview": f"{c}/",
        "new person": f"{c}/people/new/",
        "edit person": f"{c}/people/{person.pk}/edit/",
        "summary revisions": f"{c}/summary/revisions/",
        "edit summary": f"{c}/summary/",
        "change status": f"{c}/status/",
        "close case": f"{c}/close/",
        "reopen case": f"{c}/reopen/",
        "hand over": f"{c}/lead/",
        "join team": f"{c}/team/",
        "end team membership": f"{c}/team/{case.team.first().pk}/end/",
        "chronology": f"{c}/chronology/",
        "add entry": f"{c}/chronology/new/",
        "entry": f"{c}/chronology/{entry.pk}/",
        "amend entry": f"{c}/chronology/{entry.pk}/amend/",
        "retract entry": f"{c}/chronology/{entry.pk}/retract/",
        "import": f"{c}/chronology/import/",
        "timeline": f"{c}/chronology/timeline/?date_from=2026-01-01&date_to=2026-06-30",
        "family": f"{c}/family/?at=2026-06-01",
        "add relationship": f"{c}/family/relationships/new/",
        "add household member": f"{c}/family/members/new/",
        "add ecomap link": f"{c}/family/ecomap/new/",
        "flags": f"{c}/flags/?at=2026-06-01",
        "flag review": f"{c}/flags/review/?rule={flag.rule}&key={flag.key}&at=2026-06-01",
        "flag rules": f"{c}/flags/rules/",
        "flag rule setting": f"{c}/flags/rules/was_not_brought/",
        "packs": f"{c}/packs/",
        "meetings": f"{c}/meetings/",
        "new meeting": f"{c}/meetings/new/",
        "actions": f"{c}/actions/",
        "new action": f"{c}/actions/new/",
        "audit": f"{c}/audit/",
        "security log": "/security-log/",
        "password": "/password/",
    }


def _screenshot(page, persona: str, name: str) -> None:
    folder = os.environ.get("E2E_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"every-page-{persona}-{name.replace(' ', '-')}.png"), full_page=True)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_the_persona_can_reach_passes_axe(persona, populated, users, signed_in_page, assert_accessible):
    page = signed_in_page(getattr(users, persona))
    reached, refused, problems = set(), {}, []
    checked_refusal = False
    for name, url in _pages(populated).items():
        try:
            response = page.goto(url)
        except PlaywrightError as exc:  # an empty error answer (405) is a navigation error
            problems.append(f"{name} ({url}): {exc.message.splitlines()[0]}")
            continue
        status = response.status if response else 0
        if status in (403, 404):
            refused[name] = status
            if checked_refusal:
                continue
            checked_refusal = True  # the "Page not found" / "Forbidden" page itself, once
        elif status != 200:
            problems.append(f"{name} ({url}): answered {status}")
            continue
        else:
            reached.add(name)
            _screenshot(page, persona, name)
        try:
            assert_accessible(page)
        except pytest.fail.Exception as failure:
            problems.append(f"{name} ({url}): {failure}")
    missing = MUST_REACH[persona] - reached
    assert not missing, f"{persona} could not reach {sorted(missing)}: {refused}"
    if persona == "outsider":
        prefix = f"/cases/{populated['case'].pk}/"
        case_pages = {name for name, url in _pages(populated).items() if url.startswith(prefix)}
        assert {name: refused.get(name) for name in case_pages} == dict.fromkeys(case_pages, 404)
    assert not problems, "\n\n".join(problems)
