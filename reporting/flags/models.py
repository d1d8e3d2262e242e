"""Flag reviews and per-case rule settings. Both are append-only histories: the latest row counts."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

# Bounds on the free text of flag reviews and rule changes: enough for a considered rationale, short
# of anything that would slow the Flags tab, the audit trail or a pack that prints it.
REVIEW_RATIONALE_MAX_CHARS = 5000
RULE_SETTING_REASON_MAX_CHARS = 2000
RULE_PARAM_TEXT_MAX_CHARS = 1000


class FlagDecision(models.TextChoices):
    ACTION_AGREED = "action_agreed", "Concern: action agreed"
    IN_PLAN = "in_plan", "Known and addressed in the current plan"
    ESCALATED = "escalated", "Escalated for a strategy discussion or management decision"
    NOT_A_CONCERN = "not_a_concern", "Not a concern here, for the reasons given"


class FlagReview(models.Model):
    """A professional's decision about one flag, with the evidence it was made on.

    A flag is identified within its case by its rule id and key (usually the person it is about).
    If the flag later names evidence this review did not see, the flag is open again.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="flag_reviews")
    rule = models.CharField(max_length=60)
    flag_key = models.CharField(max_length=120)
    evidence = models.JSONField(default=list, blank=True, help_text="Entry ids the flag named when reviewed.")
    people = models.JSONField(default=list, blank=True)
    explanation = models.TextField(help_text="The flag's explanation as the reviewer read it.")
    flag_date = models.DateField(help_text="The date the flags were evaluated as of.")
    decision = models.CharField(max_length=20, choices=FlagDecision.choices)
    rationale = models.TextField()
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="flag_reviews")
    reviewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "rule", "flag_key", "reviewed_at", "id"]
        indexes = [models.Index(fields=["case", "rule", "flag_key", "reviewed_at"], name="flagreview_flag_idx")]

    def __str__(self) -> str:
        return f"{self.rule} {self.flag_key}: {self.get_decision_display()}"

    def clean(self) -> None:
        if not self.rationale.strip():
            raise ValidationError({"rationale": ["Enter the rationale for the decision."]})


class RuleSetting(models.Model):
    """A case's own parameters for one rule, with why they were changed. Empty params means the defaults."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="rule_settings")
    rule = models.CharField(max_length=60)
    params = models.JSONField(default=dict, blank=True)
    reason = models.TextField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "rule", "changed_at", "id"]
        indexes = [models.Index(fields=["case", "rule", "changed_at"], name="rulesetting_case_rule_idx")]

    def __str__(self) -> str:
        return f"{self.rule} for case {self.case_id}: {self.params or 'defaults'}"

    def clean(self) -> None:
        if not self.reason.strip():
            raise ValidationError({"reason": ["Enter the reason for changing this rule for this case."]})
