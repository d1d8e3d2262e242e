"""Safe concurrent editing, on real PostgreSQL with real transactions: parallel amends of one
entry never lose or duplicate a revision (the loser gets 409), and an import sent twice at once
creates each agency reference once."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from rest_framework.test import APIClient

from accounts.tokens import api_token_issue
from audit.selectors import audit_chain_report
from chronology.models import ChronologyEntry, EntryRevision
from chronology.services import entry_create

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks and real concurrency"),
]

THREADS = 6


def _run_in_threads(target, count: int) -> list:
    """Start `count` threads at once (a barrier), each with its own connection; return results."""
    results: list = [None] * count
    barrier = threading.Barrier(count)

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=20)
            results[i] = target(i)
        except BaseException as exc:  # reported by the test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)[1]}")
    return client


@pytest.fixture
def entry(users, case):
    return entry_create(
        acting_user=users.hv,
        case=case,
        occurred_on=dt.date(2026, 1, 5),
        kind="home_visit",
        summary="Home visit",
        today=dt.date(2026, 2, 1),
    )


def test_parallel_amends_of_the_same_revision_one_wins_the_rest_get_409(users, case, entry):
    clients = [_client(users.hv) for _ in range(THREADS)]
    url = f"/api/v1/cases/{case.pk}/entries/{entry.pk}/amend/"

    def amend(i: int):
        return clients[i].post(
            url, {"summary": f"Home visit (version {i})", "reason": "Detail", "revision": 1}, format="json"
        )

    responses = _run_in_threads(amend, THREADS)

    assert not [r for r in responses if isinstance(r, BaseException)], responses
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [409] * (THREADS - 1)
    for loser in (r for r in responses if r.status_code == 409):
        assert loser.json()["revision"] == 2
    entry.refresh_from_db()
    assert entry.revision == 2
    assert list(EntryRevision.objects.filter(entry=entry).values_list("number", flat=True)) == [1, 2]
    winner = next(r for r in responses if r.status_code == 200)
    assert entry.summary == winner.json()["summary"]
    assert audit_chain_report().ok


def test_parallel_amends_that_retry_on_conflict_all_land_once(users, case, entry):
    clients = [_client(users.hv) for _ in range(THREADS)]
    base = f"/api/v1/cases/{case.pk}/entries/{entry.pk}/"

    def amend_until_it_lands(i: int):
        for _attempt in range(THREADS * 3):
            seen = clients[i].get(base).json()["revision"]
            response = clients[i].post(
                base + "amend/",
                {"detail": f"Note from worker {i}", "reason": f"Worker {i}", "revision": seen},
                format="json",
            )
            if response.status_code != 409:
                return response.status_code
        return "gave up"

    outcomes = _run_in_threads(amend_until_it_lands, THREADS)

    assert outcomes == [200] * THREADS
    entry.refresh_from_db()
    assert entry.revision == THREADS + 1
    revisions = EntryRevision.objects.filter(entry=entry).order_by("number")
    assert [r.number for r in revisions] == list(range(1, THREADS + 2))
    assert sorted(r.reason for r in revisions[1:]) == sorted(f"Worker {i}" for i in range(THREADS))
    assert audit_chain_report().ok


def test_the_same_import_sent_twice_at_once_creates_each_reference_once(users, case):
    content = (
        b"Date,Time,Kind,Summary,Significance,People,Seen,Seen alone,Action,Agency reference\n"
        b"2026-01-05,,school_absence,Absent,low,,,,,SCH-1\n"
        b"2026-01-06,,school_absence,Absent again,low,,,,,SCH-2\n"
        b"2026-01-07,,note,Call to mother,low,,,,,SCH-3\n"
    )
    clients = [_client(users.teacher) for _ in range(2)]
    url = f"/api/v1/cases/{case.pk}/entries/import/"

    def send(i: int):
        upload = SimpleUploadedFile("school.csv", content, content_type="text/csv")
        return clients[i].post(url, {"file": upload}, format="multipart")

    responses = _run_in_threads(send, 2)

    assert not [r for r in responses if isinstance(r, BaseException)], responses
    assert all(r.status_code < 500 for r in responses), [r.content for r in responses]
    refs = sorted(ChronologyEntry.objects.filter(case=case).values_list("agency_ref", flat=True))
    assert refs == ["SCH-1", "SCH-2", "SCH-3"]
    assert EntryRevision.objects.filter(entry__case=case).count() == 3


def test_an_import_sent_again_later_creates_nothing(users, case):
    content = (
        b"Date,Time,Kind,Summary,Significance,People,Seen,Seen alone,Action,Agency reference\n"
        b"2026-01-05,,school_absence,Absent,low,,,,,SCH-1\n"
    )
    client = _client(users.teacher)
    url = f"/api/v1/cases/{case.pk}/entries/import/"

    first = client.post(url, {"file": SimpleUploadedFile("s.csv", content)}, format="multipart")
    again = client.post(url, {"file": SimpleUploadedFile("s.csv", content)}, format="multipart")

    assert first.status_code == 201
    assert again.status_code == 201
    assert again.json()["created"] == []
    assert ChronologyEntry.objects.filter(case=case).count() == 1


def test_the_same_agency_reference_posted_twice_at_once_is_one_entry_and_one_400(users, case):
    clients = [_client(users.teacher) for _ in range(2)]
    url = f"/api/v1/cases/{case.pk}/entries/"
    body = {"occurred_on": "2026-01-05", "kind": "school_absence", "summary": "Absent", "agency_ref": "SCH-9"}

    responses = _run_in_threads(lambda i: clients[i].post(url, body, format="json"), 2)

    assert not [r for r in responses if isinstance(r, BaseException)], responses
    assert sorted(r.status_code for r in responses) == [201, 400]
    loser = next(r for r in responses if r.status_code == 400)
    assert "agency_ref" in loser.json()
    assert ChronologyEntry.objects.filter(case=case, agency_ref="SCH-9").count() == 1
