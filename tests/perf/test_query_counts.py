"""Every list endpoint and every page costs a constant number of queries, whatever the number of
rows (no N+1). Each case asks once with 2 rows and once with 12, asserts the two counts are equal
and pins the count (the audit row written for the read included: one insert of a pending row,
chained later by the sealer off the request path; pages count the whole request, session,
templates and all).

When a pinned number changes on purpose, change it here with the reason in the commit; when the
two counts differ, a list grew an N+1: fix it with select_related/prefetch_related."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.services import access_refused_record, audit_record
from cases.models import CaseAgency
from chronology.services import entry_amend, entry_create
from genogram.services import ecomap_link_create, household_create, household_member_add, relationship_create
from meetings.services import action_create, meeting_schedule
from reporting.flags.base import REGISTRY
from reporting.flags.selectors import flags_for_case
from reporting.flags.services import flag_review_record, rule_setting_change
from reporting.models import Pack
from tests.factories import AgencyFactory, CaseFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)
FEW, MANY = 2, 12


@dataclass
class World:
    """What the growers need: the personas, the case, its people and a few shared rows."""

    users: object
    agencies: object
    case: object
    people: object
    shared: dict


def _entry(w: World, i: int, **fields):
    authors = (w.users.hv, w.users.sw, w.users.teacher)
    fields.setdefault("occurred_on", dt.date(2026, 1, 1) + dt.timedelta(days=i))
    fields.setdefault("kind", "home_visit")
    fields.setdefault("summary", f"Home visit {i}")
    subjects = [w.people.child, w.people.baby, w.people.mother]
    return entry_create(
        acting_user=authors[i % 3],
        case=w.case,
        today=TODAY,
        subjects=[subjects[i % 3]],
        present=[subjects[(i + 1) % 3]],
        seen=[subjects[i % 3]],
        **fields,
    )


def _person(w: World, i: int):
    return PersonFactory(case=w.case, given_name=f"Extra{i}")


def grow_agencies(w, i):
    AgencyFactory(name=f"Perf agency {i}")


def grow_users(w, i):
    UserFactory(username=f"perf_user_{i}", agency=AgencyFactory(name=f"Perf user agency {i}"))


def grow_cases(w, i):
    CaseFactory(
        lead_agency=w.agencies.csc,
        lead_professional=(w.users.sw, w.users.manager)[i % 2],
        involve=[w.agencies.hv, AgencyFactory(name=f"Perf involved {i}")],
    )


def grow_case_agencies(w, i):
    CaseAgency.objects.create(case=w.case, agency=AgencyFactory(name=f"Perf case agency {i}"))


def grow_people(w, i):
    _person(w, i)


def grow_relationships(w, i):
    relationship_create(
        acting_user=w.users.sw,
        case=w.case,
        kind="biological_parent",
        from_person=w.people.mother,
        to_person=_person(w, i),
    )


def grow_households(w, i):
    household = household_create(acting_user=w.users.sw, case=w.case, label=f"Home {i}")
    household_member_add(
        acting_user=w.users.sw, household=household, person=_person(w, i), from_date=dt.date(2024, 1, 1)
    )


def grow_entered_in_error(w, i):
    """A person entered in error, with a relationship, a membership and an ecomap link marked with them."""
    from cases.services import person_mark_entered_in_error

    person = _person(w, i)
    relationship_create(
        acting_user=w.users.sw, case=w.case, kind="biological_parent", from_person=w.people.mother, to_person=person
    )
    household_member_add(acting_user=w.users.sw, household=_household(w), person=person, from_date=dt.date(2024, 1, 1))
    ecomap_link_create(acting_user=w.users.sw, case=w.case, person=person, resource_name=f"Club {i}", strength="strong")
    person_mark_entered_in_error(acting_user=w.users.manager, person=person, reason=f"Wrong case {i}")


def _household(w):
    if "household" not in w.shared:
        w.shared["household"] = household_create(acting_user=w.users.sw, case=w.case, label="Testfamily home")
    return w.shared["household"]


def grow_members(w, i):
    household_member_add(
        acting_user=w.users.sw, household=_household(w), person=_person(w, i), from_date=dt.date(2024, 1, 1)
    )


def grow_links(w, i):
    agency = (w.agencies.hv, None)[i % 2]
    ecomap_link_create(
        acting_user=w.users.sw,
        case=w.case,
        person=_person(w, i),
        agency=agency,
        resource_name="" if agency else f"Club {i}",
        resource_kind="school",
        strength="strong",
    )


def grow_entries(w, i):
    _entry(w, i)


def grow_restricted_entries(w, i):
    """Every other entry restricted: the reader (the teacher) sees placeholders for the others'."""
    _entry(w, i, restricted=i % 2 == 0)


