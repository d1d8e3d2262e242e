"""`Authorization: Token <token>` with django-rest-knox tokens that expire.

Knox gives the idle lifetime: each use pushes the token's expiry API_TOKEN_IDLE_MINUTES ahead
(AUTO_REFRESH, written at most once a minute, so a token may lapse up to a minute early, never
late), and it never pushes it past `created` + API_TOKEN_MAX_HOURS (AUTO_REFRESH_MAX_TTL). This
class also refuses a token older than the absolute lifetime outright, so lowering the setting
takes effect at once for tokens already issued."""

from __future__ import annotations

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication
from knox.signals import token_expired

from accounts.tokens import token_is_spent


class ExpiringTokenAuthentication(TokenAuthentication):
    def _cleanup_token(self, auth_token) -> bool:
        # Knox's version also loads every other token of the user on each request to delete the
        # expired ones; here only the presented token is checked (one query per request) and
        # spent tokens are cleared when their user next signs in (accounts.tokens).
        if token_is_spent(auth_token):
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=self.__class__, username=username, source="auth_token")
            return True
        return False


class ExpiringTokenScheme(KnoxTokenScheme):
    """The OpenAPI schema describes this class as knox's `Authorization: Token <token>` scheme."""

    target_class = "accounts.api.authentication.ExpiringTokenAuthentication"
