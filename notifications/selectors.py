"""Reads that depend on who is asking: the inbox and "my work". Every row starts from the cases the
user may see (cases.selectors.cases_visible_to): a notification about a case the user can no longer
see is not shown to them."""

from __future__ import annotations

from django.db.models import QuerySet

from cases.selectors import cases_visible_to
from notifications.models import Notification


def notifications_for(user: object) -> QuerySet[Notification]:
    """The user's notifications about cases they can see, newest first."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return (
        Notification.objects.filter(user=user, case__in=cases_visible_to(user)).select_related("case").order_by("-id")
    )


def unread_count(user: object) -> int:
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return notifications_for(user).filter(read_at__isnull=True).count()
