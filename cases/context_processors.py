"""What the page header offers the signed-in user, as the access policy decides it."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

from cases import permissions


def access(request: HttpRequest) -> dict[str, Callable[[], bool]]:
    """Callables, which templates call only when they ask: an error page that never shows the
    header never loads the user (the database may be the reason for the error)."""

    def may_read_security_log() -> bool:
        return permissions.can_read_security_log(getattr(request, "user", None))

    def may_read_audit() -> bool:
        return permissions.can_read_audit(getattr(request, "user", None))

    def may_read_review() -> bool:
        return permissions.can_read_review(getattr(request, "user", None))

    return {
        "may_read_security_log": may_read_security_log,
        "may_read_audit": may_read_audit,
        "may_read_review": may_read_review,
    }
