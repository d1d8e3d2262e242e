"""The case, the aggregate everything else hangs from: its people and the agencies involved in it.

The tables keep their original names (they were created by the chronology app's first migration).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from core.bounds import TextLengthValidator
from core.models import EnteredInError


class LegalStatus(models.TextChoices):
    EARLY_HELP = "early_help", "Early help"
    CHILD_IN_NEED = "child_in_need", "Child in need"
    CHILD_PROTECTION = "child_protection", "Child protection plan"
    LOOKED_AFTER = "looked_after", "Looked after"


class ProtectionCategory(models.TextChoices):
    NEGLECT = "neglect", "Neglect"
    PHYSICAL = "physical_abuse", "Physical abuse"
    EMOTIONAL = "emotional_abuse", "Emotional abuse"
    SEXUAL = "sexual_abuse", "Sexual abuse"
    MULTIPLE = "multiple", "Multiple"


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Case(models.Model):
    # The audit trail names objects by their first app label, which rows written before the move carry.
    audit_object_type = "chronology.case"

    reference = models.CharField(
        max_length=40,
        unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9][A-Za-z0-9/_.-]*$", "Use letters, digits, / _ . or - only.")],
    )
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_on = models.DateField(default=timezone.localdate)
    closed_on = models.DateField(null=True, blank=True)
    lead_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="led_cases")
    lead_professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="led_cases"
    )
    legal_status = models.CharField(max_length=20, choices=LegalStatus.choices)
    protection_category = models.CharField(max_length=20, choices=ProtectionCategory.choices, blank=True)
    agencies = models.ManyToManyField("agencies.Agency", through="CaseAgency", related_name="cases")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "chronology_case"
        ordering = ["reference"]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def clean(self) -> None:
        errors = {}
        if self.closed_on and self.opened_on and self.closed_on < self.opened_on:
            errors["closed_on"] = ["The case cannot close before it opened."]
        if self.status == CaseStatus.CLOSED and not self.closed_on:
            errors["closed_on"] = ["A closed case needs the date it closed."]
        if self.protection_category and self.legal_status != LegalStatus.CHILD_PROTECTION:
            errors["protection_category"] = ["A category applies only to a child protection plan."]
        if errors:
            raise ValidationError(errors)


class CaseAgency(models.Model):
    """An agency involved in a case: its users can see the case."""

    audit_object_type = "chronology.caseagency"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="involvements")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="involvements")
    involved_on = models.DateField(default=timezone.localdate)
    involved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        db_table = "chronology_caseagency"
        constraints = [models.UniqueConstraint(fields=["case", "agency"], name="case_agency_unique")]
        indexes = [models.Index(fields=["agency", "case"], name="caseagency_agency_case_idx")]

    def __str__(self) -> str:
        return f"{self.agency} in {self.case}"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Unknown"


class DatePrecision(models.TextChoices):
    DAY = "day", "Exact day"
    MONTH = "month", "Month only"
    YEAR = "year", "Year only"
    ESTIMATED = "estimated", "Estimated"


def nhs_number_is_valid(value: str) -> bool:
    """NHS numbers are ten digits whose last is a modulus 11 check digit."""
    digits = value.replace(" ", "")
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


class Person(EnteredInError):
    audit_object_type = "chronology.person"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="people")
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    known_as = models.CharField(max_length=200, blank=True, help_text="Other names and aliases, comma-separated.")
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    date_of_birth = models.DateField(null=True, blank=True)
    date_of_birth_precision = models.CharField(max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY)
    date_of_death = models.DateField(null=True, blank=True)
    expected_date_of_delivery = models.DateField(null=True, blank=True)
    ethnicity = models.CharField(max_length=100, blank=True)
    first_language = models.CharField(max_length=100, blank=True)
    interpreter_needed = models.BooleanField(default=False)
    nhs_number = models.CharField(max_length=12, blank=True)
    is_subject = models.BooleanField(default=False)
    independently_mobile = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "chronology_person"
        ordering = ["id"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        name = " ".join(part for part in (self.given_name, self.family_name) if part)
        return name or self.known_as or "Unnamed person"

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None and self.expected_date_of_delivery is not None

    def age_on(self, on: dt.date) -> int | None:
        """Age in whole years on a date, or None when the date of birth is not recorded."""
        if self.date_of_birth is None or on < self.date_of_birth:
            return None
        dob: dt.date = self.date_of_birth
        return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))

    def age_in_months_on(self, on: dt.date) -> int | None:
        if self.date_of_birth is None or on < self.date_of_birth:
            return None
        dob: dt.date = self.date_of_birth
        return (on.year - dob.year) * 12 + on.month - dob.month - (on.day < dob.day)

    def mobile_on(self, on: dt.date) -> bool | None:
        """Recorded mobility, else derived from age: under 6 months is not independently mobile."""
        recorded: bool | None = self.independently_mobile
        if recorded is not None:
            return recorded
        months = self.age_in_months_on(on)
        if months is None:
            return False if self.is_unborn else None
        if months < 6:
            return False
        if months >= 18:
            return True
        return None

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        today = timezone.localdate()
        if not (self.given_name or self.family_name or self.known_as):
            errors["given_name"] = ["Enter a name, or what the person is known as."]
        if self.date_of_birth and self.date_of_birth > today:
            errors["date_of_birth"] = [
                "Date of birth must be today or in the past. For an unborn child, use the expected date of delivery."
            ]
        if self.date_of_death:
            if self.date_of_death > today:
                errors["date_of_death"] = ["Date of death must be today or in the past."]
            elif self.date_of_birth and self.date_of_death < self.date_of_birth:
                errors["date_of_death"] = ["Date of death must be on or after the date of birth."]
        if self.expected_date_of_delivery and self.date_of_birth:
            errors.setdefault("expected_date_of_delivery", []).append(
                "An expected date of delivery is for an unborn child: this person has a date of birth."
            )
        if self.nhs_number and not nhs_number_is_valid(self.nhs_number):
            errors["nhs_number"] = ["Enter a valid 10-digit NHS number, like 943 476 5919."]
        if errors:
            raise ValidationError(errors)


# --- The case over time: legal status, closures, lead handovers, the team, the summary -----------

REASON_LIMIT = 2_000
SUMMARY_LIMIT = 10_000
ROLE_IN_CASE_LIMIT = 200


def _reason_field(label: str = "Reason", *, blank: bool = False) -> Any:
    return models.TextField(blank=blank, validators=[TextLengthValidator(REASON_LIMIT, label)])


class LegalStatusChange(models.Model):
    """One row of the case's legal-status history. It holds from `effective_from` up to, not
    including, the next row's `effective_from` (half-open); the last row is the current status.
    One row per date, so the history has neither gaps nor overlaps: the first row starts on the
    day the case opened, and each later row ends the one before it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="status_history")
    legal_status = models.CharField(max_length=20, choices=LegalStatus.choices)
    protection_category = models.CharField(max_length=20, choices=ProtectionCategory.choices, blank=True)
    effective_from = models.DateField()
    reason = _reason_field(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["case", "effective_from"], name="legal_status_one_per_day"),
            models.CheckConstraint(
                condition=models.Q(protection_category="") | models.Q(legal_status=LegalStatus.CHILD_PROTECTION),
                name="legal_status_category_only_for_plan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.get_legal_status_display()} from {self.effective_from}"

    def clean(self) -> None:
        if self.protection_category and self.legal_status != LegalStatus.CHILD_PROTECTION:
            raise ValidationError({"protection_category": ["A category applies only to a child protection plan."]})
        if self.legal_status == LegalStatus.CHILD_PROTECTION and not self.protection_category:
            raise ValidationError({"protection_category": ["Select the category of the child protection plan."]})


class ClosureOutcome(models.TextChoices):
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    STEPPED_DOWN_EARLY_HELP = "stepped_down_early_help", "Stepped down to early help"
    STEPPED_DOWN_UNIVERSAL = "stepped_down_universal", "Stepped down to universal services"
    MOVED_AREA = "moved_area", "Moved out of the area"
    TRANSFERRED = "transferred", "Transferred to another authority"
    OTHER = "other", "Other"


class CaseClosure(models.Model):
    """A period the case was closed: from `closed_on` up to, not including, `reopened_on`."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="closures")
    closed_on = models.DateField()
    outcome = models.CharField(max_length=30, choices=ClosureOutcome.choices)
    reason = _reason_field()
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(default=timezone.now)
    reopened_on = models.DateField(null=True, blank=True)
    reopen_reason = _reason_field("Reason for reopening", blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reopened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "closed_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(reopened_on__isnull=True), name="case_closure_one_open"
            ),
            models.CheckConstraint(
                condition=models.Q(reopened_on__isnull=True) | models.Q(reopened_on__gte=models.F("closed_on")),
                name="case_closure_reopened_after_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.reference} closed {self.closed_on}"


class LeadHandover(models.Model):
    """The lead professional changed hands, with the reason."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="handovers")
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    handed_over_on = models.DateField(default=timezone.localdate)
    reason = _reason_field()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.case.reference} handed over on {self.handed_over_on}"


class TeamMember(models.Model):
    """A professional in the team around the child, from a date until the day they left (half-open)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_teams")
    role_in_case = models.CharField(max_length=ROLE_IN_CASE_LIMIT)
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case", "started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"], condition=models.Q(ended_on__isnull=True), name="team_member_once_at_a_time"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="team_member_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role_in_case}) in {self.case.reference}"


class CaseSummaryRevision(models.Model):
    """One revision of the case summary; the highest revision is the current summary."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="summary_revisions")
    revision = models.PositiveIntegerField()
    text = models.TextField(validators=[TextLengthValidator(SUMMARY_LIMIT, "The summary")])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "revision"]
        constraints = [models.UniqueConstraint(fields=["case", "revision"], name="case_summary_revision_unique")]

    def __str__(self) -> str:
        return f"{self.case.reference} summary revision {self.revision}"
