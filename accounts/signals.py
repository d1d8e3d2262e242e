from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from accounts.models import User
from accounts.tokens import api_tokens_revoke_all
from audit.services import audit_record

if TYPE_CHECKING:
    from collections.abc import Mapping

    from django.http import HttpRequest


@receiver(user_logged_in)
def _logged_in(sender: object, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    audit_record(actor=user, action="auth.login", request=request)


@receiver(user_logged_out)
def _logged_out(sender: object, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action="auth.logout", request=request)


@receiver(user_login_failed)
def _login_failed(
    sender: object, credentials: Mapping[str, object], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    audit_record(
        actor=None,
        action="auth.login_failed",
        request=request,
        detail={"username": str(credentials.get("username", ""))[:150]},
    )


@receiver(pre_save, sender=User)
def _note_password_change(
    sender: type[User],
    instance: User,
    raw: bool = False,
    update_fields: frozenset[str] | None = None,
    **kwargs: Any,
) -> None:
    """Whatever sets a new password (the password page or API, a service, an administrator, the
    shell), the stored hash changes: note it, so that the save revokes every API token of the user.
    Other sessions end by themselves: Django ties each session to the password hash. Fixture
    loads and restores (raw saves) are left alone."""
    instance._password_hash_changed = False
    if raw or instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = User.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    instance._password_hash_changed = stored is not None and stored != instance.password


@receiver(post_save, sender=User)
def _revoke_tokens_on_password_change(sender: type[User], instance: User, raw: bool = False, **kwargs: Any) -> None:
    if raw or not getattr(instance, "_password_hash_changed", False):
        return
    instance._password_hash_changed = False
    # The actor is not known here; the password change itself is audited with it by its caller.
    api_tokens_revoke_all(user=instance, reason="password_changed")
