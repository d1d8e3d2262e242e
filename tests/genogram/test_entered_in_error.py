"""Corrections without deletion: a person, relationship, household membership or ecomap link
entered in error is marked (never deleted) by the lead professional, a manager of an involved
agency or an administrator; it leaves lists, the count says how many, the history keeps them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from cases import permissions
from cases.models import CaseStatus, Person
from cases.services import person_mark_entered_in_error
from genogram import selectors, services
from genogram.models import EcomapLink, HouseholdMember, Relationship

pytestmark = pytest.mark.django_db

REASON = "Recorded on the wrong case by mistake."


@pytest.fixture
def records(case, family, users):
    """A parent relationship, two household memberships and an ecomap link, all standing."""
    home = services.household_create(acting_user=users.sw, case=case, label="Testfamily home")
    return {
        "relationship": services.relationship_create(
            acting_user=users.sw, case=case, kind="biological_parent", from_person=family.mother, to_person=family.child
        ),
        "partner_relationship": services.relationship_create(
            acting_user=users.sw, case=case, kind="cohabiting", from_person=family.partner, to_person=family.mother
        ),
        "home": home,
        "member": services.household_member_add(
            acting_user=users.sw, household=home, person=family.child, from_date=dt.date(2021, 4, 4)
        ),
        "partner_member": services.household_member_add(
            acting_user=users.sw, household=home, person=family.partner, from_date=dt.date(2026, 3, 1)
        ),
        "link": services.ecomap_link_create(
            acting_user=users.sw,
            case=case,
            person=family.child,
            resource_name="Riverside Primary",
            resource_kind="school",
            strength="strong",
        ),
        "partner_link": services.ecomap_link_create(
            acting_user=users.sw,
            case=case,
            person=family.partner,
            resource_name="Northshire Gym",
            resource_kind="club",
            strength="tenuous",
        ),
    }


def api_base(case):
    return f"/api/v1/cases/{case.pk}/"


# --- Who may ---------------------------------------------------------------------------------------


def test_the_lead_a_manager_of_an_involved_agency_and_an_administrator_may_mark(case, users):
    assert permissions.can_mark_entered_in_error(users.sw, case)
    assert permissions.can_mark_entered_in_error(users.manager, case)
    assert permissions.can_mark_entered_in_error(users.admin, case)


def test_practitioners_chairs_and_a_social_worker_who_does_not_lead_may_not_mark(case, users, agencies):
    from accounts.models import Role
    from tests.factories import UserFactory

    other_sw = UserFactory(username="sw_not_lead", agency=agencies.csc, role=Role.SOCIAL_WORKER)
    for user in (users.hv, users.teacher, users.chair, other_sw, users.outsider):
        assert not permissions.can_mark_entered_in_error(user, case), user.username


def test_a_manager_of_an_agency_not_involved_may_not_mark(case, agencies):
    from accounts.models import Role
    from tests.factories import UserFactory

    housing_manager = UserFactory(username="housing_manager", agency=agencies.housing, role=Role.MANAGER)
    assert not permissions.can_mark_entered_in_error(housing_manager, case)


def test_nobody_marks_on_a_closed_case(case, users):
    case.status = CaseStatus.CLOSED
    case.closed_on = dt.date(2026, 6, 1)
    case.save()
    for user in (users.sw, users.manager, users.admin):
        assert not permissions.can_mark_entered_in_error(user, case)


# --- The services ----------------------------------------------------------------------------------


def test_marking_a_relationship_keeps_it_with_who_when_and_why_and_audits_it(case, family, users, records):
    rel = services.relationship_mark_entered_in_error(
        acting_user=users.sw, relationship=records["relationship"], reason=f"  {REASON}  "
    )
    rel.refresh_from_db()
    assert rel.entered_in_error_by == users.sw
    assert rel.entered_in_error_reason == REASON
    assert rel.entered_in_error_at is not None
    assert Relationship.objects.filter(pk=rel.pk).exists()
    assert rel not in selectors.case_relationships(case)
    event = AuditEvent.objects.get(action="relationship.entered_in_error")
    assert event.actor == users.sw
    assert event.detail["reason"] == REASON


def test_marking_twice_is_refused_with_a_clear_message(case, users, records):
    services.ecomap_link_mark_entered_in_error(acting_user=users.manager, link=records["link"], reason=REASON)
    with pytest.raises(ValidationError) as refused:
        services.ecomap_link_mark_entered_in_error(acting_user=users.manager, link=records["link"], reason="Again")
    assert refused.value.messages == ["This ecomap link has already been marked as entered in error."]
    assert EcomapLink.objects.get(pk=records["link"].pk).entered_in_error_reason == REASON


@pytest.mark.parametrize("reason", ["", "   ", "x" * 2001])
def test_a_missing_or_too_long_reason_is_refused_and_nothing_is_written(case, users, records, reason):
    with pytest.raises(ValidationError) as refused:
        services.household_membership_mark_entered_in_error(
            acting_user=users.sw, member=records["member"], reason=reason
        )
    assert "reason" in refused.value.message_dict
    assert not HouseholdMember.objects.entered_in_error().exists()
    assert not AuditEvent.objects.filter(action="household.member_entered_in_error").exists()


def test_a_health_visitor_is_refused(case, users, records):
    with pytest.raises(PermissionDenied):
        services.relationship_mark_entered_in_error(
            acting_user=users.hv, relationship=records["relationship"], reason=REASON
        )
    assert not Relationship.objects.entered_in_error().exists()


def test_a_closed_case_is_refused_with_its_message(case, users, records):
    case.status = CaseStatus.CLOSED
    case.closed_on = dt.date(2026, 6, 1)
    case.save()
    with pytest.raises(ValidationError) as refused:
        services.relationship_mark_entered_in_error(
            acting_user=users.sw, relationship=records["relationship"], reason=REASON
        )
    assert "This case is closed" in refused.value.messages[0]
    assert not Relationship.objects.entered_in_error().exists()


def test_marking_a_person_marks_their_relationships_memberships_and_links_in_one_go(case, family, users, records):
    person_mark_entered_in_error(acting_user=users.manager, person=family.partner, reason=REASON)
    partner = Person.objects.get(pk=family.partner.pk)
    assert partner.is_entered_in_error and partner.entered_in_error_reason == REASON
    for key in ("partner_relationship", "partner_member", "partner_link"):
        row = type(records[key]).objects.get(pk=records[key].pk)
        assert row.entered_in_error_reason == services.PERSON_ENTERED_IN_ERROR, key
        assert row.entered_in_error_by == users.manager
    for key in ("relationship", "member", "link"):
        assert not type(records[key]).objects.get(pk=records[key].pk).is_entered_in_error, key
    actions = set(AuditEvent.objects.filter(actor=users.manager).values_list("action", flat=True))
    assert {
        "person.entered_in_error",
        "relationship.entered_in_error",
        "household.member_entered_in_error",
        "ecomap.link_entered_in_error",
    } <= actions
    assert selectors.entered_in_error_counts(case) == {
        "people": 1,
        "relationships": 1,
        "memberships": 1,
        "ecomap_links": 1,
        "total": 4,
    }


def test_a_person_entered_in_error_cannot_be_given_a_new_relationship(case, family, users, records):
    person_mark_entered_in_error(acting_user=users.sw, person=family.partner, reason=REASON)
    with pytest.raises(ValidationError) as refused:
        services.relationship_create(
            acting_user=users.sw, case=case, kind="close", from_person=family.partner, to_person=family.child
        )
    assert "entered in error" in refused.value.message_dict["from_person"][0]


def test_a_membership_entered_in_error_no_longer_blocks_the_right_one(case, family, users, records):
    services.household_membership_mark_entered_in_error(
        acting_user=users.sw, member=records["member"], reason="Wrong date of moving in"
    )
    again = services.household_member_add(
        acting_user=users.sw, household=records["home"], person=family.child, from_date=dt.date(2021, 5, 1)
    )
    assert list(selectors.case_memberships(case).filter(person=family.child)) == [again]


# --- The API ---------------------------------------------------------------------------------------


def test_api_lead_marks_a_relationship(case, users, api_as, records):
    rel = records["relationship"]
    r = api_as(users.sw).post(
        api_base(case) + f"relationships/{rel.pk}/entered-in-error/", {"reason": REASON}, format="json"
    )
    assert r.status_code == 200, r.content
    assert r.json()["entered_in_error"]["reason"] == REASON
    assert r.json()["entered_in_error"]["by"] == users.sw.pk
    listing = api_as(users.hv).get(api_base(case) + "relationships/").json()
    assert rel.pk not in [row["id"] for row in listing["results"]]


def test_api_manager_marks_a_person_and_get_still_answers_with_the_marking(case, family, users, api_as, records):
    api = api_as(users.manager)
    r = api.post(api_base(case) + f"people/{family.partner.pk}/entered-in-error/", {"reason": REASON}, format="json")
    assert r.status_code == 200, r.content
    detail = api.get(api_base(case) + f"people/{family.partner.pk}/").json()
    assert detail["entered_in_error"]["reason"] == REASON
    people = api.get(api_base(case) + "people/").json()["results"]
    assert family.partner.pk not in [p["id"] for p in people]
    assert all(p["entered_in_error"] is None for p in people)
    households = api.get(api_base(case) + "households/").json()["results"]
    assert family.partner.pk not in [m["person"] for h in households for m in h["members"]]
    links = api.get(api_base(case) + "ecomap-links/").json()["results"]
    assert records["partner_link"].pk not in [link["id"] for link in links]


def test_api_admin_marks_a_household_membership_and_an_ecomap_link(case, users, api_as, records):
    api = api_as(users.admin)
    member = records["member"]
    r = api.post(
        api_base(case) + f"households/{member.household_id}/members/{member.pk}/entered-in-error/",
        {"reason": REASON},
        format="json",
    )
    assert r.status_code == 200, r.content
    r = api.post(
        api_base(case) + f"ecomap-links/{records['link'].pk}/entered-in-error/", {"reason": REASON}, format="json"
    )
    assert r.status_code == 200, r.content
    assert HouseholdMember.objects.get(pk=member.pk).is_entered_in_error
    assert EcomapLink.objects.get(pk=records["link"].pk).is_entered_in_error
    home = api.get(api_base(case) + f"households/{member.household_id}/").json()
    assert member.pk not in [m["id"] for m in home["members"]]
    assert records["partner_member"].pk in [m["id"] for m in home["members"]]
    members = api.get(api_base(case) + f"households/{member.household_id}/members/").json()["results"]
    assert member.pk not in [m["id"] for m in members]


def test_api_health_visitor_is_refused_with_403_and_nothing_written(case, users, api_as, records):
    rel = records["relationship"]
    r = api_as(users.hv).post(
        api_base(case) + f"relationships/{rel.pk}/entered-in-error/", {"reason": REASON}, format="json"
    )
    assert r.status_code == 403
    assert not Relationship.objects.entered_in_error().exists()


def test_api_outsider_gets_404(case, family, users, api_as, records):
    api = api_as(users.outsider)
    for path in (
        f"people/{family.partner.pk}/entered-in-error/",
        f"relationships/{records['relationship'].pk}/entered-in-error/",
        f"households/{records['home'].pk}/members/{records['member'].pk}/entered-in-error/",
        f"ecomap-links/{records['link'].pk}/entered-in-error/",
    ):
        assert api.post(api_base(case) + path, {"reason": REASON}, format="json").status_code == 404, path
    assert not Person.objects.entered_in_error().exists()


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "y" * 2001}, {"reason": None}])
def test_api_bad_reason_is_400_with_field_errors_and_nothing_written(case, family, users, api_as, records, body):
    r = api_as(users.sw).post(api_base(case) + f"people/{family.partner.pk}/entered-in-error/", body, format="json")
    assert r.status_code == 400
    assert "reason" in r.json()
    assert not Person.objects.entered_in_error().exists()
    assert not Relationship.objects.entered_in_error().exists()


def test_api_marking_twice_is_400_saying_so(case, users, api_as, records):
    api = api_as(users.sw)
    path = api_base(case) + f"ecomap-links/{records['link'].pk}/entered-in-error/"
    assert api.post(path, {"reason": REASON}, format="json").status_code == 200
    again = api.post(path, {"reason": REASON}, format="json")
    assert again.status_code == 400
    assert "already been marked as entered in error" in again.content.decode()


def test_api_closed_case_is_400_saying_so(case, users, api_as, records):
    case.status = CaseStatus.CLOSED
    case.closed_on = dt.date(2026, 6, 1)
    case.save()
    r = api_as(users.sw).post(
        api_base(case) + f"relationships/{records['relationship'].pk}/entered-in-error/",
        {"reason": REASON},
        format="json",
    )
    assert r.status_code == 400
    assert "This case is closed" in r.content.decode()
    assert not Relationship.objects.entered_in_error().exists()


# --- The pages -------------------------------------------------------------------------------------


def test_family_page_offers_the_mark_link_to_the_lead_and_not_to_a_health_visitor(case, users, web_as, records):
    link = f"/cases/{case.pk}/family/relationships/{records['relationship'].pk}/entered-in-error/"
    assert link in web_as(users.sw).get(f"/cases/{case.pk}/family/").content.decode()
    assert link not in web_as(users.hv).get(f"/cases/{case.pk}/family/").content.decode()


def test_case_overview_offers_the_person_link_to_a_manager(case, family, users, web_as, records):
    body = web_as(users.manager).get(f"/cases/{case.pk}/").content.decode()
    assert f"/cases/{case.pk}/people/{family.partner.pk}/entered-in-error/" in body


def test_confirm_page_marks_a_relationship_and_the_family_page_counts_it(case, family, users, web_as, records):
    client = web_as(users.sw)
    path = f"/cases/{case.pk}/family/relationships/{records['partner_relationship'].pk}/entered-in-error/"
    page = client.get(path)
    assert page.status_code == 200
    assert "Mark as entered in error: Casey Testfamily: Cohabiting of Alex Testfamily" in page.content.decode()
    response = client.post(path, {"reason": REASON})
    assert response.status_code == 302
    assert Relationship.objects.get(pk=records["partner_relationship"].pk).entered_in_error_reason == REASON
    body = client.get(f"/cases/{case.pk}/family/").content.decode()
    assert "1 record entered in error is not shown." in body
    assert "1 relationship entered in error is not shown." in body
    assert f'href="/cases/{case.pk}/family/entered-in-error/"' in body
    assert "Cohabiting" not in body.split('<h2 class="govuk-heading-m">Relationships</h2>')[1].split("Households")[0]


def test_confirm_page_without_a_reason_shows_the_error_summary_and_writes_nothing(case, users, web_as, records):
    path = f"/cases/{case.pk}/family/ecomap/{records['link'].pk}/entered-in-error/"
    response = web_as(users.manager).post(path, {"reason": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert "Enter why this record was entered in error" in body
    assert not EcomapLink.objects.entered_in_error().exists()


def test_confirm_page_on_a_closed_case_shows_the_closed_message(case, users, web_as, records):
    case.status = CaseStatus.CLOSED
    case.closed_on = dt.date(2026, 6, 1)
    case.save()
    path = f"/cases/{case.pk}/family/members/{records['member'].pk}/entered-in-error/"
    body = web_as(users.sw).post(path, {"reason": REASON}).content.decode()
    assert "govuk-error-summary" in body
    assert "This case is closed" in body
    assert not HouseholdMember.objects.entered_in_error().exists()


def test_confirm_page_is_403_to_a_health_visitor_and_404_to_an_outsider(case, family, users, web_as, records):
    path = f"/cases/{case.pk}/people/{family.partner.pk}/entered-in-error/"
    assert web_as(users.hv).get(path).status_code == 403
    assert web_as(users.hv).post(path, {"reason": REASON}).status_code == 403
    assert web_as(users.outsider).get(path).status_code == 404
    assert not Person.objects.entered_in_error().exists()


def test_person_page_marks_them_and_the_overview_counts_them(case, family, users, web_as, records):
    client = web_as(users.sw)
    response = client.post(f"/cases/{case.pk}/people/{family.partner.pk}/entered-in-error/", {"reason": REASON})
    assert response.status_code == 302
    assert "Casey Testfamily is marked as entered in error" in client.get(response.url).content.decode()
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Casey Testfamily" not in body
    assert "1 person entered in error is not shown." in body
    family_page = client.get(f"/cases/{case.pk}/family/").content.decode()
    assert "4 records entered in error are not shown." in family_page


def test_history_page_lists_each_record_with_who_when_and_why_for_anyone_who_sees_the_case(
    case, family, users, web_as, records
):
    person_mark_entered_in_error(acting_user=users.manager, person=family.partner, reason=REASON)
    services.relationship_mark_entered_in_error(
        acting_user=users.sw, relationship=records["relationship"], reason="Not the birth mother"
    )
    response = web_as(users.teacher).get(f"/cases/{case.pk}/family/entered-in-error/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "5 records entered in error" in body
    assert "Casey Testfamily, born 8 August 1992" in body
    assert "Alex Testfamily: Biological parent of Robin Testfamily" in body
    assert "Casey Testfamily living in Testfamily home, from 1 March 2026" in body
    assert "Casey Testfamily and Northshire Gym (tenuous)" in body
    assert REASON in body and "Not the birth mother" in body and services.PERSON_ENTERED_IN_ERROR in body
    assert "Csc Manager (Northshire Children" in body
    assert AuditEvent.objects.filter(actor=users.teacher, action="family.corrections_viewed").exists()
    assert web_as(users.outsider).get(f"/cases/{case.pk}/family/entered-in-error/").status_code == 404


def test_people_grid_and_person_filter_leave_out_a_person_entered_in_error(case, family, users, web_as, records):
    person_mark_entered_in_error(acting_user=users.sw, person=family.partner, reason=REASON)
    client = web_as(users.sw)
    form = client.get(f"/cases/{case.pk}/chronology/new/").content.decode()
    assert "Casey Testfamily" not in form
    assert "Alex Testfamily" in form
    listing = client.get(f"/cases/{case.pk}/chronology/").content.decode()
    assert "Casey Testfamily" not in listing
    assert "Alex Testfamily" in listing


def test_a_record_entered_in_error_cannot_be_ended_or_changed(case, family, users, api_as, records):
    from cases.services import person_update

    services.relationship_mark_entered_in_error(
        acting_user=users.sw, relationship=records["relationship"], reason=REASON
    )
    with pytest.raises(ValidationError) as refused:
        services.relationship_end(
            acting_user=users.sw, relationship=records["relationship"], end_date=dt.date(2026, 5, 1)
        )
    assert "entered in error" in refused.value.messages[0]
    assert Relationship.objects.get(pk=records["relationship"].pk).end_date is None
    person_mark_entered_in_error(acting_user=users.sw, person=family.partner, reason=REASON)
    with pytest.raises(ValidationError):
        person_update(acting_user=users.sw, person=family.partner, known_as="Cas")
    r = api_as(users.sw).patch(api_base(case) + f"people/{family.partner.pk}/", {"known_as": "Cas"}, format="json")
    assert r.status_code == 400
    assert Person.objects.get(pk=family.partner.pk).known_as == ""


def test_a_new_entry_cannot_name_a_person_entered_in_error_and_nothing_is_written(case, family, users):
    from chronology.models import ChronologyEntry
    from chronology.services import entry_create

    person_mark_entered_in_error(acting_user=users.sw, person=family.partner, reason=REASON)
    before = ChronologyEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        entry_create(
            acting_user=users.sw,
            case=case,
            kind="home_visit",
            occurred_on=dt.date(2026, 5, 1),
            summary="Home visit",
            subjects=[family.child.pk, family.partner.pk],
        )
    assert "marked entered in error" in refused.value.message_dict["subjects"][0]
    assert ChronologyEntry.objects.count() == before


def test_an_amendment_keeps_a_person_the_entry_already_named_but_cannot_add_one_entered_in_error(case, family, users):
    from chronology.services import entry_amend, entry_create

    entry = entry_create(
        acting_user=users.sw,
        case=case,
        kind="home_visit",
        occurred_on=dt.date(2026, 5, 1),
        summary="Home visit",
        subjects=[family.child.pk, family.partner.pk],
    )
    person_mark_entered_in_error(acting_user=users.sw, person=family.partner, reason=REASON)
    person_mark_entered_in_error(acting_user=users.sw, person=family.mother, reason=REASON)
    amended = entry_amend(
        acting_user=users.sw, entry=entry, reason="Spelling", expected_revision=1, summary="Home visit, all seen"
    )
    assert amended.revision == 2
    assert set(amended.subjects.values_list("pk", flat=True)) == {family.child.pk, family.partner.pk}
    with pytest.raises(ValidationError) as refused:
        entry_amend(
            acting_user=users.sw,
            entry=amended,
            reason="Mother present",
            expected_revision=2,
            present=[family.mother.pk],
        )
    assert "marked entered in error" in refused.value.message_dict["present"][0]
    assert type(entry).objects.get(pk=entry.pk).revision == 2


def test_api_entry_naming_a_person_entered_in_error_is_400_with_the_field_error(case, family, users, api_as):
    from chronology.models import ChronologyEntry

    person_mark_entered_in_error(acting_user=users.sw, person=family.partner, reason=REASON)
    before = ChronologyEntry.objects.count()
    response = api_as(users.sw).post(
        f"/api/v1/cases/{case.pk}/entries/",
        {"kind": "home_visit", "occurred_on": "2026-05-01", "summary": "Visit", "subjects": [family.partner.pk]},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "marked entered in error" in str(response.json())
    assert ChronologyEntry.objects.count() == before
