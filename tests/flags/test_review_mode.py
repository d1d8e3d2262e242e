"""Review mode on a constructed case: every date of the analysis is asserted exactly.

The story (2026): a baby, Kit, born 5 January. Health visiting records three missed appointments on
the days they happen (2, 16 February and 2 March): "was not brought" is knowable on 2 March. The
hospital sees an injury to Kit on 5 March and records it three weeks late, on 26 March. A manager
reads the flags on 20 March (before the injury was recorded) and on 27 March; nobody reviews the
injury flag until 27 April (a month), and a strategy discussion follows on 28 April.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from freezegun import freeze_time

from accounts.models import Role
from agencies.models import AgencyKind
from cases.models import CaseAgency
from chronology.models import ChronologyEntry
from chronology.services import entry_amend, entry_create, entry_retract
from reporting.flags.loader import ENTRY_COLUMNS, load_snapshot
from reporting.flags.recorded_loader import load_recorded_history, load_recorded_snapshot, unmapped_entry_columns
from reporting.flags.review import review_analysis
from reporting.flags.services import flag_review_record
from tests.factories import AgencyFactory, CaseFactory, PersonFactory, UserFactory

D = dt.date


def at(day: dt.date, hour: int = 10) -> str:
    return f"{day.isoformat()} {hour:02d}:00:00"


@pytest.fixture
def story(db):
    """The constructed case, each record written on the day it was really recorded."""
    with freeze_time(at(D(2026, 1, 10))):
        csc = AgencyFactory(name="Northshire Children's Social Care", kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
        hv = AgencyFactory(name="Northshire Health Visiting", kind=AgencyKind.HEALTH_VISITING)
        hospital = AgencyFactory(name="Northshire General Hospital", kind=AgencyKind.HOSPITAL)
        outsider_agency = AgencyFactory(name="Northshire Housing", kind=AgencyKind.HOUSING)
        sw = UserFactory(username="sw_lead", agency=csc, role=Role.SOCIAL_WORKER)
        manager = UserFactory(username="csc_manager", agency=csc, role=Role.MANAGER)
        nurse = UserFactory(username="hv_nurse", agency=hv, role=Role.PRACTITIONER)
        doctor = UserFactory(username="ed_doctor", agency=hospital, role=Role.PRACTITIONER)
        outsider = UserFactory(username="housing_outsider", agency=outsider_agency, role=Role.PRACTITIONER)
        case = CaseFactory(
            reference="NS-REVIEW",
            title="Reviewfamily",
            lead_agency=csc,
            lead_professional=sw,
            opened_on=D(2026, 1, 10),
            involve=[hv, hospital],
        )
        CaseAgency.objects.get_or_create(case=case, agency=hospital)
        kit = PersonFactory(
            case=case, given_name="Kit", family_name="Reviewfamily", date_of_birth=D(2026, 1, 5), is_subject=True
        )
        PersonFactory(case=case, given_name="Alex", family_name="Reviewfamily", date_of_birth=D(1995, 5, 5))
    missed = []
    for day in (D(2026, 2, 2), D(2026, 2, 16), D(2026, 3, 2)):
        with freeze_time(at(day)):
            missed.append(
                entry_create(
                    acting_user=nurse,
                    case=case,
                    occurred_on=day,
                    kind="appointment_missed",
                    summary="Kit was not brought to the baby clinic appointment",
                    subjects=[kit.pk],
                )
            )
    with freeze_time(at(D(2026, 3, 26))):  # three weeks after the injury
        injury = entry_create(
            acting_user=doctor,
            case=case,
            occurred_on=D(2026, 3, 5),
            kind="injury",
            summary="Bruise to the left cheek of Kit",
            injury_body_site="left cheek",
            injury_type="bruise",
            subjects=[kit.pk],
        )
    return dict(
        case=case, kit=kit, manager=manager, sw=sw, nurse=nurse, outsider=outsider, missed=missed, injury=injury
    )


def read_flags(client, user, case, day: dt.date) -> None:
    with freeze_time(at(day, 11)):
        client.force_login(user)
        assert client.get(reverse("case-flags", args=[case.pk])).status_code == 200


@pytest.fixture
def reviewed_story(story, client):
    case, manager, sw = story["case"], story["manager"], story["sw"]
    read_flags(client, manager, case, D(2026, 3, 20))
    read_flags(client, manager, case, D(2026, 3, 27))
    with freeze_time(at(D(2026, 4, 27))):
        flag_review_record(
            acting_user=manager,
            case=case,
            rule="nonmobile_injury",
            key=f"person:{story['kit'].pk}",
            decision="escalated",
            rationale="An unexplained bruise on a baby: a strategy discussion is needed.",
            at=D(2026, 4, 27),
        )
    with freeze_time(at(D(2026, 4, 28), 16)):
        entry_create(
            acting_user=sw,
            case=case,
            occurred_on=D(2026, 4, 28),
            kind="strategy_discussion",
            summary="Strategy discussion about the bruise",
            subjects=[story["kit"].pk],
        )
    return story


def by_rule(analysis, rule):
    found = [s for s in analysis.flags if s.rule == rule]
    assert len(found) == 1, [s.rule for s in analysis.flags]
    return found[0]


@pytest.mark.django_db
def test_review_analysis_dates_are_exact_on_the_constructed_case(reviewed_story):
    case = reviewed_story["case"]
    analysis = review_analysis(case, D(2026, 1, 10), D(2026, 6, 30))
    assert analysis.complete

    injury = by_rule(analysis, "nonmobile_injury")
    assert injury.key == f"person:{reviewed_story['kit'].pk}"
    assert injury.people == (reviewed_story["kit"].pk,)
    assert injury.first_occurred_on == D(2026, 3, 5)
    assert injury.first_knowable_on == D(2026, 3, 26)
    assert injury.late_recording_days == 21
    assert [(a.agency, a.first_recorded_on) for a in injury.agencies] == [
        ("Northshire General Hospital", D(2026, 3, 26))
    ]
    assert injury.first_seen_on == D(2026, 3, 27)  # the read on 20 March came before it was knowable
    assert injury.first_review is not None
    assert (injury.first_review.on, injury.first_review.decision) == (D(2026, 4, 27), "escalated")
    assert [(f.kind, f.on) for f in injury.followed_by] == [("strategy_discussion", D(2026, 4, 28))]
    assert injury.days_to_first_action == 33

    missed = by_rule(analysis, "was_not_brought")
    assert missed.first_occurred_on == D(2026, 3, 2)
    assert missed.first_knowable_on == D(2026, 3, 2)  # recorded on time: no gap
    assert missed.late_recording_days == 0
    assert [(a.agency, a.first_recorded_on) for a in missed.agencies] == [("Northshire Health Visiting", D(2026, 2, 2))]
    assert missed.first_seen_on == D(2026, 3, 20)
    assert missed.first_review is None
    assert [(f.kind, f.on) for f in missed.followed_by] == [("strategy_discussion", D(2026, 4, 28))]
    assert missed.days_to_first_action == 57


@pytest.mark.django_db
def test_review_analysis_with_a_coarse_grid_still_finds_the_exact_days(reviewed_story):
    analysis = review_analysis(reviewed_story["case"], D(2026, 1, 10), D(2026, 6, 30), grid_points=2)
    injury = by_rule(analysis, "nonmobile_injury")
    assert (injury.first_occurred_on, injury.first_knowable_on, injury.first_seen_on) == (
        D(2026, 3, 5),
        D(2026, 3, 26),
        D(2026, 3, 27),
    )
    assert by_rule(analysis, "was_not_brought").first_knowable_on == D(2026, 3, 2)
    assert analysis.evaluations < 60


@pytest.mark.django_db
def test_review_analysis_over_its_cap_says_it_is_not_complete(reviewed_story):
    analysis = review_analysis(reviewed_story["case"], D(2026, 1, 10), D(2026, 6, 30), grid_points=2, max_evaluations=3)
    assert not analysis.complete


@pytest.mark.django_db
def test_recorded_snapshot_leaves_out_the_injury_until_the_day_it_was_recorded(story):
    case, injury = story["case"], story["injury"]
    before = load_recorded_snapshot(case, D(2026, 3, 25))
    on_the_day = load_recorded_snapshot(case, D(2026, 3, 26))
    assert injury.pk not in {e.id for e in before.entries}
    assert injury.pk in {e.id for e in on_the_day.entries}
    # As of the events (today's records), the injury is there from the day it happened.
    assert injury.pk in {e.id for e in load_snapshot(case, D(2026, 3, 5)).entries}


@pytest.mark.django_db
def test_recorded_snapshot_uses_the_revision_current_then_and_ignores_later_retraction(story):
    case, first = story["case"], story["missed"][0]
    with freeze_time(at(D(2026, 4, 2))):
        entry_amend(
            acting_user=story["nurse"],
            entry=first,
            reason="The clinic was on the Tuesday",
            expected_revision=1,
            summary="Kit was not brought to the Tuesday clinic",
        )
    with freeze_time(at(D(2026, 5, 4))):
        entry_retract(
            acting_user=story["nurse"],
            entry=ChronologyEntry.objects.get(pk=first.pk),
            reason="Recorded against the wrong child",
            expected_revision=2,
        )
    march = {e.id: e for e in load_recorded_snapshot(case, D(2026, 3, 31)).entries}[first.pk]
    april = {e.id: e for e in load_recorded_snapshot(case, D(2026, 4, 30)).entries}[first.pk]
    may = {e.id: e for e in load_recorded_snapshot(case, D(2026, 5, 31)).entries}[first.pk]
    assert (march.revision, march.summary, march.amended, march.retracted) == (
        1,
        "Kit was not brought to the baby clinic appointment",
        False,
        False,
    )
    assert (april.revision, april.summary, april.amended, april.retracted) == (
        2,
        "Kit was not brought to the Tuesday clinic",
        True,
        False,
    )
    assert (may.revision, may.retracted) == (3, True)


@pytest.mark.django_db
def test_recorded_snapshot_today_is_the_loaders_snapshot_column_for_column(story):
    case = story["case"]
    today = D(2026, 12, 1)
    assert unmapped_entry_columns() == []
    recorded = load_recorded_snapshot(case, today)
    current = load_snapshot(case, today)
    assert len(ENTRY_COLUMNS) > 10
    assert recorded.entries == current.entries
    assert recorded.people == current.people
    assert recorded.relationships == current.relationships
    assert recorded.memberships == current.memberships


@pytest.mark.django_db
def test_recorded_history_loads_in_fixed_queries(story, django_assert_num_queries):
    with django_assert_num_queries(10):
        load_recorded_history(story["case"])
    with freeze_time(at(D(2026, 4, 5))):
        for day in (D(2026, 4, 1), D(2026, 4, 2), D(2026, 4, 3)):
            entry_create(
                acting_user=story["nurse"],
                case=story["case"],
                occurred_on=day - dt.timedelta(days=1),
                kind="home_visit",
                summary="Home visit",
                subjects=[story["kit"].pk],
            )
    with django_assert_num_queries(10):
        load_recorded_history(story["case"])


# --- the API ----------------------------------------------------------------------------------


def flags_api(api_as, user, case, query):
    return api_as(user).get(f"/api/v1/cases/{case.pk}/flags/{query}")


@pytest.mark.django_db
def test_flags_as_recorded_api_shows_the_injury_flag_only_from_the_day_it_was_recorded(story, api_as):
    case, manager = story["case"], story["manager"]
    before = flags_api(api_as, manager, case, "?at=2026-03-25&as_recorded=true")
    after = flags_api(api_as, manager, case, "?at=2026-03-26&as_recorded=true")
    as_of_events = flags_api(api_as, manager, case, "?at=2026-03-25")
    assert before.status_code == after.status_code == as_of_events.status_code == 200
    assert "nonmobile_injury" not in {f["rule"] for f in before.json()["results"]}
    assert "nonmobile_injury" in {f["rule"] for f in after.json()["results"]}
    assert "nonmobile_injury" in {f["rule"] for f in as_of_events.json()["results"]}
    assert before.json()["at"] == "2026-03-25"


@pytest.mark.django_db
def test_flags_as_recorded_api_needs_a_date_and_a_yes_or_no(story, api_as):
    case, manager = story["case"], story["manager"]
    no_date = flags_api(api_as, manager, case, "?as_recorded=true")
    bad_word = flags_api(api_as, manager, case, "?at=2026-03-25&as_recorded=perhaps")
    assert no_date.status_code == 400 and "at" in no_date.json()
    assert bad_word.status_code == 400 and "as_recorded" in bad_word.json()
    assert flags_api(api_as, manager, case, "?at=2026-03-25&as_recorded=false").status_code == 200


@pytest.mark.django_db
def test_review_api_answers_the_contract_fields(reviewed_story, api_as):
    case = reviewed_story["case"]
    response = api_as(reviewed_story["manager"]).get(f"/api/v1/cases/{case.pk}/review/?from=2026-01-10&to=2026-06-30")
    assert response.status_code == 200
    body = response.json()
    assert (body["from"], body["to"], body["complete"]) == ("2026-01-10", "2026-06-30", True)
    injury = next(r for r in body["results"] if r["rule"] == "nonmobile_injury")
    assert injury == {
        "rule": "nonmobile_injury",
        "key": f"person:{reviewed_story['kit'].pk}",
        "people": [reviewed_story["kit"].pk],
        "first_occurred_on": "2026-03-05",
        "first_knowable_on": "2026-03-26",
        "agencies": [{"agency": "Northshire General Hospital", "first_recorded_on": "2026-03-26"}],
        "first_seen_on": "2026-03-27",
        "first_review": {"date": "2026-04-27", "decision": "escalated"},
        "followed_by": [
            {
                "kind": "strategy_discussion",
                "date": "2026-04-28",
                "what": "Strategy discussion (Northshire Children's Social Care)",
            }
        ],
        "days_to_first_action": 33,
    }


@pytest.mark.django_db
def test_review_api_is_refused_to_a_social_worker_and_hidden_from_an_outsider(story, api_as):
    case = story["case"]
    url = f"/api/v1/cases/{case.pk}/review/"
    assert api_as(story["sw"]).get(url).status_code == 403
    assert api_as(story["outsider"]).get(url).status_code == 404


@pytest.mark.django_db
def test_review_api_refuses_bad_periods_with_field_errors(story, api_as):
    client = api_as(story["manager"])
    url = f"/api/v1/cases/{story['case'].pk}/review/"
    bad = client.get(f"{url}?from=2026-13-01")
    backwards = client.get(f"{url}?from=2026-06-01&to=2026-05-01")
    assert bad.status_code == 400 and "from" in bad.json()
    assert backwards.status_code == 400 and "to" in backwards.json()


@pytest.mark.django_db
def test_review_api_read_is_audited(story, api_as):
    from audit.models import AuditEvent

    case = story["case"]
    api_as(story["manager"]).get(f"/api/v1/cases/{case.pk}/review/?from=2026-01-10&to=2026-06-30")
    assert AuditEvent.objects.filter(case=case, action="review.viewed", actor=story["manager"]).count() == 1


# --- the page ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_review_page_shows_the_analysis_and_timeline_to_a_manager(reviewed_story, client):
    case = reviewed_story["case"]
    client.force_login(reviewed_story["manager"])
    page = client.get(
        reverse("case-review", args=[case.pk]),
        {
            "date_from-day": "10",
            "date_from-month": "1",
            "date_from-year": "2026",
            "date_to-day": "30",
            "date_to-month": "6",
            "date_to-year": "2026",
        },
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="review-analysis"' in text
    assert "26 Mar 2026" in text and "21 days late" in text
    assert "21 days after it occurred" in text and "33 days after it was recorded" in text
    assert reverse("case-review", args=[case.pk]) in text  # the tab


@pytest.mark.django_db
def test_review_tab_is_only_offered_to_those_allowed(story, client):
    case = story["case"]
    client.force_login(story["sw"])
    flags_page = client.get(reverse("case-flags", args=[case.pk])).content.decode()
    assert reverse("case-review", args=[case.pk]) not in flags_page
    assert client.get(reverse("case-review", args=[case.pk])).status_code == 403
    client.force_login(story["outsider"])
    assert client.get(reverse("case-review", args=[case.pk])).status_code == 404


@pytest.mark.django_db
def test_review_page_refuses_a_backwards_period_with_an_error_summary(story, client):
    case = story["case"]
    client.force_login(story["manager"])
    page = client.get(
        reverse("case-review", args=[case.pk]),
        {"date_from": "2026-06-01", "date_to": "2026-05-01"},
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "govuk-error-summary" in text
    assert "The end of the period must be the same as or after its start." in text
