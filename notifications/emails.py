"""Notification emails. They hold no case data at all: a line saying there is something new on a
case reference, and a link to the service, where the reader signs in and the access policy decides
what they read. The subject is the same for every email and says nothing about any child."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications.models import Delivery, Notification

SUBJECT = "Something new in the shared chronology"
DIGEST_SUBJECT = "Your daily summary from the shared chronology"
FOOTER = (
    "This email holds no details of any case: sign in to the service to read them.\n"
    "You can choose which notifications are emailed on your notification settings page."
)


def _link(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def immediate_message(notification: Notification) -> EmailMessage:
    body = (
        f"There is something new for you on case {notification.case.reference}.\n\n"
        f"{_link(notification.url)}\n\n{FOOTER}\n"
    )
    return EmailMessage(SUBJECT, body, to=[notification.user.email])


def digest_message(email: str, references: list[str], count: int) -> EmailMessage:
    cases = ", ".join(references)
    what = "something new" if count == 1 else f"{count} new notifications"
    body = (
        f"There is {what} for you on {'case' if len(references) == 1 else 'cases'} {cases}.\n\n"
        f"{_link(reverse('notifications'))}\n\n{FOOTER}\n"
    )
    return EmailMessage(DIGEST_SUBJECT, body, to=[email])


def send_immediate(ids: list[int]) -> int:
    """Email the notifications (by id) whose user wants this kind straight away; marks them emailed."""
    from notifications.services import deliveries_for

    rows = list(
        Notification.objects.filter(pk__in=ids, emailed_at__isnull=True, user__is_active=True)
        .exclude(user__email="")
        .select_related("user", "case")
    )
    wanted = deliveries_for(row.user_id for row in rows)
    due = [row for row in rows if wanted[(row.user_id, row.kind)] == str(Delivery.IMMEDIATE)]
    if not due:
        return 0
    with mailers.default as connection:
        connection.send_messages([immediate_message(row) for row in due])
    Notification.objects.filter(pk__in=[row.pk for row in due]).update(emailed_at=timezone.now())
    return len(due)


def send_digests(*, now: dt.datetime | None = None) -> int:
    """One email per user for their unread, unsent notifications of kinds they take daily. Each user's
    rows are locked while their email goes, so two runs never send the same rows twice, and a failed
    send leaves them for the next run. Returns the number of emails sent."""
    from notifications.services import deliveries_for

    now = now or timezone.now()
    pending = list(
        Notification.objects.filter(
            emailed_at__isnull=True, read_at__isnull=True, created_at__lte=now, user__is_active=True
        )
        .exclude(user__email="")
        .values_list("pk", "user_id", "kind")
    )
    wanted = deliveries_for(uid for _pk, uid, _kind in pending)
    by_user: dict[int, list[int]] = defaultdict(list)
    for pk, uid, kind in pending:
        if wanted[(uid, kind)] == str(Delivery.DAILY):
            by_user[uid].append(pk)
    sent = 0
    with mailers.default as connection:
        for ids in by_user.values():
            with transaction.atomic():
                rows = list(
                    Notification.objects.select_for_update(skip_locked=True, of=("self",))
                    .filter(pk__in=ids, emailed_at__isnull=True)
                    .select_related("user", "case")
                    .order_by("id")
                )
                if not rows:
                    continue
                references = sorted({row.case.reference for row in rows})
                connection.send_messages([digest_message(rows[0].user.email, references, len(rows))])
                Notification.objects.filter(pk__in=[row.pk for row in rows]).update(emailed_at=now)
                sent += 1
    return sent
