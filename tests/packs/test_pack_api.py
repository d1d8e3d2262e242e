import pytest

from audit.models import AuditEvent

pytestmark = pytest.mark.django_db

BODY = {"kind": "strategy", "date_from": "2026-01-01", "date_to": "2026-06-30", "min_significance": "low"}


@pytest.fixture
def posted(api_as, users, case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(users.sw).post(f"/api/v1/cases/{case.pk}/packs/", BODY, format="json")
    return response


def test_post_returns_202_with_the_job(posted):
    assert posted.status_code == 202
    body = posted.json()
    assert isinstance(body["id"], int)
    assert body["status"] in ("queued", "running", "done")


def test_status_reports_done_with_download_url_and_the_pdf_downloads(posted, api_as, users):
    client = api_as(users.sw)
    status = client.get(f"/api/v1/packs/{posted.json()['id']}/").json()
    assert status["status"] == "done"
    assert status["progress"] == 100
    assert status["error"] == ""
    assert status["download_url"].endswith(f"/api/v1/packs/{status['id']}/download/")
    response = client.get(status["download_url"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_download_is_audited_every_time(posted, api_as, users):
    pack_id = posted.json()["id"]
    client = api_as(users.hv)
    for _ in range(2):
        assert client.get(f"/api/v1/packs/{pack_id}/download/").status_code == 200
    downloads = AuditEvent.objects.filter(action="pack.downloaded", object_id=str(pack_id))
    assert downloads.count() == 2
    assert {event.actor for event in downloads} == {users.hv}


def test_download_accepts_a_pdf_accept_header(posted, api_as, users):
    response = api_as(users.sw).get(f"/api/v1/packs/{posted.json()['id']}/download/", HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200


def test_case_pack_list_shows_the_pack(posted, api_as, users, case):
    body = api_as(users.teacher).get(f"/api/v1/cases/{case.pk}/packs/").json()
    assert [pack["id"] for pack in body["results"]] == [posted.json()["id"]]


def test_outsider_gets_404_for_pack_status_download_and_list(posted, api_as, users, case):
    client = api_as(users.outsider)
    pack_id = posted.json()["id"]
    assert client.get(f"/api/v1/packs/{pack_id}/").status_code == 404
    assert client.get(f"/api/v1/packs/{pack_id}/download/").status_code == 404
    assert client.get(f"/api/v1/cases/{case.pk}/packs/").status_code == 404
    assert client.post(f"/api/v1/cases/{case.pk}/packs/", BODY, format="json").status_code == 404
    assert not AuditEvent.objects.filter(action="pack.downloaded").exists()


def test_unknown_pack_is_404(api_as, users):
    assert api_as(users.sw).get("/api/v1/packs/999999/").status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "party"}, "kind"),
        ({"date_to": "2025-12-31"}, "date_to"),
        ({"date_from": "not a date"}, "date_from"),
        ({"min_significance": "huge"}, "min_significance"),
    ],
)
def test_bad_request_gets_400_with_field_errors(api_as, users, case, change, field):
    response = api_as(users.sw).post(f"/api/v1/cases/{case.pk}/packs/", {**BODY, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_practitioner_post_gets_403(api_as, users, case):
    assert api_as(users.hv).post(f"/api/v1/cases/{case.pk}/packs/", BODY, format="json").status_code == 403


def test_anonymous_gets_401(client, case):
    assert client.get("/api/v1/packs/1/").status_code in (401, 403)
