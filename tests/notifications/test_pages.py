"""The inbox, marking read (one, all, and never someone else's), the notification settings page with
its GOV.UK errors, the API's answers to bad input, and the header's unread count."""

from __future__ import annotations

import pytest

from notifications.models import Notification, NotificationPreference

pytestmark = pytest.mark.django_db


@pytest.fixture
def told_sw(team, users, record):
    record(users.hv, significance="high", summary="Police attended the home")
    record(users.teacher, significance="high", summary="Disclosure at school")
    return list(Notification.objects.filter(user=users.sw).order_by("id"))


def test_the_header_counts_unread_notifications(told_sw, users, web_as):
    page = web_as(users.sw).get("/cases/").content.decode()

    assert 'href="/notifications/"' in page and "Notifications (2" in page


def test_the_inbox_lists_the_users_notifications_newest_first(told_sw, users, web_as):
    page = web_as(users.sw).get("/notifications/").content.decode()

    assert page.index("Disclosure at school") < page.index("Police attended the home")


def test_opening_a_notification_marks_it_read_and_follows_it(told_sw, users, web_as):
    first = told_sw[0]

    response = web_as(users.sw).post(f"/notifications/{first.pk}/read/", {"open": "1"})

    assert response.status_code == 302 and response["Location"] == first.url
    first.refresh_from_db()
    assert first.read_at is not None
    assert Notification.objects.filter(user=users.sw, read_at__isnull=True).count() == 1


def test_mark_all_as_read(told_sw, users, web_as):
    response = web_as(users.sw).post("/notifications/read/")

    assert response.status_code == 302
    assert not Notification.objects.filter(user=users.sw, read_at__isnull=True).exists()


def test_nobody_marks_or_reads_someone_elses_notification(told_sw, users, web_as, api_as):
    theirs = told_sw[0]
    for user in (users.hv, users.outsider):
        assert web_as(user).post(f"/notifications/{theirs.pk}/read/").status_code == 404
        assert api_as(user).post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
        listed = [row["id"] for row in api_as(user).get("/api/v1/notifications/").json()["results"]]
        assert theirs.pk not in listed
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_notification_about_a_case_the_user_can_no_longer_see_is_hidden(told_sw, users, agencies, api_as):
    users.sw.agency = agencies.housing
    users.sw.save()

    assert api_as(users.sw).get("/api/v1/notifications/").json()["results"] == []
    assert api_as(users.sw).post(f"/api/v1/notifications/{told_sw[0].pk}/read/").status_code == 404


def test_a_bad_page_link_answers_400_with_a_link_to_the_first_page(told_sw, users, web_as, api_as):
    assert web_as(users.sw).get("/notifications/?cursor=nonsense").status_code == 400
    response = api_as(users.sw).get("/api/v1/notifications/?cursor=nonsense")
    assert response.status_code == 400 and "cursor" in response.json()


def test_the_settings_page_saves_each_kinds_choice(users, web_as):
    client = web_as(users.hv)
    assert client.get("/notifications/settings/").status_code == 200
    choices = {
        "entry_significant": "immediate",
        "flag_opened": "inbox",
        "flag_reopened": "immediate",
        "action_assigned": "daily",
        "action_overdue": "immediate",
        "meeting_invited": "daily",
        "status_changed": "inbox",
        "lead_changed": "daily",
    }

    response = client.post("/notifications/settings/", choices)

    assert response.status_code == 302
    saved = dict(NotificationPreference.objects.filter(user=users.hv).values_list("kind", "delivery"))
    assert saved == {"flag_opened": "inbox", "action_overdue": "immediate", "status_changed": "inbox"}


def test_the_settings_page_shows_specific_errors_and_saves_nothing(users, web_as):
    response = web_as(users.hv).post("/notifications/settings/", {"entry_significant": "hourly"})

    page = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in page
    assert "Select straight away, once a day or no email." in page
    assert "Select how you want to hear of this: a flag opens." in page
    assert not NotificationPreference.objects.exists()


def test_the_api_answers_404_for_a_notification_id_that_is_not_a_number_or_too_big(users, api_as):
    client = api_as(users.hv)
    assert client.post("/api/v1/notifications/99999999999999999999/read/").status_code == 404
    assert client.post("/api/v1/notifications/0/read/").status_code == 404


def test_signed_out_requests_are_refused(client):
    assert client.get("/notifications/").status_code == 302
    assert client.get("/my-work/").status_code == 302
    assert client.get("/api/v1/me/work/").status_code in (401, 403)
