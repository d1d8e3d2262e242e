"""Meeting packs: a PDF of a case for a period, built in the background and kept with its provenance."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class PackKind(models.TextChoices):
    STRATEGY = "strategy", "Strategy discussion"
    CORE_GROUP = "core_group", "Core group meeting"
    CONFERENCE = "conference", "Child protection conference"
    REVIEW = "review", "Practice review (anonymised)"


class PackStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Being built"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class PackSignificance(models.TextChoices):
    """The lowest significance of chronology entries a pack includes."""

    LOW = "low", "Low and above (every entry)"
    MEDIUM = "medium", "Medium and above"
    HIGH = "high", "High only"


SIGNIFICANCE_ORDER = {"low": 0, "medium": 1, "high": 2}


class Pack(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="packs")
    kind = models.CharField(max_length=20, choices=PackKind.choices)
    date_from = models.DateField()
    date_to = models.DateField()
    min_significance = models.CharField(max_length=10, choices=PackSignificance.choices, default=PackSignificance.LOW)
    agencies = models.ManyToManyField(
        "agencies.Agency", blank=True, related_name="+", help_text="Only entries from these agencies; none means all."
    )
    status = models.CharField(max_length=10, choices=PackStatus.choices, default=PackStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    file = models.FileField(upload_to="packs/", blank=True, max_length=300)
    sha256 = models.CharField(max_length=64, blank=True)
    size_bytes = models.PositiveIntegerField(null=True, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    # Provenance: what the pack was built from, so it can be explained later.
    rule_versions = models.JSONField(default=dict, blank=True)
    flag_ids = models.JSONField(default=list, blank=True)
    entry_count = models.PositiveIntegerField(null=True, blank=True)
    # For an anonymised pack: person id -> role label. Kept with the case, never printed in the pack.
    role_labels = models.JSONField(default=dict, blank=True)
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Liveness of the background job: when it was last sent to the queue, when its build last said
    # it was alive, and how often it was sent and started. The sweeper (reporting.packs.services.
    # packs_sweep) requeues or fails a job whose worker never came or went away.
    queued_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    enqueues = models.PositiveSmallIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "-created_at"], name="pack_case_created_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(date_to__gte=models.F("date_from")), name="pack_period_ordered"),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="pack_progress_max_100"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} pack for {self.case.reference} ({self.date_from} to {self.date_to})"

    @property
    def is_anonymised(self) -> bool:
        return self.kind == PackKind.REVIEW

    @property
    def is_ready(self) -> bool:
        return self.status == PackStatus.DONE and bool(self.file)

    def waiting_notice(self, now: dt.datetime | None = None) -> str:
        """For a pack no worker has started after a while: say so, in words a chair can act on."""
        if self.status != PackStatus.QUEUED:
            return ""
        since = self.queued_at or self.created_at
        if since is None:
            return ""
        waited = ((now or timezone.now()) - since).total_seconds()
        if waited < settings.PACK_NO_WORKER_NOTICE_SECONDS:
            return ""
        minutes = max(1, round(waited / 60))
        return (
            f"No worker has started this pack yet (queued {minutes} minute{'s' if minutes != 1 else ''} ago). "
            "The background service may be busy or stopped. The pack is sent again automatically, "
            "and marked failed with a reason if no worker starts it."
        )

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.date_from and self.date_to and self.date_to < self.date_from:
            errors["date_to"] = ["The end of the period must be the same as or after its start."]
        if errors:
            raise ValidationError(errors)