def _amended(w):
    if "entry" not in w.shared:
        w.shared["entry"] = _entry(w, 0)  # recorded by the health visitor, who amends it
    return w.shared["entry"]


def grow_revisions(w, i):
    entry = _amended(w)
    entry.refresh_from_db()
    w.shared["entry"] = entry_amend(
        acting_user=w.users.hv,
        entry=entry,
        reason=f"Correction {i}",
        expected_revision=entry.revision,
        today=TODAY,
        summary=f"Home visit, corrected {i}",
    )


def grow_flags(w, i):
    """Evidence for flags (missed appointments for the baby) and reviews of them."""
    _entry(
        w, i, kind="appointment_missed", occurred_on=dt.date(2026, 3, 1) + dt.timedelta(days=i), summary=f"Missed {i}"
    )
    flags = flags_for_case(w.case, TODAY)
    assert flags, "missed appointments for the baby raise a flag to review"
    if flags:
        flag = flags[i % len(flags)]
        flag_review_record(
            acting_user=(w.users.sw, w.users.manager, w.users.chair)[i % 3],
            case=w.case,
            rule=flag.rule,
            key=flag.key,
            decision="in_plan",
            rationale=f"Reviewed {i}",
            at=TODAY,
        )


def grow_settings(w, i):
    rules = sorted((rule_id, cls) for rule_id, cls in REGISTRY.items() if getattr(cls, "defaults", None))
    rule_id, cls = rules[i % len(rules)]
    name, default = next((k, v) for k, v in cls.defaults.items() if isinstance(v, int))
    rule_setting_change(
        acting_user=(w.users.sw, w.users.manager)[i % 2],
        case=w.case,
        rule=rule_id,
        params={name: default + 1 + i},
        reason=f"Reason {i}",
    )


def grow_one_rule(w, i):
    """Changes of one rule's parameters: the rule's page shows their history."""
    rule_setting_change(
        acting_user=(w.users.sw, w.users.manager)[i % 2],
        case=w.case,
        rule="no_access_visits",
        params={"count": 3 + i},
        reason=f"Reason {i}",
    )


def _first_flag_review_url(w):
    flag = flags_for_case(w.case, TODAY)[0]
    return f"/cases/{w.case.pk}/flags/review/?rule={flag.rule}&key={flag.key}&at={TODAY.isoformat()}"


def grow_packs(w, i):
    pack = Pack.objects.create(
        case=w.case,
        kind="strategy",
        date_from=dt.date(2026, 1, 1),
        date_to=dt.date(2026, 2, 1),
        generated_by=(w.users.sw, w.users.chair, w.users.manager)[i % 3],
    )
    pack.agencies.add(w.agencies.hv)


def grow_audit(w, i):
    audit_record(actor=(w.users.sw, w.users.hv, w.users.teacher)[i % 3], action="case.read", case=w.case)


def grow_meetings(w, i):
    """A held meeting (adding its chronology entry) and a scheduled one, each with a decision."""
    invited = [w.agencies.csc.pk, w.agencies.hv.pk]
    meeting_schedule(
        acting_user=w.users.sw,
        case=w.case,
        kind=("core_group", "strategy_discussion")[i % 2],
        held_on=dt.date(2026, 3, 1) + dt.timedelta(days=i),
        invited=invited,
        attended=invited,
        decisions=[f"Decision {i}"],
        today=dt.date(2026, 6, 1),
    )


def grow_actions(w, i):
    action_create(
        acting_user=w.users.sw,
        case=w.case,
        description=f"Action {i}",
        owner_agency=(w.agencies.csc, w.agencies.hv)[i % 2].pk,
        owner=w.users.sw.pk if i % 2 == 0 else None,
        due_on=dt.date(2026, 3, 1) + dt.timedelta(days=30 * i),
    )


def grow_security(w, i):
    access_refused_record(actor=UserFactory(username=f"refused_{i}", agency=w.agencies.csc), what=f"/cases/{i}/")


