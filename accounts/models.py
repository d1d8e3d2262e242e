from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    SOCIAL_WORKER = "social_worker", "Social worker"
    CHAIR = "chair", "Chair"
    MANAGER = "manager", "Manager"
    ADMIN = "admin", "Administrator"


class AccountManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A practitioner: one agency, one role."""

    full_name = models.CharField(max_length=200, blank=True)
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PRACTITIONER)

    objects = AccountManager()

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    def has_role(self, *roles: str) -> bool:
        return self.is_admin or self.role in roles

    def __str__(self) -> str:
        return self.display_name
