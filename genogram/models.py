"""Family structure over time: relationships, households and their members, and the ecomap.

Date ranges are half-open: a relationship or a household membership holds on every date d with
start <= d < end. Someone who moves out on 1 March and into a new home on 1 March lives in exactly
one household on every date, and "ended on" is the first day it no longer held.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from cases.models import DatePrecision, Person
from core.models import EnteredInError


class RelationshipKind(models.TextChoices):
    BIOLOGICAL_PARENT = "biological_parent", "Biological parent"
    ADOPTIVE_PARENT = "adoptive_parent", "Adoptive parent"
    STEP_PARENT = "step_parent", "Step-parent"
    FOSTER_CARER = "foster_carer", "Foster carer"
    KINSHIP_CARER = "kinship_carer", "Kinship carer"
    MARRIED = "married", "Married"
    COHABITING = "cohabiting", "Cohabiting"
    PARTNER = "partner", "Partner (not living together)"
    SEPARATED = "separated", "Separated"
    DIVORCED = "divorced", "Divorced"
    SIBLING = "sibling", "Sibling (no shared parent recorded)"
    CLOSE = "close", "Close"
    DISTANT = "distant", "Distant"
    CONFLICT = "conflict", "Conflict"
    ABUSE = "abuse", "Abuse"
    CUTOFF = "cutoff", "Cut off"


#: from = adult, to = child
PARENT_KINDS = frozenset({"biological_parent", "adoptive_parent", "step_parent", "foster_carer", "kinship_carer"})
#: the legal and biological parents: siblings are derived from these
LINEAGE_KINDS = frozenset({"biological_parent", "adoptive_parent"})
PARTNERSHIP_KINDS = frozenset({"married", "cohabiting", "partner", "separated", "divorced"})
#: partnerships that are going on (separated and divorced ones are over)
CURRENT_PARTNERSHIP_KINDS = frozenset({"married", "cohabiting", "partner"})
EMOTIONAL_KINDS = frozenset({"close", "distant", "conflict", "abuse", "cutoff"})


#: Free text on the family structure has a limit no practitioner reaches in ordinary recording (a
#: household name 200, an address 500, a resource name 200, a note 2,000 characters); services,
#: API serializers and page forms all refuse longer text with core.bounds' message naming it.
NOTE_MAX_LENGTH = 2000


def ranges_overlap(a_start, a_end, b_start, b_end) -> bool:
    """Half-open ranges [start, end); a missing start is 'always was', a missing end 'still is'."""
    lo = dt.date.min
    hi = dt.date.max
    return (a_start or lo) < (b_end or hi) and (b_start or lo) < (a_end or hi)


class Relationship(EnteredInError):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="relationships")
    from_person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="relationships_from")
    to_person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="relationships_to")
    kind = models.CharField(max_length=20, choices=RelationshipKind.choices)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    note = models.CharField("note", max_length=NOTE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["start_date", "id"]
        indexes = [models.Index(fields=["case", "kind"], name="relationship_case_kind_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(from_person=models.F("to_person")), name="relationship_not_to_self"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gt=models.F("start_date")),
                name="relationship_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_person} {self.get_kind_display().lower()} {self.to_person}"

    def active_on(self, on: dt.date) -> bool:
        return (self.start_date is None or self.start_date <= on) and (self.end_date is None or on < self.end_date)

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.from_person_id and self.from_person_id == self.to_person_id:
            errors.setdefault("to_person", []).append("A person cannot be related to themselves.")
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            errors.setdefault("end_date", []).append("The end date must be after the start date.")
        people = [p for p in (self._person("from_person"), self._person("to_person")) if p is not None]
        for field, person in (("from_person", self._person("from_person")), ("to_person", self._person("to_person"))):
            if person is not None and self.case_id and person.case_id != self.case_id:
                errors.setdefault(field, []).append("Choose someone recorded in this case.")
            elif person is not None and self._state.adding and _entered_in_error(person):
                errors.setdefault(field, []).append(f"{person.full_name} was entered in error: choose someone else.")
        if errors or len(people) < 2:
            if errors:
                raise ValidationError(errors)
            return
        parent, child = people
        if self.kind in PARENT_KINDS:
            if parent.date_of_birth and child.date_of_birth and parent.date_of_birth >= child.date_of_birth:
                errors.setdefault("from_person", []).append(
                    f"{parent.full_name} is not older than {child.full_name}: a parent must be older than the child."
                )
            if self.kind == "biological_parent":
                others = Relationship.objects.live().filter(
                    case_id=self.case_id, to_person=child, kind="biological_parent"
                )
                others = others.exclude(pk=self.pk).exclude(from_person=parent)
                if others.count() >= 2:
                    errors.setdefault("from_person", []).append(
                        f"{child.full_name} already has two biological parents recorded."
                    )
        if self.kind in PARTNERSHIP_KINDS:
            pair = Q(from_person=parent, to_person=child) | Q(from_person=child, to_person=parent)
            for other in (
                Relationship.objects.live()
                .filter(pair, case_id=self.case_id, kind__in=PARTNERSHIP_KINDS)
                .exclude(pk=self.pk)
            ):
                if ranges_overlap(self.start_date, self.end_date, other.start_date, other.end_date):
                    errors.setdefault("start_date", []).append(
                        f"These two people are already recorded as {other.get_kind_display().lower()} "
                        f"for part of this period ({_period(other)}). End that record first, or choose dates "
                        "that do not overlap."
                    )
                    break
        if self.kind == "sibling":
            shared = set(
                Relationship.objects.live()
                .filter(to_person=parent, kind__in=LINEAGE_KINDS)
                .values_list("from_person", flat=True)
            ) & set(
                Relationship.objects.live()
                .filter(to_person=child, kind__in=LINEAGE_KINDS)
                .values_list("from_person", flat=True)
            )
            if shared:
                errors.setdefault("kind", []).append(
                    "These two share a recorded parent, so they are already siblings: record a sibling "
                    "relationship only where no shared parent is recorded."
                )
        if errors:
            raise ValidationError(errors)

    def _person(self, field: str):
        if getattr(self, f"{field}_id") is None:
            return None
        return getattr(self, field)


def _entered_in_error(person) -> bool:
    """Read from the database, not the caller's copy: the person may have been marked since it was loaded."""
    return bool(Person.objects.entered_in_error().filter(pk=person.pk).exists())