@dataclass
class Area:
    name: str
    persona: str
    url: Callable[[World], str]
    grow: Callable[[World, int], None]
    pinned: int

    def __str__(self) -> str:
        return self.name


def _case(path: str) -> Callable[[World], str]:
    return lambda w: path.format(case=w.case.pk)


# Known N+1, left for a follow-up: an administrator's read of a restricted entry writes one
# `entry.restricted_read` audit row per entry (chronology selectors, audit_admin_restricted_read),
# each its own audit_record() (one insert of a pending row since the audit sealer took the chain
# lock off the request path). The fix is a batched audit_record for many rows (one bulk insert);
# strict xfail, so the test says when it is fixed. The pinned number predates the sealer (each
# audit row then cost 5 queries) and must be checked again then.
RESTRICTED_READS_AUDITED_ONE_BY_ONE = pytest.mark.xfail(
    strict=True, reason="N+1: one audit_record() per restricted entry an administrator reads"
)


API_LISTS = [
    Area("agencies", "admin", lambda w: "/api/v1/agencies/", grow_agencies, 2),
    Area("users", "admin", lambda w: "/api/v1/users/", grow_users, 2),
    Area("cases", "sw", lambda w: "/api/v1/cases/", grow_cases, 5),
    Area("case_agencies", "sw", _case("/api/v1/cases/{case}/agencies/"), grow_case_agencies, 5),
    Area("people", "sw", _case("/api/v1/cases/{case}/people/"), grow_people, 5),
    Area("relationships", "sw", _case("/api/v1/cases/{case}/relationships/"), grow_relationships, 5),
    Area("households", "sw", _case("/api/v1/cases/{case}/households/"), grow_households, 6),
    Area(
        "members",
        "sw",
        lambda w: f"/api/v1/cases/{w.case.pk}/households/{_household(w).pk}/members/",
        grow_members,
        6,  # the household is looked up once (the list no longer builds a create context)
    ),
    Area("ecomap_links", "sw", _case("/api/v1/cases/{case}/ecomap-links/"), grow_links, 5),
    Area("entries", "hv", _case("/api/v1/cases/{case}/entries/"), grow_entries, 6),
    Area("entries_restricted", "teacher", _case("/api/v1/cases/{case}/entries/"), grow_restricted_entries, 6),
    pytest.param(
        Area("entries_restricted_admin", "admin", _case("/api/v1/cases/{case}/entries/"), grow_restricted_entries, 14),
        marks=RESTRICTED_READS_AUDITED_ONE_BY_ONE,
    ),
    Area(
        "revisions",
        "hv",
        lambda w: f"/api/v1/cases/{w.case.pk}/entries/{_amended(w).pk}/revisions/",
        grow_revisions,
        10,
    ),
    Area("flags_and_reviews", "sw", _case("/api/v1/cases/{case}/flags/?at=2026-06-01"), grow_flags, 14),
    Area("flag_settings", "sw", _case("/api/v1/cases/{case}/flags/settings/"), grow_settings, 5),
    Area("genogram_json", "sw", _case("/api/v1/cases/{case}/genogram.json"), grow_relationships, 9),
    Area("genogram_json_households", "sw", _case("/api/v1/cases/{case}/genogram.json"), grow_households, 9),
    Area("packs", "sw", _case("/api/v1/cases/{case}/packs/"), grow_packs, 6),
    Area("audit", "manager", _case("/api/v1/cases/{case}/audit/"), grow_audit, 5),
    Area(
        "flags_as_recorded", "sw", _case("/api/v1/cases/{case}/flags/?at=2026-06-01&as_recorded=true"), grow_flags, 16
    ),
    Area("review", "manager", _case("/api/v1/cases/{case}/review/?from=2026-01-01&to=2026-06-30"), grow_flags, 17),
    Area("security_log", "manager", lambda w: "/api/v1/security-log/", grow_security, 4),
    Area("meetings", "hv", _case("/api/v1/cases/{case}/meetings/"), grow_meetings, 5),
    Area("actions", "hv", _case("/api/v1/cases/{case}/actions/"), grow_actions, 5),
]

