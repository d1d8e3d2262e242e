"""Moving Case, Person and CaseAgency into the cases app keeps an existing database's rows.

The database is migrated back to the last migrations before the move, rows are written through
the historical chronology models, then the database is migrated forward and the rows are read
through cases.models. The latest state is restored at the end for the tests that follow.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

BEFORE_MOVE = [
    ("chronology", "0003_text_limits"),
    ("audit", "0003_append_only_trigger"),
    ("genogram", "0002_text_limits"),
    ("reporting", "0003_pack_job_liveness"),
]
# cases has no migration before the move.
BEFORE_MOVE_CASES = ("cases", None)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    nodes = [target for target in targets if target[1] is not None]
    return MigrationExecutor(connection).loader.project_state(nodes).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.fixture
def old_database():
    if connection.vendor != "postgresql":
        pytest.skip("The move is checked on PostgreSQL, as deployed.")
    apps = _migrate([*BEFORE_MOVE, BEFORE_MOVE_CASES])
    try:
        yield apps
    finally:
        _migrate(_latest())


def test_case_person_and_case_agency_rows_survive_the_move(old_database):
    apps = old_database
    with pytest.raises(LookupError):
        apps.get_model("cases", "Case")
    Agency = apps.get_model("agencies", "Agency")
    OldCase = apps.get_model("chronology", "Case")
    OldPerson = apps.get_model("chronology", "Person")
    OldCaseAgency = apps.get_model("chronology", "CaseAgency")
    lead = Agency.objects.create(name="Moveshire Social Care", kind="childrens_social_care")
    school = Agency.objects.create(name="Moveshire School", kind="school")
    case = OldCase.objects.create(
        reference="MOVE-1",
        title="Movefamily",
        lead_agency=lead,
        legal_status="child_in_need",
        opened_on=dt.date(2026, 1, 5),
    )
    OldCaseAgency.objects.create(case=case, agency=lead, involved_on=dt.date(2026, 1, 5))
    OldCaseAgency.objects.create(case=case, agency=school, involved_on=dt.date(2026, 1, 6))
    person = OldPerson.objects.create(case=case, given_name="Robin", family_name="Movefamily", is_subject=True)

    _migrate(_latest())

    from cases.models import Case, CaseAgency, Person

    moved = Case.objects.get(reference="MOVE-1")
    assert (moved.pk, moved.title, moved.lead_agency_id) == (case.pk, "Movefamily", lead.pk)
    assert list(CaseAgency.objects.filter(case=moved).order_by("id").values_list("agency_id", flat=True)) == [
        lead.pk,
        school.pk,
    ]
    assert set(moved.agencies.values_list("pk", flat=True)) == {lead.pk, school.pk}
    assert Person.objects.get(pk=person.pk).case == moved
    assert moved.people.get().full_name == "Robin Movefamily"
    # New rows continue the same sequences: the tables, not copies of them, moved.
    again = Person.objects.create(case=moved, given_name="Kit")
    assert again.pk > person.pk
