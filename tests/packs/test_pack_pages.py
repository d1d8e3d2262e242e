import pytest

from reporting.models import Pack

pytestmark = pytest.mark.django_db


def test_packs_tab_is_in_the_case_navigation(web_as, users, case):
    page = web_as(users.hv).get(f"/cases/{case.pk}/").content.decode()
    assert f'href="/cases/{case.pk}/packs/"' in page


def test_request_form_builds_a_pack_and_lists_its_download(web_as, users, case, django_capture_on_commit_callbacks):
    client = web_as(users.chair)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/cases/{case.pk}/packs/",
            {"kind": "conference", "date_from": "2026-01-01", "date_to": "2026-03-31", "min_significance": "medium"},
        )
    assert response.status_code == 302
    pack = Pack.objects.get()
    assert (pack.kind, pack.min_significance, pack.generated_by) == ("conference", "medium", users.chair)
    page = client.get(f"/cases/{case.pk}/packs/").content.decode()
    assert "Ready" in page
    assert f"/api/v1/packs/{pack.pk}/download/" in page


def test_request_form_errors_show_an_error_summary(web_as, users, case):
    response = web_as(users.sw).post(
        f"/cases/{case.pk}/packs/", {"kind": "strategy", "date_from": "2026-05-01", "date_to": "2026-04-01"}
    )
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "The end of the period must be the same as or after its start." in page
    assert 'href="#id_date_to-day"' in page
    assert not Pack.objects.exists()


def test_queued_pack_shows_progress_and_a_refresh_link_without_inline_script(web_as, users, case):
    import datetime as dt

    Pack.objects.create(
        case=case, kind="strategy", date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 2, 1), generated_by=users.sw
    )
    page = web_as(users.sw).get(f"/cases/{case.pk}/packs/").content.decode()
    assert "0% done" in page
    assert "Refresh" in page
    assert "js/pack-progress.js" in page
    assert "<script>" not in page


def test_practitioner_sees_packs_but_no_request_form(web_as, users, case):
    client = web_as(users.teacher)
    page = client.get(f"/cases/{case.pk}/packs/").content.decode()
    assert "Request a pack" not in page
    response = client.post(
        f"/cases/{case.pk}/packs/", {"kind": "strategy", "date_from": "2026-01-01", "date_to": "2026-02-01"}
    )
    assert response.status_code == 403


def test_outsider_gets_404_for_the_packs_tab(web_as, users, case):
    assert web_as(users.outsider).get(f"/cases/{case.pk}/packs/").status_code == 404
