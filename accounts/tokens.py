"""API tokens (django-rest-knox): issued at each sign-in, refused once idle or too old, revoked at
API sign-out and on any password change. Knox stores only a hash of each token."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from knox.models import AuthToken
from knox.settings import knox_settings

from accounts.models import User
from audit.services import audit_record

if TYPE_CHECKING:
    from django.http import HttpRequest


def idle_lifetime() -> dt.timedelta:
    """How long a token lives without being used (API_TOKEN_IDLE_MINUTES)."""
    lifetime: dt.timedelta = knox_settings.TOKEN_TTL
    return lifetime


def max_lifetime() -> dt.timedelta:
    """How long a token lives after sign-in however often it is used (API_TOKEN_MAX_HOURS)."""
    lifetime: dt.timedelta = knox_settings.AUTO_REFRESH_MAX_TTL
    return lifetime


def token_is_spent(token: AuthToken, *, now: dt.datetime | None = None) -> bool:
    """True once the token has been idle too long or is older than the absolute lifetime."""
    now = now or timezone.now()
    idle_out: bool = token.expiry is not None and token.expiry <= now
    too_old: bool = token.created + max_lifetime() <= now
    return idle_out or too_old


def api_token_issue(*, user: User) -> tuple[AuthToken, str]:
    """A new token for a sign-in: (the stored row, the token to hand to the client once).

    Earlier tokens of the user stay valid until they expire or are revoked (another client of
    the same user may hold one); the user's spent tokens are cleared out here."""
    with transaction.atomic():
        now = timezone.now()
        for token in AuthToken.objects.filter(user=user):
            if token_is_spent(token, now=now):
                token.delete()
        # Never issued with an expiry past the absolute lifetime, even if the idle one is longer.
        issued: tuple[AuthToken, str] = AuthToken.objects.create(user=user, expiry=min(idle_lifetime(), max_lifetime()))
        return issued


def api_token_revoke(*, token: AuthToken) -> None:
    """Revoke one token (API sign-out)."""
    token.delete()


def api_tokens_revoke_all(
    *, user: User, reason: str, acting_user: User | None = None, request: HttpRequest | None = None
) -> int:
    """Revoke every token of the user (website sign-out, password change); how many there were.
    Audited when there were any."""
    with transaction.atomic():
        deleted: int
        deleted, _ = AuthToken.objects.filter(user=user).delete()
        if deleted:
            audit_record(
                actor=acting_user,
                action="auth.tokens_revoked",
                obj=user,
                request=request,
                detail={"reason": reason, "count": deleted},
            )
    return deleted
