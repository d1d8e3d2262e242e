import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cases.models import Person
from genogram import gedcom
from genogram.drawings import genogram_gedcom
from genogram.models import Relationship
from tests.factories import GEDCOM_FIXTURES, CaseFactory

pytestmark = pytest.mark.django_db
DIR = str(GEDCOM_FIXTURES)
AT = dt.date(2026, 6, 1)


def load(name):
    with open(f"{DIR}/{name}", "rb") as fh:
        return fh.read()


def summary(case):
    people = {
        (p.given_name, p.family_name): (p.sex, p.date_of_birth, p.date_of_birth_precision, p.date_of_death)
        for p in Person.objects.filter(case=case)
    }
    rels = {
        (r.from_person.given_name, r.to_person.given_name, r.kind, r.start_date)
        for r in Relationship.objects.filter(case=case).select_related("from_person", "to_person")
    }
    return people, rels


def test_import_bronte_takes_every_person_family_and_date_precision(case, users):
    created = gedcom.gedcom_import(acting_user=users.sw, case=case, data=load("bronte.ged"))
    assert len(created) == 14
    people, rels = summary(case)
    assert people[("Patrick Branwell", "Brontë")] == ("male", dt.date(1817, 6, 26), "day", dt.date(1848, 9, 24))
    assert people[("Anne", "Carne")][1:3] == (dt.date(1744, 4, 1), "month")
    assert people[("Hugh", "Brunty")][1:3] == (dt.date(1755, 1, 1), "year")
    hugh = Person.objects.get(case=case, given_name="Hugh")
    assert hugh.gedcom.date_of_death_precision == "estimated"
    assert Person.objects.get(case=case, given_name="Patrick", family_name="Brontë").known_as == "Brunty"
    # six children of Patrick and Maria, each with both parents
    parents = Relationship.objects.filter(
        case=case, kind="biological_parent", from_person__given_name="Maria", from_person__family_name="Branwell"
    )
    assert parents.count() == 6
    married = {(r[0], r[1]) for r in rels if r[2] == "married"}
    assert ("Patrick", "Maria") in married
    assert ("Patrick", "Maria", "married", dt.date(1812, 12, 29)) in rels  # a date phrase outside the grammar


def test_import_basic_from_legacy_with_its_byte_order_mark(case, users):
    gedcom.gedcom_import(acting_user=users.sw, case=case, data=load("basic.ged"))
    people, rels = summary(case)
    assert len(people) == 5
    assert people[("Penny", "Newton")] == ("female", dt.date(2006, 4, 6), "day", None)
    assert ("John", "France", "biological_parent", dt.date(1952, 1, 2)) in rels


@pytest.mark.parametrize("name", ["basic.ged", "bronte.ged"])
def test_export_round_trips_through_import(case, users, agencies, name):
    gedcom.gedcom_import(acting_user=users.sw, case=case, data=load(name))
    text = genogram_gedcom(case, AT)
    assert text.startswith("0 HEAD")
    second = CaseFactory(lead_agency=agencies.csc)
    gedcom.gedcom_import(acting_user=users.sw, case=second, data=text.encode("utf-8"))
    assert summary(second) == summary(case)
    deaths_first = sorted(Person.objects.filter(case=case).values_list("given_name", "gedcom__date_of_death_precision"))
    deaths_second = sorted(
        Person.objects.filter(case=second).values_list("given_name", "gedcom__date_of_death_precision")
    )
    assert deaths_first == deaths_second


def test_malformed_file_names_the_line_and_writes_nothing(case, users):
    data = b"0 HEAD\n1 CHAR UTF-8\n0 @I1@ INDI\n1 NAME Ann /Example/\nthis line is broken\n0 TRLR\n"
    with pytest.raises(ValidationError) as exc:
        gedcom.gedcom_import(acting_user=users.sw, case=case, data=data)
    assert "line 5" in str(exc.value)
    assert not Person.objects.filter(case=case).exists()


def test_a_bad_family_rolls_back_the_people_too(case, users):
    data = (
        b"0 HEAD\n1 CHAR UTF-8\n0 @I1@ INDI\n1 NAME Ann /Example/\n1 BIRT\n2 DATE 1 JAN 2000\n"
        b"0 @I2@ INDI\n1 NAME Bo /Example/\n1 BIRT\n2 DATE 1 JAN 1990\n"
        b"0 @F1@ FAM\n1 WIFE @I1@\n1 CHIL @I2@\n0 TRLR\n"
    )
    with pytest.raises(ValidationError) as exc:
        gedcom.gedcom_import(acting_user=users.sw, case=case, data=data)
    assert "older" in str(exc.value)
    assert not Person.objects.filter(case=case).exists()


def test_import_api_returns_the_people_created_and_400_for_a_broken_file(case, users, api_as):
    api = api_as(users.sw)
    with open(f"{DIR}/basic.ged", "rb") as fh:
        r = api.post(f"/api/v1/cases/{case.pk}/genogram/import/", {"file": fh}, format="multipart")
    assert r.status_code == 201
    assert len(r.json()["people"]) == 5
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("bad.ged", b"0 HEAD\nnot gedcom\n")
    r = api.post(f"/api/v1/cases/{case.pk}/genogram/import/", {"file": bad}, format="multipart")
    assert r.status_code == 400
    assert "not a valid GEDCOM file" in str(r.json())
