from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Role, User
from agencies.models import Agency
from audit.services import audit_record


def user_create(
    *,
    acting_user: User | None,
    username: str,
    password: str,
    full_name: str = "",
    agency: Agency | None = None,
    role: str = Role.PRACTITIONER,
    email: str = "",
) -> User:
    with transaction.atomic():
        user = User(username=username, full_name=full_name, agency=agency, role=role, email=email)
        if role != Role.ADMIN and agency is None:
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
