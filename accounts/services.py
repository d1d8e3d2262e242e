from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Role, User
from agencies.models import Agency
from audit.services import audit_record

if TYPE_CHECKING:
    from django.http import HttpRequest


def user_create(
    *,
    acting_user: User | None,
    username: str,
    password: str,
    full_name: str = "",
    agency: Agency | None = None,
    # mypy, without the Django plugin, sees a TextChoices member as the tuple that declared it.
    role: str = Role.PRACTITIONER,  # type: ignore[assignment]
    email: str = "",
) -> User:
    with transaction.atomic():
        user = User(username=username, full_name=full_name, agency=agency, role=role, email=email)
        if role != Role.ADMIN and agency is None:  # type: ignore[comparison-overlap]
            raise ValidationError({"agency": ["Every user except an administrator belongs to an agency."]})
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
        user.set_password(password)
        user.full_clean()
        user.save()
        audit_record(
            actor=acting_user,
            action="user.created",
            obj=user,
            detail={"username": username, "role": role, "agency": agency.pk if agency else None},
        )
    return user


def user_password_change(*, user: User, new_password: str, acting_user: User | None) -> User:
    """Set a new password for the user, under the same rules as a new user's password
    (AUTH_PASSWORD_VALIDATORS). Saving it revokes every API token of the user and ends the
    user's other sessions (accounts.signals); the caller keeps its own session with
    update_session_auth_hash. Audited."""
    with transaction.atomic():
        try:
            validate_password(new_password, user)
        except ValidationError as exc:
            raise ValidationError({"new_password": exc.messages}) from exc
        user.set_password(new_password)
        user.save(update_fields=["password"])
        audit_record(
            actor=acting_user,
            action="auth.password_changed",
            obj=user,
            detail={"username": user.get_username(), "by_self": acting_user is not None and acting_user.pk == user.pk},
        )
    return user


def current_password_matches(request: HttpRequest | None, *, user: User, password: str) -> bool:
    """Re-authenticate a signed-in user before a sensitive change. It goes through the sign-in
    backends, so a wrong password counts towards the sign-in lock-out (django-axes) and is
    audited as a failed sign-in; once locked out, even the right password is refused."""
    return authenticate(request, username=user.get_username(), password=password) is not None
