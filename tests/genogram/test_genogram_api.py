import datetime as dt

import pytest

from audit.models import AuditEvent
from genogram.models import Household, Relationship
from tests.factories import GEDCOM_FIXTURES

pytestmark = pytest.mark.django_db
GEDCOM_DIR = str(GEDCOM_FIXTURES)


def base(case):
    return f"/api/v1/cases/{case.pk}/"


def test_post_relationship_household_and_member_as_the_contract_says(case, family, users, api_as):
    api = api_as(users.sw)
    r = api.post(
        base(case) + "relationships/",
        {
            "kind": "biological_parent",
            "from_person": family.mother.pk,
            "to_person": family.child.pk,
            "start_date": "2021-04-04",
            "end_date": None,
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    h = api.post(base(case) + "households/", {"label": "Home", "address": "2 Test Row"}, format="json")
    assert h.status_code == 201
    m = api.post(
        base(case) + f"households/{h.json()['id']}/members/",
        {"person": family.child.pk, "from_date": "2021-04-04", "to_date": None},
        format="json",
    )
    assert m.status_code == 201, m.content
    listing = api.get(base(case) + "households/").json()
    assert listing["results"][0]["members"][0]["person"] == family.child.pk


def test_invalid_relationship_is_a_400_with_field_errors(case, family, users, api_as):
    r = api_as(users.sw).post(
        base(case) + "relationships/",
        {"kind": "biological_parent", "from_person": family.child.pk, "to_person": family.mother.pk},
        format="json",
    )
    assert r.status_code == 400
    assert "from_person" in r.json()
    assert not Relationship.objects.exists()


def test_person_from_another_case_is_a_400(case, family, users, api_as, agencies):
    from tests.factories import CaseFactory, PersonFactory

    stranger = PersonFactory(case=CaseFactory(lead_agency=agencies.csc))
    r = api_as(users.sw).post(
        base(case) + "relationships/",
        {"kind": "close", "from_person": stranger.pk, "to_person": family.child.pk},
        format="json",
    )
    assert r.status_code == 400
    assert "from_person" in r.json()


def test_practitioner_cannot_change_the_family_structure(case, family, users, api_as):
    r = api_as(users.hv).post(base(case) + "households/", {"label": "Home"}, format="json")
    assert r.status_code == 403
    assert not Household.objects.exists()


def test_end_a_relationship_through_the_api(case, family, users, api_as):
    api = api_as(users.sw)
    rel = api.post(
        base(case) + "relationships/",
        {
            "kind": "cohabiting",
            "from_person": family.mother.pk,
            "to_person": family.partner.pk,
            "start_date": "2024-01-01",
        },
        format="json",
    ).json()
    r = api.post(base(case) + f"relationships/{rel['id']}/end/", {"end_date": "2025-02-01"}, format="json")
    assert r.status_code == 200
    assert r.json()["end_date"] == "2025-02-01"
    again = api.post(base(case) + f"relationships/{rel['id']}/end/", {"end_date": "2025-03-01"}, format="json")
    assert again.status_code == 400


@pytest.mark.parametrize(
    ("suffix", "magic"),
    [
        ("genogram.svg", b"<svg"),
        ("genogram.png", b"\x89PNG"),
        ("genogram.json", b"{"),
        ("genogram.ged", b"0 HEAD"),
        ("ecomap.svg", b"<svg"),
    ],
)
def test_drawings_and_exports_answer_with_their_content_and_are_audited(case, family, users, api_as, suffix, magic):
    r = api_as(users.hv).get(base(case) + suffix + "?at=2026-06-01")
    assert r.status_code == 200
    assert magic in r.content[:4096]
    assert AuditEvent.objects.filter(
        case=case, actor=users.hv, action__in=["genogram.viewed", "genogram.exported", "ecomap.viewed"]
    ).exists()


def test_bad_at_date_is_a_400(case, users, api_as):
    r = api_as(users.sw).get(base(case) + "genogram.svg?at=June")
    assert r.status_code == 400
    assert "at" in r.json()


def test_node_link_json_has_people_and_links_on_the_date(case, family, users, api_as):
    api = api_as(users.sw)
    api.post(
        base(case) + "relationships/",
        {"kind": "biological_parent", "from_person": family.mother.pk, "to_person": family.child.pk},
        format="json",
    )
    data = api.get(base(case) + "genogram.json?at=2022-01-01").json()
    ids = {n["id"] for n in data["nodes"]}
    assert family.child.pk in ids
    assert family.baby.pk not in ids  # born 2025
    assert {(lk["source"], lk["target"], lk["kind"]) for lk in data["links"]} == {
        (family.mother.pk, family.child.pk, "biological_parent")
    }


@pytest.mark.parametrize(
    "path",
    [
        "relationships/",
        "households/",
        "ecomap-links/",
        "genogram.svg",
        "genogram.png",
        "genogram.json",
        "genogram.ged",
        "ecomap.svg",
    ],
)
def test_outsider_gets_404_for_every_genogram_read(case, users, api_as, path):
    assert api_as(users.outsider).get(base(case) + path).status_code == 404


def test_outsider_gets_404_for_genogram_writes_and_import(case, family, users, api_as):
    api = api_as(users.outsider)
    assert api.post(base(case) + "households/", {"label": "X"}, format="json").status_code == 404
    with open(f"{GEDCOM_DIR}/basic.ged", "rb") as fh:
        assert api.post(base(case) + "genogram/import/", {"file": fh}, format="multipart").status_code == 404
    assert not Household.objects.exists()


def test_ecomap_link_api_creates_and_draws_the_link(case, family, users, api_as, agencies):
    api = api_as(users.sw)
    home = api.post(base(case) + "households/", {"label": "Home"}, format="json").json()
    api.post(
        base(case) + f"households/{home['id']}/members/",
        {"person": family.child.pk, "from_date": "2021-04-04"},
        format="json",
    )
    r = api.post(
        base(case) + "ecomap-links/",
        {"household": home["id"], "agency": agencies.school.pk, "strength": "stressful", "direction": "both"},
        format="json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["resource_name"] == "Riverside Primary School"
    svg = api.get(base(case) + f"ecomap.svg?at={dt.date(2026, 6, 1)}").content.decode()
    assert "Riverside Primary School" in svg
    assert "stressful" in svg
