"""Who may do what on a case they can see. Visibility itself is decided by cases_visible_to."""

from __future__ import annotations

from accounts.models import Role


def can_open_case(user) -> bool:
    return user.is_authenticated and user.has_role(Role.SOCIAL_WORKER)


def can_involve_agency(user) -> bool:
    return user.is_authenticated and user.has_role(Role.SOCIAL_WORKER)


def can_edit_people(user) -> bool:
    return user.is_authenticated and user.has_role(Role.SOCIAL_WORKER, Role.MANAGER)
