"""The entries API of DESIGN.md: create, read with ETag, amend, retract, revisions, filters, 409."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from chronology.models import ChronologyEntry, EntryRevision

pytestmark = pytest.mark.django_db


def url(case, suffix=""):
    return f"/api/v1/cases/{case.pk}/entries/{suffix}"


def body(people, **over):
    data = {
        "occurred_on": "2026-05-01",
        "kind": "home_visit",
        "summary": "Visit; Robin seen playing",
        "detail": "",
        "significance": "medium",
        "subjects": [people.child.pk],
        "present": [people.child.pk, people.mother.pk],
        "seen": [people.child.pk, people.mother.pk],
        "seen_alone": [],
        "source": "observed",
        "injury": None,
        "action": "",
        "outcome": "",
        "agency_ref": "hv-1",
        "restricted": False,
    }
    data.update(over)
    return data


def test_post_entry_without_agency_records_the_posters_agency(api_as, case, people, users, agencies, frozen_today):
    response = api_as(users.hv).post(url(case), body(people), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["agency"] == agencies.hv.pk
    assert data["revision"] == 1
    assert data["amended"] is False and data["retracted"] is False
    assert data["recorded_by"] == users.hv.pk
    assert data["subjects"] == [people.child.pk]
    assert data["injury"] is None
    for key in (
        "occurred_on",
        "occurred_time",
        "date_precision",
        "kind",
        "summary",
        "detail",
        "significance",
        "present",
        "seen",
        "seen_alone",
        "source",
        "action",
        "outcome",
        "agency_ref",
        "restricted",
        "id",
        "recorded_at",
    ):
        assert key in data
    entry = ChronologyEntry.objects.get(pk=data["id"])
    assert entry.revisions.count() == 1
    assert AuditEvent.objects.filter(action="entry.created", object_id=str(entry.pk), case=case).exists()


def test_post_injury_entry_with_injury_details(api_as, case, people, users, frozen_today):
    injury = {
        "body_site": "shin",
        "injury_type": "bruise",
        "explanation": "Fell off a scooter",
        "explanation_consistent": True,
    }
    response = api_as(users.hv).post(
        url(case),
        body(
            people,
            kind="injury",
            summary="Bruise on shin",
            significance="high",
            action="Discussed with the social worker",
            injury=injury,
            agency_ref="hv-2",
        ),
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["injury"] == injury


def test_injury_entry_without_injury_details_is_refused(api_as, case, people, users, frozen_today):
    response = api_as(users.hv).post(url(case), body(people, kind="injury", summary="Bruise"), format="json")
    assert response.status_code == 400
    assert "injury" in response.json()
    assert "where on the body" in " ".join(response.json()["injury"])


def test_unknown_kind_is_refused_with_a_clear_message(api_as, case, people, users, frozen_today):
    response = api_as(users.hv).post(url(case), body(people, kind="no_such_kind"), format="json")
    assert response.status_code == 400
    assert "not a known kind" in response.json()["kind"][0]
    assert not ChronologyEntry.objects.exists()


def test_person_not_in_the_case_is_refused(api_as, case, people, users, frozen_today):
    from tests.factories import PersonFactory

    stranger = PersonFactory()  # in another case
    response = api_as(users.hv).post(url(case), body(people, seen=[stranger.pk]), format="json")
    assert response.status_code == 400
    assert f"Person {stranger.pk} is not in this case" in response.json()["seen"][0]


def test_future_date_is_refused(api_as, case, people, users, frozen_today):
    response = api_as(users.hv).post(url(case), body(people, occurred_on="2026-06-02"), format="json")
    assert response.status_code == 400
    assert "today or in the past" in response.json()["occurred_on"][0]


def test_event_before_the_child_was_born_is_refused_except_pregnancy(api_as, case, people, users, frozen_today):
    client = api_as(users.hv)
    response = client.post(url(case), body(people, subjects=[people.baby.pk], occurred_on="2025-09-01"), format="json")
    assert response.status_code == 400
    assert "before they were born" in response.json()["occurred_on"][0]
    response = client.post(
        url(case),
        body(
            people, kind="pregnancy", summary="Booking appointment", subjects=[people.baby.pk], occurred_on="2025-09-01"
        ),
        format="json",
    )
    assert response.status_code == 201, response.json()


def test_agency_not_involved_is_refused(api_as, case, people, users, agencies, frozen_today):
    response = api_as(users.admin).post(url(case), body(people, agency=agencies.housing.pk), format="json")
    assert response.status_code == 400
    assert "not involved in this case" in response.json()["agency"][0]


def test_practitioner_cannot_record_for_another_agency(api_as, case, people, users, agencies, frozen_today):
    response = api_as(users.hv).post(url(case), body(people, agency=agencies.school.pk), format="json")
    assert response.status_code == 400
    assert "your own agency" in response.json()["agency"][0]


def test_high_significance_needs_action_or_reason(api_as, case, people, users, frozen_today):
    client = api_as(users.hv)
    response = client.post(url(case), body(people, significance="high"), format="json")
    assert response.status_code == 400
    assert "action taken" in response.json()["action"][0]
    response = client.post(
        url(case), body(people, significance="high", no_action_reason="Already known to CSC"), format="json"
    )
    assert response.status_code == 201


def test_get_entry_has_revision_and_etag(api_as, case, people, users, make_entry, frozen_today):
    entry = make_entry()
    response = api_as(users.teacher).get(url(case, f"{entry.pk}/"))
    assert response.status_code == 200
    assert response.json()["revision"] == 1
    assert response["ETag"] == f'"entry-{entry.pk}-rev-1"'


def test_amend_keeps_previous_revision(api_as, case, people, users, make_entry, frozen_today):
    entry = make_entry(summary="Visit")
    client = api_as(users.hv)
    response = client.post(
        url(case, f"{entry.pk}/amend/"),
        {"summary": "Visit; Robin seen playing in the garden", "reason": "More precise", "revision": 1},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["revision"] == 2
    assert response.json()["amended"] is True
    assert response.json()["summary"] == "Visit; Robin seen playing in the garden"
    revisions = client.get(url(case, f"{entry.pk}/revisions/")).json()["results"]
    assert [r["number"] for r in revisions] == [1, 2]
    assert revisions[0]["summary"] == "Visit"
    assert revisions[1]["reason"] == "More precise"
    assert revisions[1]["revised_by"] == users.hv.pk


def test_amend_with_if_match_header(api_as, case, people, users, make_entry, frozen_today):
    entry = make_entry()
    client = api_as(users.hv)
    etag = client.get(url(case, f"{entry.pk}/"))["ETag"]
    response = client.post(
        url(case, f"{entry.pk}/amend/"),
        {"significance": "low", "reason": "Reassessed"},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 200, response.json()
    assert response["ETag"] == f'"entry-{entry.pk}-rev-2"'


def test_stale_amend_answers_409_with_the_current_revision(api_as, case, people, users, make_entry, frozen_today):
    entry = make_entry()
    client = api_as(users.hv)
    first = client.post(url(case, f"{entry.pk}/amend/"), {"summary": "A", "reason": "r", "revision": 1}, format="json")
    assert first.status_code == 200
    stale = client.post(url(case, f"{entry.pk}/amend/"), {"summary": "B", "reason": "r", "revision": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["revision"] == 2
    assert stale.json()["entry"]["summary"] == "A"
    assert EntryRevision.objects.filter(entry=entry).count() == 2


def test_amend_without_revision_is_refused(api_as, case, people, users, make_entry, frozen_today):
    entry = make_entry()
    response = api_as(users.hv).post(url(case, f"{entry.pk}/amend/"), {"summary": "A", "reason": "r"}, format="json")
    assert response.status_code == 400
    assert "revision" in response.json()


def test_amend_without_reason_is_refused(api_as, case, people, users, make_entry, frozen_today):
    entry = make_entry()
    response = api_as(users.hv).post(url(case, f"{entry.pk}/amend/"), {"summary": "A", "revision": 1}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()


def test_another_agency_cannot_amend(api_as, case, people, users, make_entry, frozen_today):
    entry = make_entry()
    response = api_as(users.teacher).post(
        url(case, f"{entry.pk}/amend/"), {"summary": "A", "reason": "r", "revision": 1}, format="json"
    )
    assert response.status_code == 403
    assert ChronologyEntry.objects.get(pk=entry.pk).revision == 1


def test_retract_is_a_revision_and_keeps_the_entry(api_as, case, people, users, make_entry, frozen_today):
    entry = make_entry()
    client = api_as(users.hv)
    response = client.post(url(case, f"{entry.pk}/retract/"), {"reason": "Wrong family", "revision": 1}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["retracted"] is True
    assert response.json()["revision"] == 2
    revisions = client.get(url(case, f"{entry.pk}/revisions/")).json()["results"]
    assert [r["retracted"] for r in revisions] == [False, True]
    assert revisions[1]["reason"] == "Wrong family"
    listed = client.get(url(case)).json()["results"]
    assert [e["id"] for e in listed] == [entry.pk]
    assert listed[0]["retracted"] is True


def test_list_is_oldest_first_with_same_day_order(api_as, case, people, users, make_entry, frozen_today):
    import datetime as dt

    late = make_entry(occurred_on=dt.date(2026, 5, 2), summary="untimed first recorded")
    early = make_entry(occurred_on=dt.date(2026, 5, 1), summary="first of May")
    later_untimed = make_entry(occurred_on=dt.date(2026, 5, 2), summary="untimed second recorded")
    timed = make_entry(occurred_on=dt.date(2026, 5, 2), occurred_time=dt.time(9, 30), summary="timed")
    ids = [e["id"] for e in api_as(users.sw).get(url(case)).json()["results"]]
    assert ids == [early.pk, timed.pk, late.pk, later_untimed.pk]


def test_list_filters(api_as, case, people, users, agencies, make_entry, frozen_today):
    import datetime as dt

    a = make_entry(occurred_on=dt.date(2026, 1, 5), kind="appointment_missed", summary="WNB", subjects=[people.baby])
    b = make_entry(
        user=users.teacher,
        occurred_on=dt.date(2026, 3, 5),
        kind="school_absence",
        summary="Absent",
        subjects=[people.child],
        significance="low",
    )
    c = make_entry(occurred_on=dt.date(2026, 5, 5), kind="home_visit", summary="Visit", seen=[people.mother])
    client = api_as(users.sw)

    def ids(query):
        response = client.get(url(case) + query)
        assert response.status_code == 200, response.json()
        return [e["id"] for e in response.json()["results"]]

    assert ids("?from=2026-02-01") == [b.pk, c.pk]
    assert ids("?to=2026-02-01") == [a.pk]
    assert ids(f"?agency={agencies.school.pk}") == [b.pk]
    assert ids("?kind=appointment_missed,home_visit") == [a.pk, c.pk]
    assert ids(f"?person={people.mother.pk}") == [c.pk]
    assert ids("?significance=low") == [b.pk]
    assert client.get(url(case) + "?from=yesterday").status_code == 400
    assert client.get(url(case) + "?kind=nope").status_code == 400


def test_list_cursor_pagination(api_as, case, people, users, make_entry, frozen_today):
    import datetime as dt

    made = [make_entry(occurred_on=dt.date(2026, 1, 1) + dt.timedelta(days=i)) for i in range(5)]
    client = api_as(users.sw)
    first = client.get(url(case) + "?page_size=2").json()
    assert [e["id"] for e in first["results"]] == [made[0].pk, made[1].pk]
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert [e["id"] for e in second["results"]] == [made[2].pk, made[3].pk]
    third = client.get(second["next"]).json()
    assert [e["id"] for e in third["results"]] == [made[4].pk]
    assert third["next"] is None
    back = client.get(third["previous"]).json()
    assert [e["id"] for e in back["results"]] == [made[2].pk, made[3].pk]
    assert client.get(url(case) + "?cursor=garbage").status_code == 400


def test_outsider_gets_404_for_every_entry_endpoint(api_as, case, people, users, make_entry, frozen_today):
    entry = make_entry()
    client = api_as(users.outsider)
    assert client.get(url(case)).status_code == 404
    assert client.post(url(case), body(people), format="json").status_code == 404
    assert client.get(url(case, f"{entry.pk}/")).status_code == 404
    assert client.get(url(case, f"{entry.pk}/revisions/")).status_code == 404
    assert (
        client.post(
            url(case, f"{entry.pk}/amend/"), {"summary": "x", "reason": "r", "revision": 1}, format="json"
        ).status_code
        == 404
    )
    assert (
        client.post(url(case, f"{entry.pk}/retract/"), {"reason": "r", "revision": 1}, format="json").status_code == 404
    )
    assert client.post(url(case, "import/"), {}).status_code == 404
    assert ChronologyEntry.objects.get(pk=entry.pk).revision == 1


def test_reads_are_audited(api_as, case, people, users, make_entry, frozen_today):
    entry = make_entry()
    api_as(users.sw).get(url(case, f"{entry.pk}/"))
    assert AuditEvent.objects.filter(action="entry.viewed", case=case, actor=users.sw).exists()
    api_as(users.sw).get(url(case))
    assert AuditEvent.objects.filter(action="chronology.read", case=case, actor=users.sw).exists()