def _period(obj) -> str:
    start = obj.start_date.isoformat() if obj.start_date else "an unknown date"
    end = obj.end_date.isoformat() if obj.end_date else "now"
    return f"from {start} to {end}"


class Household(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="households")
    label = models.CharField("household name", max_length=200)
    address = models.CharField("address", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.label


class HouseholdMember(EnteredInError):
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="household_memberships")
    from_date = models.DateField()
    to_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["from_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_date__isnull=True) | Q(to_date__gt=models.F("from_date")),
                name="household_member_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.household}"

    def active_on(self, on: dt.date) -> bool:
        return self.from_date <= on and (self.to_date is None or on < self.to_date)

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.from_date and self.to_date and self.to_date <= self.from_date:
            errors["to_date"] = ["The date they left must be after the date they joined."]
        if self.person_id and self.household_id and self.person.case_id != self.household.case_id:
            errors["person"] = ["Choose someone recorded in this case."]
        elif self.person_id and self._state.adding and _entered_in_error(self.person):
            errors["person"] = [f"{self.person.full_name} was entered in error: choose someone else."]
        if not errors and self.person_id and self.from_date:
            others = HouseholdMember.objects.live().filter(person_id=self.person_id).exclude(pk=self.pk)
            for other in others.select_related("household"):
                if ranges_overlap(self.from_date, self.to_date, other.from_date, other.to_date):
                    end = other.to_date.isoformat() if other.to_date else "now"
                    errors["from_date"] = [
                        f"{self.person.full_name} is recorded as living in {other.household.label} from "
                        f"{other.from_date.isoformat()} to {end}. A person lives in one household on a date: "
                        "end that membership first."
                    ]
                    break
        if errors:
            raise ValidationError(errors)


class Strength(models.TextChoices):
    STRONG = "strong", "Strong"
    TENUOUS = "tenuous", "Tenuous"
    STRESSFUL = "stressful", "Stressful"


class EnergyFlow(models.TextChoices):
    TO_RESOURCE = "to_resource", "From the family to the resource"
    FROM_RESOURCE = "from_resource", "From the resource to the family"
    BOTH = "both", "Both ways"
    NONE = "none", "Not recorded"


class ResourceKind(models.TextChoices):
    AGENCY = "agency", "Agency"
    PROFESSIONAL = "professional", "Professional"
    SCHOOL = "school", "School or nursery"
    HEALTH = "health", "GP or health service"
    FAITH_GROUP = "faith_group", "Faith group"
    CLUB = "club", "Club or activity"
    PEER_GROUP = "peer_group", "Friends or peer group"
    EXTENDED_FAMILY = "extended_family", "Extended family"
    WORK = "work", "Work"
    COMMUNITY = "community", "Other community resource"


class EcomapLink(EnteredInError):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="ecomap_links")
    person = models.ForeignKey(
        "cases.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="ecomap_links"
    )
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.PROTECT, related_name="ecomap_links"
    )
    resource_name = models.CharField("agency, professional or resource", max_length=200)
    resource_kind = models.CharField(max_length=20, choices=ResourceKind.choices, default=ResourceKind.AGENCY)
    agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="ecomap_links"
    )
    strength = models.CharField(max_length=10, choices=Strength.choices)
    direction = models.CharField(max_length=15, choices=EnergyFlow.choices, default=EnergyFlow.NONE)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    note = models.CharField("note", max_length=NOTE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(household__isnull=True))
                | (Q(person__isnull=True) & Q(household__isnull=False)),
                name="ecomap_link_person_or_household",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person or self.household} – {self.resource_name} ({self.strength})"

    def active_on(self, on: dt.date) -> bool:
        return (self.start_date is None or self.start_date <= on) and (self.end_date is None or on < self.end_date)

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if bool(self.person_id) == bool(self.household_id):
            errors["person"] = ["Link either one person or one household to the resource."]
        if self.person_id and self.case_id and self.person.case_id != self.case_id:
            errors["person"] = ["Choose someone recorded in this case."]
        elif self.person_id and self._state.adding and _entered_in_error(self.person):
            errors["person"] = [f"{self.person.full_name} was entered in error: choose someone else."]
        if self.household_id and self.case_id and self.household.case_id != self.case_id:
            errors["household"] = ["Choose a household of this case."]
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            errors["end_date"] = ["The end date must be after the start date."]
        if errors:
            raise ValidationError(errors)


class PersonGedcom(models.Model):
    """What a GEDCOM exchange needs beyond the person record: the file's own id and the death date's precision."""

    person = models.OneToOneField("cases.Person", on_delete=models.PROTECT, related_name="gedcom")
    xref = models.CharField(max_length=40, blank=True)
    date_of_death_precision = models.CharField(max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY)

    def __str__(self) -> str:
        return f"{self.xref} {self.person}"
