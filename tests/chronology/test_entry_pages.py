"""The entry pages: the add and amend forms (GOV.UK date input, the people grid, specific error
messages, the warning when nobody is recorded as seen), the history as changes, and the amend and
retract pages with their confirmation."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from chronology.models import ChronologyEntry, EntryRevision
from chronology.services import entry_amend
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def new_url(case):
    return f"/cases/{case.pk}/chronology/new/"


def date_boxes(on: dt.date, prefix: str = "") -> dict[str, str]:
    name = f"{prefix}occurred_on"
    return {f"{name}-day": str(on.day), f"{name}-month": str(on.month), f"{name}-year": str(on.year)}


def entry_data(people, on=dt.date(2026, 5, 20), **changes):
    data = {
        **date_boxes(on),
        "date_precision": "day",
        "kind": "home_visit",
        "summary": "Home visit, Robin seen",
        "significance": "medium",
        "source": "observed",
        "subjects": [people.child.pk],
        "seen": [people.child.pk],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def grid_rows(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'id="person-row-(\d+)"', html)}


@pytest.fixture
def grandad(case):
    return PersonFactory(
        case=case, given_name="Len", date_of_birth=dt.date(1950, 1, 1), date_of_death=dt.date(2026, 1, 10)
    )


@pytest.fixture
def unborn(case):
    return PersonFactory(
        case=case, given_name="Unborn", date_of_birth=None, expected_date_of_delivery=dt.date(2026, 9, 14)
    )


# The people grid --------------------------------------------------------------------------------


def test_add_form_is_one_grid_of_people_with_a_labelled_box_per_column(web_as, case, people, users, frozen_today):
    html = web_as(users.hv).get(new_url(case)).content.decode()
    assert html.count('class="govuk-table app-people-grid"') == 1
    for column in ("About", "Present", "Seen", "Seen alone"):
        assert f'<th scope="col" class="govuk-table__header app-people-grid__box">{column}</th>' in html
    for person in (people.child, people.baby, people.mother):
        assert f'<tr class="govuk-table__row" id="person-row-{person.pk}">' in html
        for field, label in (("subjects", "the entry is about them"), ("seen_alone", "seen alone")):
            box = re.search(rf'<input type="checkbox" name="{field}" value="{person.pk}"[^>]*\sid="([^"]+)"', html)
            assert box, (field, person)
            assert (
                f'for="{box.group(1)}"><span class="govuk-visually-hidden">{person.full_name}: {label}</span>' in html
            )
    assert 'type="radio" name="subjects"' not in html


def test_add_form_lists_the_living_as_of_today_and_leaves_out_the_dead_and_unborn(
    web_as, case, people, users, grandad, unborn, frozen_today
):
    rows = grid_rows(web_as(users.hv).get(new_url(case)).content.decode())
    assert rows == {people.child.pk, people.baby.pk, people.mother.pk}


def test_refreshed_form_lists_the_people_alive_on_the_typed_date(web_as, case, people, users, grandad, frozen_today):
    data = entry_data(people, on=dt.date(2025, 6, 1), refresh_people="1", subjects=None, seen=None)
    response = web_as(users.hv).post(new_url(case), data)
    html = response.content.decode()
    assert response.status_code == 200
    # Kit was born on 1 November 2025; Len died on 10 January 2026: alive then, listed.
    assert grid_rows(html) == {people.child.pk, people.mother.pk, grandad.pk}
    assert "govuk-error-summary" not in html
    assert "Nothing has been saved yet" in html
    assert not ChronologyEntry.objects.exists()


def test_unborn_child_is_listed_for_a_pregnancy_entry_only_as_who_it_is_about(
    web_as, case, people, users, unborn, frozen_today
):
    data = entry_data(people, kind="pregnancy", refresh_people="1", subjects=None, seen=None)
    html = web_as(users.hv).post(new_url(case), data).content.decode()
    assert unborn.pk in grid_rows(html)
    assert f'name="subjects" value="{unborn.pk}"' in html
    assert f'name="seen" value="{unborn.pk}"' not in html

    response = web_as(users.hv).post(new_url(case), entry_data(people, kind="pregnancy", subjects=[unborn.pk]))
    assert response.status_code == 302
    assert list(ChronologyEntry.objects.get().subjects.all()) == [unborn]


def test_unborn_child_ticked_as_seen_is_refused(web_as, case, people, users, unborn, frozen_today):
    data = entry_data(people, kind="pregnancy", subjects=[unborn.pk], seen=[unborn.pk])
    html = web_as(users.hv).post(new_url(case), data).content.decode()
    assert "Unborn Testfamily was not born by 20 May 2026: an unborn child can only be who the entry is about" in html
    assert not ChronologyEntry.objects.exists()


def test_person_who_had_died_by_the_date_is_refused_and_still_shown_to_untick(
    web_as, case, people, users, grandad, frozen_today
):
    data = entry_data(people, present=[grandad.pk])
    html = web_as(users.hv).post(new_url(case), data).content.decode()
    message = "Len Testfamily died on 10 January 2026, before 20 May 2026: untick them or check the date of the event"
    error = '<p id="id_present-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> '
    assert error + message in html
    assert grandad.pk in grid_rows(html)
    assert not ChronologyEntry.objects.exists()


def test_child_not_born_by_the_date_is_refused_for_an_ordinary_kind(web_as, case, people, users, frozen_today):
    data = entry_data(people, on=dt.date(2025, 6, 1), subjects=[people.baby.pk], seen=[people.baby.pk])
    html = web_as(users.hv).post(new_url(case), data).content.decode()
    assert "Kit Testfamily was not born by 1 June 2025: only a pregnancy or pre-birth entry" in html
    assert not ChronologyEntry.objects.exists()


# Error messages -----------------------------------------------------------------------------------


def test_empty_add_form_says_what_to_do_for_each_required_field(web_as, case, people, users, frozen_today):
    response = web_as(users.hv).post(new_url(case), {"date_precision": "day", "significance": "medium"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "This field is required" not in html
    first_about = re.search(r'<input type="checkbox" name="subjects" value="\d+"[^>]*\sid="([^"]+)"', html).group(1)
    for anchor, message in (
        ("id_occurred_on-day", "Enter the date of the event"),
        ("id_kind", "Select what happened"),
        ("id_summary", "Enter a summary of what happened"),
        (first_about, "Select who the entry is about"),
        ("id_source_0", "Select where the information comes from"),
    ):
        assert f'<a href="#{anchor}">{message}</a>' in html, message
        assert f'<span class="govuk-visually-hidden">Error:</span> {message}' in html, message


def test_add_form_dates_are_govuk_date_input_boxes_with_their_messages(web_as, case, people, users, frozen_today):
    client = web_as(users.hv)
    html = client.get(new_url(case)).content.decode()
    for part in ("day", "month", "year"):
        assert f'name="occurred_on-{part}" type="text" inputmode="numeric"' in html
    assert 'type="date"' not in html

    data = entry_data(people) | {"occurred_on-month": ""}
    html = client.post(new_url(case), data).content.decode()
    assert '<a href="#id_occurred_on-month">Date of the event must include a month</a>' in html
    data = entry_data(people) | {"occurred_on-day": "30", "occurred_on-month": "2"}
    assert "Date of the event must be a real date" in client.post(new_url(case), data).content.decode()
    assert not ChronologyEntry.objects.exists()


def test_add_form_records_the_date_typed_in_boxes(web_as, case, people, users, frozen_today):
    response = web_as(users.hv).post(new_url(case), entry_data(people, on=dt.date(2026, 5, 3)))
    assert response.status_code == 302
    assert ChronologyEntry.objects.get().occurred_on == dt.date(2026, 5, 3)


# Nobody seen ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["home_visit", "child_seen"])
def test_entry_with_nobody_seen_is_warned_about_and_saved_only_when_confirmed(
    web_as, case, people, users, kind, frozen_today
):
    client = web_as(users.hv)
    data = entry_data(people, kind=kind, seen=None)
    response = client.post(new_url(case), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="govuk-warning-text" id="seen-warning"' in html
    assert "records nobody as seen" in html
    assert "govuk-error-summary" not in html
    assert 'name="no_one_seen_confirmed" value="on"' in html
    assert not ChronologyEntry.objects.exists()

    assert client.post(new_url(case), data | {"no_one_seen_confirmed": "on"}).status_code == 302
    assert list(ChronologyEntry.objects.get().seen.all()) == []


def test_other_kinds_with_nobody_seen_are_not_warned_about(web_as, case, people, users, frozen_today):
    response = web_as(users.hv).post(new_url(case), entry_data(people, kind="appointment_missed", seen=None))
    assert response.status_code == 302


def test_home_visit_with_someone_seen_alone_is_not_warned_about(web_as, case, people, users, frozen_today):
    data = entry_data(people, seen=None, seen_alone=[people.child.pk])
    assert web_as(users.hv).post(new_url(case), data).status_code == 302


# Amend, retract and the history ---------------------------------------------------------------------


def test_get_on_the_amend_url_shows_the_entry_and_the_amend_form(web_as, case, people, users, make_entry, frozen_today):
    entry = make_entry(summary="Visit", subjects=[people.child], seen=[people.child])
    response = web_as(users.hv).get(f"/cases/{case.pk}/chronology/{entry.pk}/amend/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">Amend this entry</h1>' in html
    assert 'name="amend-occurred_on-day" type="text" inputmode="numeric" spellcheck="false" value="1"' in html
    assert re.search(rf'name="amend-seen" value="{people.child.pk}"[^>]*checked', html)


def test_get_on_the_retract_url_shows_the_entry_and_asks_for_confirmation(
    web_as, case, people, users, make_entry, frozen_today
):
    entry = make_entry(summary="Visit to the wrong family", subjects=[people.child])
    response = web_as(users.hv).get(f"/cases/{case.pk}/chronology/{entry.pk}/retract/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Visit to the wrong family" in html
    assert 'name="retract-confirm"' in html and "Yes, retract this entry" in html


def test_retract_without_confirmation_is_refused(web_as, case, people, users, make_entry, frozen_today):
    entry = make_entry(summary="Visit", subjects=[people.child])
    url = f"/cases/{case.pk}/chronology/{entry.pk}/retract/"
    response = web_as(users.hv).post(url, {"retract-reason": "Wrong family", "retract-revision": "1"})
    assert response.status_code == 400
    assert '<a href="#id_retract-confirm">Confirm that you want to retract this entry</a>' in response.content.decode()
    entry.refresh_from_db()
    assert not entry.retracted and entry.revision == 1


def test_retract_without_a_reason_says_so(web_as, case, people, users, make_entry, frozen_today):
    entry = make_entry(summary="Visit", subjects=[people.child])
    url = f"/cases/{case.pk}/chronology/{entry.pk}/retract/"
    html = web_as(users.hv).post(url, {"retract-revision": "1", "retract-confirm": "on"}).content.decode()
    assert "Enter why you are retracting this entry" in html
    assert EntryRevision.objects.filter(entry=entry).count() == 1


def test_amend_and_retract_pages_are_refused_to_another_agency(web_as, case, people, users, make_entry, frozen_today):
    entry = make_entry(subjects=[people.child])
    client = web_as(users.teacher)
    for action in ("amend", "retract"):
        response = client.get(f"/cases/{case.pk}/chronology/{entry.pk}/{action}/")
        assert response.status_code == 403
        assert "Home visit, children seen" not in response.content.decode()


def test_retracted_entry_cannot_be_amended_from_its_page(web_as, case, people, users, make_entry, frozen_today):
    from chronology.services import entry_retract

    entry = make_entry(subjects=[people.child])
    entry_retract(acting_user=users.hv, entry=entry, reason="Wrong family", expected_revision=1)
    html = web_as(users.hv).get(f"/cases/{case.pk}/chronology/{entry.pk}/amend/").content.decode()
    assert "A retracted entry cannot be amended" in html
    assert 'name="amend-reason"' not in html


def test_amend_without_a_reason_says_so(web_as, case, people, users, make_entry, frozen_today):
    entry = make_entry(subjects=[people.child], seen=[people.child])
    data = amend_data(people)
    del data["amend-reason"]
    html = web_as(users.hv).post(f"/cases/{case.pk}/chronology/{entry.pk}/amend/", data).content.decode()
    assert '<a href="#id_amend-reason">Enter why you are amending this entry</a>' in html
    entry.refresh_from_db()
    assert entry.revision == 1


def test_history_shows_what_each_revision_changed_field_by_field(web_as, case, people, users, make_entry, frozen_today):
    entry = make_entry(summary="Visit", detail="Robin in her room", subjects=[people.child], seen=[people.child])
    entry_amend(
        acting_user=users.hv,
        entry=entry,
        reason="Alex was there too",
        expected_revision=1,
        summary="Visit, Robin and Alex seen",
        seen=[people.child, people.mother],
    )
    html = web_as(users.hv).get(f"/cases/{case.pk}/chronology/{entry.pk}/").content.decode()
    second = html.split('id="revision-2"')[1].split("</li>")[0]
    assert "Alex was there too" in second
    assert re.search(r"Summary</dt>\s*<dd[^>]*>.*Visit</del>.*Visit, Robin and Alex seen</ins>", second, re.S)
    assert re.search(
        r"Seen</dt>\s*<dd[^>]*>.*Robin Testfamily</del>.*Robin Testfamily, Alex Testfamily</ins>", second, re.S
    )
    # Unchanged fields are not repeated in the amendment.
    assert "Robin in her room" not in second and "Kind</dt>" not in second
    first = html.split('id="revision-1"')[1].split("</li>")[0]
    assert "first recorded" in first and "Visit" in first


def test_history_marks_the_revision_that_retracted_the_entry(web_as, case, people, users, make_entry, frozen_today):
    from chronology.services import entry_retract

    entry = make_entry(subjects=[people.child])
    entry_retract(acting_user=users.hv, entry=entry, reason="Wrong family", expected_revision=1)
    html = web_as(users.hv).get(f"/cases/{case.pk}/chronology/{entry.pk}/").content.decode()
    second = html.split('id="revision-2"')[1].split("</li>")[0]
    assert "Revision 2: retracted" in second and "Wrong family" in second


def test_entry_text_is_allowed_to_break_long_words(web_as, case, people, users, make_entry, frozen_today):
    word = "x" * 3000
    entry = make_entry(summary="Visit " + word[:200], detail=word, subjects=[people.child])
    html = web_as(users.hv).get(f"/cases/{case.pk}/chronology/{entry.pk}/").content.decode()
    assert '<h1 class="govuk-heading-l govuk-!-text-break-word">' in html
    detail = html.split(word)[0].rsplit("<dd", 1)[1]
    assert "govuk-!-text-break-word" in detail


def test_packs_page_agency_filter_is_checkboxes(web_as, case, users):
    html = web_as(users.chair).get(f"/cases/{case.pk}/packs/").content.decode()
    agencies = html.split("Only entries from these agencies")[1].split("</fieldset>")[0]
    assert 'type="checkbox" name="agencies"' in agencies
    assert "govuk-checkboxes" in agencies and "radio" not in agencies


def amend_data(people, **changes):
    data = {f"amend-{k}": v for k, v in entry_data(people, **changes).items()}
    data["amend-revision"] = "1"
    data["amend-reason"] = "Correcting who was seen"
    return data


def test_amend_page_refresh_lists_people_for_the_new_date_without_saving(
    web_as, case, people, users, make_entry, frozen_today
):
    entry = make_entry(subjects=[people.child], seen=[people.child])
    url = f"/cases/{case.pk}/chronology/{entry.pk}/amend/"
    data = amend_data(people, on=dt.date(2025, 6, 1)) | {"amend-refresh_people": "1"}
    response = web_as(users.hv).post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert people.baby.pk not in grid_rows(html)  # born 1 November 2025
    assert "govuk-error-summary" not in html
    entry.refresh_from_db()
    assert entry.revision == 1


def test_amend_to_nobody_seen_is_warned_about_then_saved_when_confirmed(
    web_as, case, people, users, make_entry, frozen_today
):
    entry = make_entry(subjects=[people.child], seen=[people.child])
    url = f"/cases/{case.pk}/chronology/{entry.pk}/amend/"
    client = web_as(users.hv)
    html = client.post(url, amend_data(people, seen=None)).content.decode()
    assert "records nobody as seen" in html
    assert 'name="amend-no_one_seen_confirmed" value="on"' in html
    entry.refresh_from_db()
    assert entry.revision == 1

    assert client.post(url, amend_data(people, seen=None) | {"amend-no_one_seen_confirmed": "on"}).status_code == 302
    entry.refresh_from_db()
    assert entry.revision == 2 and list(entry.seen.all()) == []
