"""Information sharing: what each professional is told about the cases they work on, how they
want to hear of it, and which flags the service already knows to be open on each case.

Notifications are written in the transaction of the change that causes them (services.py) and
emailed after it commits; an email never carries case data (emails.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

TEXT_MAX_LENGTH = 500
URL_MAX_LENGTH = 300
KEY_MAX_LENGTH = 120


class Kind(models.TextChoices):
    ENTRY_SIGNIFICANT = "entry_significant", "A high-significance entry by another agency"
    FLAG_OPENED = "flag_opened", "A flag opens"
    FLAG_REOPENED = "flag_reopened", "A reviewed flag opens again with new evidence"
    ACTION_ASSIGNED = "action_assigned", "An action is assigned to you or your agency"
    ACTION_OVERDUE = "action_overdue", "An action becomes overdue"
    MEETING_INVITED = "meeting_invited", "Your agency is invited to a meeting"
    STATUS_CHANGED = "status_changed", "A case's legal status changes, or the case closes or reopens"
    LEAD_CHANGED = "lead_changed", "A case is handed to a new lead professional"


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", "Email me straight away"
    DAILY = "daily", "Email me once a day (a daily digest)"
    INBOX = "inbox", "Only show it in my notifications, no email"


# The sensible default: what may need acting on today is emailed at once, the rest once a day.
DEFAULT_DELIVERY: dict[str, str] = {
    Kind.ENTRY_SIGNIFICANT: Delivery.IMMEDIATE,
    Kind.FLAG_OPENED: Delivery.IMMEDIATE,
    Kind.FLAG_REOPENED: Delivery.IMMEDIATE,
    Kind.ACTION_ASSIGNED: Delivery.DAILY,
    Kind.ACTION_OVERDUE: Delivery.DAILY,
    Kind.MEETING_INVITED: Delivery.DAILY,
    Kind.STATUS_CHANGED: Delivery.DAILY,
    Kind.LEAD_CHANGED: Delivery.DAILY,
}


class Notification(models.Model):
    """One thing one professional is told about one case. `key` names the cause for kinds that
    must be told once only (an action overdue since a date): the constraint keeps it once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="notifications")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    text = models.CharField(max_length=TEXT_MAX_LENGTH)
    url = models.CharField(max_length=URL_MAX_LENGTH)
    key = models.CharField(max_length=KEY_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "key"], condition=~models.Q(key=""), name="notification_told_once"
            )
        ]
        indexes = [
            models.Index(fields=["user", "-id"], name="notification_user_idx"),
            models.Index(fields=["user"], condition=models.Q(read_at__isnull=True), name="notification_unread_idx"),
            models.Index(
                fields=["user", "kind"], condition=models.Q(emailed_at__isnull=True), name="notification_unsent_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id} on case {self.case_id}"

    @property
    def read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """How one user wants to hear of one kind; without a row, DEFAULT_DELIVERY decides."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["user", "kind"]
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.delivery}"


class CaseFlagState(models.Model):
    """The flags the service last knew for a case, {"rule key": status}, status being open, reviewed
    or reopened as the Flags tab says it. Compared with a fresh evaluation after each entry write to
    tell people of a flag that opens or opens again, and read by "my work" for unreviewed counts."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="flag_state")
    flags = models.JSONField(default=dict, blank=True)
    evaluated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"flags of case {self.case_id} at {self.evaluated_at}"

    @property
    def unreviewed(self) -> int:
        return sum(1 for status in self.flags.values() if status in ("open", "reopened"))
