from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.bounds import TextLengthValidator


class EntryKind(models.TextChoices):
    """The vocabulary of entry kinds. Codes are the API contract; labels are for people."""

    INJURY = "injury", "Injury"
    APPOINTMENT_ATTENDED = "appointment_attended", "Appointment attended"
    APPOINTMENT_MISSED = "appointment_missed", "Appointment missed (was not brought / did not attend)"
    APPOINTMENT_CANCELLED = "appointment_cancelled", "Appointment cancelled"
    HOME_VISIT = "home_visit", "Home visit"
    HOME_VISIT_NO_ACCESS = "home_visit_no_access", "Home visit: no access"
    HOME_VISIT_CANCELLED = "home_visit_cancelled", "Home visit cancelled"
    CHILD_SEEN = "child_seen", "Child seen (direct work, the child's voice)"
    SCHOOL_ABSENCE = "school_absence", "School absence"
    SCHOOL_EXCLUSION = "school_exclusion", "School exclusion"
    ELECTIVE_HOME_EDUCATION = "elective_home_education", "Elective home education"
    HOSPITAL_ATTENDANCE = "hospital_attendance", "Hospital attendance"
    DOMESTIC_ABUSE_INCIDENT = "domestic_abuse_incident", "Domestic abuse incident"
    PARENTAL_MENTAL_HEALTH = "parental_mental_health", "Parental mental health"
    PARENTAL_SUBSTANCE_MISUSE = "parental_substance_misuse", "Parental substance misuse"
    HOUSEHOLD_CHANGE = "household_change", "Household change"
    REFERRAL_MADE = "referral_made", "Referral made"
    REFERRAL_OUTCOME = "referral_outcome", "Referral outcome"
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
    CP_CONFERENCE = "cp_conference", "Child protection conference"
    CORE_GROUP = "core_group", "Core group"
    CASE_OPENED = "case_opened", "Case opened"
    CASE_CLOSED = "case_closed", "Case closed"
    STEPPED_UP = "stepped_up", "Stepped up"
    STEPPED_DOWN = "stepped_down", "Stepped down"
    DISCLOSURE = "disclosure", "Disclosure"
    ALLEGATION = "allegation", "Allegation"
    MISSING_EPISODE = "missing_episode", "Missing episode"
    POLICE_CONTACT = "police_contact", "Police contact"
    HOUSING = "housing", "Housing"
    SELF_HARM = "self_harm", "Self-harm"
    PREGNANCY = "pregnancy", "Pregnancy"
    BIRTH = "birth", "Birth"
    SAFER_SLEEP = "safer_sleep", "Safer sleep"
    SEXUAL_ACTIVITY = "sexual_activity", "Sexual activity"
    ADULT_CHECK = "adult_check", "Adult check (agency checks on an adult)"
    ASSESSMENT = "assessment", "Assessment"
    NOTE = "note", "Note"


# Kinds that may be dated before the subject child was born: the pregnancy itself and the
# pre-birth work about an unborn child (referral, pre-birth assessment, strategy discussion,
# pre-birth conference, safer sleep advice).
PRE_BIRTH_KINDS = frozenset(
    {
        EntryKind.PREGNANCY,
        EntryKind.BIRTH,
        EntryKind.SAFER_SLEEP,
        EntryKind.ASSESSMENT,
        EntryKind.REFERRAL_MADE,
        EntryKind.REFERRAL_OUTCOME,
        EntryKind.STRATEGY_DISCUSSION,
        EntryKind.CP_CONFERENCE,
        EntryKind.CASE_OPENED,
    }
)


class EntryDatePrecision(models.TextChoices):
    DAY = "day", "Exact day"
    MONTH = "month", "Month only"
    YEAR = "year", "Year only"