PAGES = [
    Area("case_list", "sw", lambda w: "/cases/", grow_cases, 9),
    Area("case_detail", "sw", _case("/cases/{case}/"), grow_people, 33),  # + records entered in error, may mark
    Area("chronology", "hv", _case("/cases/{case}/chronology/"), grow_entries, 17),
    Area("chronology_restricted", "teacher", _case("/cases/{case}/chronology/"), grow_restricted_entries, 17),
    pytest.param(
        Area("chronology_restricted_admin", "admin", _case("/cases/{case}/chronology/"), grow_restricted_entries, 25),
        marks=RESTRICTED_READS_AUDITED_ONE_BY_ONE,
    ),
    Area("timeline", "hv", _case("/cases/{case}/chronology/timeline/"), grow_entries, 15),
    Area("entry_detail", "hv", lambda w: f"/cases/{w.case.pk}/chronology/{_amended(w).pk}/", grow_revisions, 16),
    # The family page counts the records entered in error (one query) and asks whether the case is closed.
    Area("family_relationships", "sw", _case("/cases/{case}/family/"), grow_relationships, 20),
    Area("family_households", "sw", _case("/cases/{case}/family/"), grow_households, 20),
    Area("family_ecomap", "sw", _case("/cases/{case}/family/"), grow_links, 20),
    Area("family_entered_in_error", "sw", _case("/cases/{case}/family/"), grow_entered_in_error, 20),
    Area(
        "entered_in_error_history",
        "hv",
        _case("/cases/{case}/family/entered-in-error/"),
        grow_entered_in_error,
        13,  # one query for each kind of record
    ),
    Area("flags", "sw", _case("/cases/{case}/flags/?at=2026-06-01"), grow_flags, 19),
    Area("rule_settings", "sw", _case("/cases/{case}/flags/rules/"), grow_settings, 10),
    Area("rule_setting_form", "sw", _case("/cases/{case}/flags/rules/no_access_visits/"), grow_one_rule, 9),
    Area("flag_review", "sw", _first_flag_review_url, grow_flags, 19),
    Area("export_csv", "hv", _case("/cases/{case}/chronology/export.csv"), grow_entries, 11),
    Area("export_json", "hv", _case("/cases/{case}/chronology/export.json"), grow_entries, 10),
    Area("export_xlsx", "hv", _case("/cases/{case}/chronology/export.xlsx"), grow_entries, 11),
    Area("packs", "sw", _case("/cases/{case}/packs/"), grow_packs, 12),
    Area("audit", "manager", _case("/cases/{case}/audit/"), grow_audit, 11),
    Area("review", "manager", _case("/cases/{case}/review/?date_from=2026-01-01&date_to=2026-06-30"), grow_flags, 22),
    Area("security_log", "manager", lambda w: "/security-log/", grow_security, 9),
    Area("meetings", "hv", _case("/cases/{case}/meetings/"), grow_meetings, 11),
    Area("actions", "hv", _case("/cases/{case}/actions/"), grow_actions, 11),
    Area(
        "person_edit",
        "sw",
        lambda w: f"/cases/{w.case.pk}/people/{w.people.child.pk}/edit/",
        grow_relationships,
        11,
    ),
]


@pytest.fixture
def world(users, agencies, case, people):
    return World(users=users, agencies=agencies, case=case, people=people, shared={})


def _grow(world: World, start: int, stop: int, area: Area) -> None:
    for i in range(start, stop):
        area.grow(world, i)


def _counted(client, url: str) -> CaptureQueriesContext:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return queries


def _costs_the_same(area: Area, world: World, client, django_assert_num_queries) -> None:
    _grow(world, 0, FEW, area)
    url = area.url(world)
    client.get(url)  # warm per-process caches (content types, templates)
    few = _counted(client, url)
    _grow(world, FEW, MANY, area)
    many = _counted(client, url)
    assert len(few) == len(many), (
        f"{area.name}: {len(few)} queries for {FEW} rows, {len(many)} for {MANY}:\n"
        + "\n".join(q["sql"][:200] for q in many.captured_queries)
    )
    with django_assert_num_queries(area.pinned):
        client.get(url)


@pytest.mark.parametrize("area", API_LISTS, ids=str)
def test_api_list_costs_the_same_queries_for_2_and_12_rows(area, world, api_as, django_assert_num_queries):
    _costs_the_same(area, world, api_as(getattr(world.users, area.persona)), django_assert_num_queries)


@pytest.mark.parametrize("area", PAGES, ids=str)
def test_page_costs_the_same_queries_for_2_and_12_rows(area, world, web_as, django_assert_num_queries):
    _costs_the_same(area, world, web_as(getattr(world.users, area.persona)), django_assert_num_queries)
