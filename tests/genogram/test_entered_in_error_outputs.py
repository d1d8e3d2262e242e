"""A person or relationship marked entered in error leaves every output: the genogram's DOT and
SVG (today and at an earlier date), the ecomap, the GEDCOM export, the pack, and the flag rules."""

from __future__ import annotations

import datetime as dt

import pytest

from cases.services import person_mark_entered_in_error
from genogram import services
from genogram.drawings import case_drawings, genogram_gedcom
from genogram.genogram_drawing import genogram_dot_source
from genogram.selectors import family_snapshot
from reporting.flags.selectors import flags_for_case
from tests.packs.conftest import build, media, pack_text, squash  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

REASON = "Belongs to another family."
AT = dt.date(2026, 6, 1)
EARLIER = dt.date(2026, 4, 1)


@pytest.fixture
def household(case, family, users):
    """Robin and Alex live at home; Casey, a new adult, moved in on 1 March 2026 and has an ecomap
    link to a gym; Alex is Robin's mother and Casey's partner."""
    home = services.household_create(acting_user=users.sw, case=case, label="Testfamily home")
    for person, since in ((family.child, dt.date(2021, 4, 4)), (family.mother, dt.date(2019, 1, 1))):
        services.household_member_add(acting_user=users.sw, household=home, person=person, from_date=since)
    services.household_member_add(
        acting_user=users.sw, household=home, person=family.partner, from_date=dt.date(2026, 3, 1)
    )
    mother = services.relationship_create(
        acting_user=users.sw, case=case, kind="biological_parent", from_person=family.mother, to_person=family.child
    )
    services.relationship_create(
        acting_user=users.sw,
        case=case,
        kind="cohabiting",
        from_person=family.partner,
        to_person=family.mother,
        start_date=dt.date(2026, 3, 1),
    )
    services.ecomap_link_create(
        acting_user=users.sw,
        case=case,
        person=family.partner,
        resource_name="Northshire Gym",
        resource_kind="club",
        strength="tenuous",
    )
    return {"home": home, "mother": mother}


def test_a_person_entered_in_error_leaves_the_genogram_dot_svg_and_ecomap(case, family, users, household):
    before = case_drawings(case, AT)
    assert "Casey" in genogram_dot_source(family_snapshot(case), AT)
    assert "Casey" in before.genogram_svg and "Northshire Gym" in before.ecomap_svg
    person_mark_entered_in_error(acting_user=users.sw, person=family.partner, reason=REASON)
    assert "Casey" not in genogram_dot_source(family_snapshot(case), AT)
    for at in (AT, EARLIER):
        drawn = case_drawings(case, at)
        assert "Casey" not in drawn.genogram_svg, at
        assert "Robin" in drawn.genogram_svg
        assert "Northshire Gym" not in drawn.ecomap_svg


def test_a_relationship_entered_in_error_leaves_the_drawing_and_the_gedcom(case, family, users, household):
    before = genogram_gedcom(case, AT)
    assert before.count("CHIL") == 1
    services.relationship_mark_entered_in_error(acting_user=users.sw, relationship=household["mother"], reason=REASON)
    family_now = family_snapshot(case)
    assert household["mother"].pk not in [r.id for r in family_now.relationships]
    assert "CHIL" not in genogram_gedcom(case, AT)


def test_a_person_entered_in_error_leaves_the_gedcom_export_on_every_date(case, family, users, household, api_as):
    api = api_as(users.hv)
    assert "Casey" in api.get(f"/api/v1/cases/{case.pk}/genogram.ged?at={AT}").content.decode()
    person_mark_entered_in_error(acting_user=users.sw, person=family.partner, reason=REASON)
    for at in (AT, EARLIER):
        ged = api.get(f"/api/v1/cases/{case.pk}/genogram.ged?at={at}").content.decode()
        assert "Casey" not in ged
        assert "Robin" in ged
    svg = api.get(f"/api/v1/cases/{case.pk}/genogram.svg?at={AT}").content.decode()
    assert "Casey" not in svg and "Robin" in svg
    graph = api.get(f"/api/v1/cases/{case.pk}/genogram.json?at={AT}").json()
    assert family.partner.pk not in [node["id"] for node in graph["nodes"]]


def test_a_new_adult_entered_in_error_no_longer_raises_new_adult_in_household(case, family, users, household):
    def rules():
        return {f.flag.rule for f in flags_for_case(case, AT)}

    assert "new_adult_in_household" in rules()
    person_mark_entered_in_error(acting_user=users.manager, person=family.partner, reason=REASON)
    assert "new_adult_in_household" not in rules()


def test_a_person_entered_in_error_leaves_the_pack(case, family, users, household, build):  # noqa: F811
    person_mark_entered_in_error(acting_user=users.sw, person=family.partner, reason=REASON)
    text = squash(pack_text(build(users.chair, case)))
    assert "Robin Testfamily" in text and "Alex Testfamily" in text
    assert "Casey" not in text
    assert "Northshire Gym" not in text
