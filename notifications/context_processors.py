"""The header's count of unread notifications."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest


def unread(request: HttpRequest) -> dict[str, Callable[[], int]]:
    """A callable the header calls only when it shows (an error page never loads the user)."""

    def unread_notifications() -> int:
        from notifications.selectors import unread_count

        return unread_count(getattr(request, "user", None))

    return {"unread_notifications": unread_notifications}