class Significance(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class EntrySource(models.TextChoices):
    OBSERVED = "observed", "Observed by the practitioner"
    SELF_REPORTED = "self_reported", "Self-reported"
    CHILD_VOICE = "child_voice", "The child's own words"
    THIRD_PARTY = "third_party", "Third party"
    RECORD = "record", "From a record"


class AdultCheckType(models.TextChoices):
    """Which check an agency made on an adult (an `adult_check` entry)."""

    POLICE = "police", "Police checks"
    CHILDRENS_SERVICES = "childrens_services", "Children's services history"
    PROBATION = "probation", "Probation"
    HEALTH = "health", "Health"
    OTHER = "other", "Other"


class AdultCheckResult(models.TextChoices):
    NO_CONCERNS = "no_concerns", "No concerns"
    CONCERNS = "concerns", "Concerns found"
    PENDING = "pending", "Pending or not known"


class SleepSpace(models.TextChoices):
    """What was seen of where an infant sleeps."""

    SEEN_SAFE = "seen_safe", "Seen and safe"
    SEEN_UNSAFE = "seen_unsafe", "Seen and not safe"
    NOT_SEEN = "not_seen", "Not seen"


# Limits on an entry's free text, far beyond any real recording: a pasted document or a generated
# string is refused (core.bounds says how) instead of slowing every page, export and pack. The
# limits are validators, not database constraints: services.validate_entry checks them
# (core.bounds.text_length_errors) and the API and page forms mirror them as max_length.
DETAIL_MAX_LENGTH = 20_000
ACTION_MAX_LENGTH = 5_000
REASON_MAX_LENGTH = 2_000


class EntryContent(models.Model):
    """The content of one revision of an entry, shared by the entry (current) and its revisions."""

    occurred_on = models.DateField()
    occurred_time = models.TimeField(null=True, blank=True)
    date_precision = models.CharField(max_length=5, choices=EntryDatePrecision.choices, default=EntryDatePrecision.DAY)
    kind = models.CharField(max_length=40, choices=EntryKind.choices)
    summary = models.CharField(max_length=300)
    detail = models.TextField(blank=True, validators=[TextLengthValidator(DETAIL_MAX_LENGTH, "detail")])
    child_voice = models.TextField(
        "child's voice",
        blank=True,
        validators=[TextLengthValidator(DETAIL_MAX_LENGTH, "child's voice")],
        help_text="The child's own words, as they said them.",
    )
    significance = models.CharField(max_length=6, choices=Significance.choices, default=Significance.MEDIUM)
    source = models.CharField(max_length=20, choices=EntrySource.choices, default=EntrySource.OBSERVED)
    injury_body_site = models.CharField(max_length=200, blank=True)
    injury_type = models.CharField(max_length=200, blank=True)
    injury_explanation = models.TextField(
        blank=True, validators=[TextLengthValidator(ACTION_MAX_LENGTH, "injury explanation")]
    )
    injury_explanation_consistent = models.BooleanField(null=True, blank=True)
    # An adult check (kind `adult_check`): which check, and what it found. The agency that made
    # it is the entry's agency. Blank on every other kind.
    adult_check_type = models.CharField("check made", max_length=20, choices=AdultCheckType.choices, blank=True)
    adult_check_result = models.CharField("check result", max_length=20, choices=AdultCheckResult.choices, blank=True)
    # Safer sleep, on a `safer_sleep` entry or any contact that looked at an infant's sleep
    # (None: not recorded).
    safer_sleep_advice_given = models.BooleanField("safer sleep advice given", null=True, blank=True)
    safer_sleep_co_sleeping = models.BooleanField("co-sleeping", null=True, blank=True)
    safer_sleep_space = models.CharField("sleep space", max_length=20, choices=SleepSpace.choices, blank=True)
    action = models.TextField(blank=True, validators=[TextLengthValidator(ACTION_MAX_LENGTH, "action")])
    outcome = models.TextField(blank=True, validators=[TextLengthValidator(ACTION_MAX_LENGTH, "outcome")])
    no_action_reason = models.TextField(
        "reason no action was taken",
        blank=True,
        validators=[TextLengthValidator(ACTION_MAX_LENGTH, "reason no action was taken")],
    )
    restricted = models.BooleanField(default=False)

    class Meta:
        abstract = True


CONTENT_FIELDS = (
    "occurred_on",
    "occurred_time",
    "date_precision",
    "kind",
    "summary",
    "detail",
    "child_voice",
    "significance",
    "source",
    "injury_body_site",
    "injury_type",
    "injury_explanation",
    "injury_explanation_consistent",
    "adult_check_type",
    "adult_check_result",
    "safer_sleep_advice_given",
    "safer_sleep_co_sleeping",
    "safer_sleep_space",
    "action",
    "outcome",
    "no_action_reason",
    "restricted",
)
PEOPLE_FIELDS = ("subjects", "present", "seen", "seen_alone")


class EntryNotDeletable(Exception):
    """Raised when code tries to delete an entry: entries are retracted, never deleted."""


class ChronologyEntryQuerySet(models.QuerySet):
    def delete(self):
        raise EntryNotDeletable("Chronology entries are never deleted: retract the entry instead.")

    _raw_delete = delete


class ChronologyEntry(EntryContent):
    """One event recorded by one agency. Never edited in place: see EntryRevision.

    The current revision's content is copied onto the entry so lists and filters need no join.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="entries")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="entries")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="entries")
    recorded_at = models.DateTimeField(default=timezone.now)
    agency_ref = models.CharField("agency reference", max_length=100, blank=True)
    sequence = models.PositiveIntegerField(default=0, help_text="Order within the day when the time is unknown.")
    revision = models.PositiveIntegerField(default=1)
    amended = models.BooleanField(default=False)
    retracted = models.BooleanField(default=False)
    subjects = models.ManyToManyField("cases.Person", blank=True, related_name="entries_about")
    present = models.ManyToManyField("cases.Person", blank=True, related_name="entries_present")
    seen = models.ManyToManyField("cases.Person", blank=True, related_name="entries_seen")
    seen_alone = models.ManyToManyField("cases.Person", blank=True, related_name="entries_seen_alone")

    objects = ChronologyEntryQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_on", "sequence", "id"]
        verbose_name_plural = "chronology entries"
        constraints = [
            models.UniqueConstraint(
                fields=["case", "agency", "agency_ref"],
                condition=~models.Q(agency_ref=""),
                name="entry_agency_ref_unique",
                violation_error_message="This agency already has an entry with that reference in this case.",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "occurred_on", "sequence", "id"], name="entry_case_order_idx"),
            models.Index(fields=["case", "agency", "occurred_on"], name="entry_case_agency_idx"),
            models.Index(fields=["case", "kind", "occurred_on"], name="entry_case_kind_idx"),
            models.Index(fields=["case", "significance", "occurred_on"], name="entry_case_sig_idx"),
            # "My work": a case's entries recorded since the user last opened it, by someone else,
            # counted from the index alone.
            models.Index(fields=["case", "recorded_at", "recorded_by"], name="entry_case_recorded_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_kind_display()}: {self.summary}"

    def delete(self, *args, **kwargs):
        raise EntryNotDeletable("Chronology entries are never deleted: retract the entry instead.")

    @property
    def has_injury(self) -> bool:
        return bool(self.injury_body_site or self.injury_type or self.injury_explanation)

    @property
    def occurred_display(self) -> str:
        """The date as precisely as it is known: never the first of the month for a month-only date."""
        return format_entry_date(self.occurred_on, self.date_precision)


@functools.lru_cache(maxsize=8192)
def format_entry_date(on: dt.date, precision: str) -> str:
    if precision == EntryDatePrecision.YEAR:
        return f"{on.year} (year only)"
    if precision == EntryDatePrecision.MONTH:
        return f"{on:%B %Y} (month only)"
    return f"{on.day} {on:%B %Y}"


class ImmutableRevisionError(Exception):
    """Raised when code tries to change or remove an entry revision."""


class EntryRevisionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRevisionError("Entry revisions are never changed: amend the entry instead.")

    def delete(self):
        raise ImmutableRevisionError("Entry revisions are never deleted.")

    _raw_delete = delete
    bulk_update = update


class EntryRevision(EntryContent):
    """An immutable snapshot of an entry at one revision: who changed it, when and why."""

    entry = models.ForeignKey(ChronologyEntry, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    subjects = models.JSONField(default=list, blank=True)
    present = models.JSONField(default=list, blank=True)
    seen = models.JSONField(default=list, blank=True)
    seen_alone = models.JSONField(default=list, blank=True)
    reason = models.TextField(blank=True, validators=[TextLengthValidator(REASON_MAX_LENGTH, "reason")])
    retracted = models.BooleanField(default=False)
    revised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revised_at = models.DateTimeField(default=timezone.now)

    objects = EntryRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["entry", "number"]
        constraints = [models.UniqueConstraint(fields=["entry", "number"], name="entry_revision_number_unique")]

    def __str__(self) -> str:
        return f"Revision {self.number} of entry {self.entry_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableRevisionError("Entry revisions are never changed: amend the entry instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRevisionError("Entry revisions are never deleted.")
