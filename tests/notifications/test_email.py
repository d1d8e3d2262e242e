"""Notification emails go over real SMTP (an aiosmtpd server run by the test), carry no case data
(searched for the child's names, the family name and the entry's text), follow each user's choice
of immediate, daily or no email, and never undo the change that caused them when they fail."""

from __future__ import annotations

import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from django.core.management import call_command

from cases.services import case_status_change
from notifications.models import Notification
from notifications.services import notification_preferences_set
from tests.notifications.conftest import TODAY

pytestmark = pytest.mark.django_db

ENTRY_TEXT = "Police attended a domestic abuse incident at the home; Robin and Kit were present"


class Inbox(Message):
    """Keeps every message the SMTP server receives."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[email.message.EmailMessage] = []

    def handle_message(self, message) -> None:
        self.messages.append(email.message_from_string(message.as_string(), policy=policy.default))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
        }
    }
    settings.SITE_URL = "https://chronology.example.org"
    yield inbox
    controller.stop()


@pytest.fixture
def emails(users):
    for user in (users.sw, users.hv, users.teacher):
        user.email = f"{user.username}@example.org"
        user.save()


def _text(message) -> str:
    return f"{message['Subject']}\n{message.get_body(preferencelist=('plain',)).get_content()}"


def test_an_immediate_email_reaches_a_real_smtp_server_with_no_case_data(
    team, users, people, emails, smtp, record, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entry = record(
            users.teacher,
            significance="high",
            summary=ENTRY_TEXT,
            detail="Robin said her mother's partner shouted",
            subjects=[people.child, people.baby],
        )

    received = {m["To"]: m for m in smtp.messages}
    assert set(received) == {"sw_lead@example.org", "hv_involved@example.org"}
    message = received["hv_involved@example.org"]
    text = _text(message)
    assert message["Subject"] == "Something new in the shared chronology"
    assert f"There is something new for you on case {team.reference}." in text
    assert f"https://chronology.example.org/cases/{team.pk}/chronology/{entry.pk}/" in text
    for case_data in ("Robin", "Kit", "Alex", "Testfamily", "Police", "domestic abuse", "shouted", "partner"):
        assert case_data not in text, case_data
    assert Notification.objects.filter(user=users.hv, kind="entry_significant", emailed_at__isnull=False).count() == 1


def test_the_inbox_only_choice_sends_no_email(team, users, emails, smtp, record, django_capture_on_commit_callbacks):
    notification_preferences_set(acting_user=users.hv, choices={"entry_significant": "inbox"})

    with django_capture_on_commit_callbacks(execute=True):
        record(users.teacher, significance="high", summary=ENTRY_TEXT)

    assert [m["To"] for m in smtp.messages] == ["sw_lead@example.org"]
    assert Notification.objects.filter(user=users.hv, kind="entry_significant").count() == 1


def test_daily_kinds_go_in_one_digest_once(team, users, emails, smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case_status_change(
            acting_user=users.sw,
            case=team,
            legal_status="child_protection",
            protection_category="neglect",
            effective_from=TODAY,
            reason="Conference decided on a plan",
            today=TODAY,
        )
    assert smtp.messages == []  # status changes are daily by default

    call_command("send_notification_digests")
    call_command("send_notification_digests")  # nothing left to send

    assert sorted(m["To"] for m in smtp.messages) == ["hv_involved@example.org", "teacher_involved@example.org"]
    text = _text(smtp.messages[0])
    assert f"case {team.reference}" in text and "https://chronology.example.org/notifications/" in text
    assert "Robin" not in text and "child protection" not in text.lower()


def test_a_failing_mail_server_never_undoes_the_cause(
    team, users, emails, settings, record, django_capture_on_commit_callbacks
):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": _free_port(), "timeout": 2},  # nothing listens there
        }
    }

    with django_capture_on_commit_callbacks(execute=True):
        entry = record(users.teacher, significance="high", summary=ENTRY_TEXT)

    entry.refresh_from_db()
    unsent = Notification.objects.filter(kind="entry_significant", emailed_at__isnull=True)
    assert unsent.count() == 2  # kept, not emailed: a later run may try again
