"""Forms for chronology entries: short enough to fill in in a minute, with the rules of good recording
checked by the same service the API uses (errors come back onto the form)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundWidget
from django.utils import timezone

from cases.models import Case, Person
from cases.selectors import case_people
from chronology.models import (
    PRE_BIRTH_KINDS,
    AdultCheckResult,
    AdultCheckType,
    ChronologyEntry,
    EntryDatePrecision,
    EntryKind,
    EntryRevision,
    EntrySource,
    Significance,
    SleepSpace,
    format_entry_date,
)
from core.api import IdMultipleChoiceField
from core.bounds import DB_INT_MAX, text_limit, use_text_limit_messages
from core.forms import GovukDateField, GovukForm


class PersonCheckboxes(IdMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Person) -> str:
        return obj.full_name


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


def _limit(name: str) -> int | None:
    """The length limit of an entry's text field (core.bounds), mirrored here as max_length."""
    return text_limit(ChronologyEntry, name)


REASON_LIMIT = text_limit(EntryRevision, "reason")


class LimitedTextForm(GovukForm):
    """Length limits said as in the API and the import, with the model's names for the fields:
    "Detail must be 20,000 characters or fewer; this is 20,001."."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {"reason": "reason"}
        for name in self.fields:
            if name != "reason" and hasattr(ChronologyEntry, name):
                labels[name] = str(ChronologyEntry._meta.get_field(name).verbose_name)
        use_text_limit_messages(self.fields, labels)


YES_NO_CHOICES = [("", "Not recorded"), ("true", "Yes"), ("false", "No")]
# Yes/no fields shown as a select of "", "true" and "false": what an entry's value is shown as.
YES_NO_FIELDS = (
    "injury_explanation_consistent",
    "safer_sleep_advice_given",
    "safer_sleep_co_sleeping",
)


def yes_no_initial(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")


CONSISTENT_CHOICES = [("", "Not assessed"), ("true", "Yes, consistent"), ("false", "No, not consistent")]


# Kinds whose point is seeing the child: recording nobody as seen is asked about (not refused),
# because the flags (unseen_adult, child_not_seen_alone, siblings_not_seen...) read who was seen.
SEEN_KINDS = frozenset({EntryKind.HOME_VISIT, EntryKind.CHILD_SEEN})

# The columns of the people grid: field, column heading, the hidden label of one box.
PEOPLE_COLUMNS = (
    ("subjects", "About", "{name}: the entry is about them"),
    ("present", "Present", "{name}: present"),
    ("seen", "Seen", "{name}: seen"),
    ("seen_alone", "Seen alone", "{name}: seen alone"),
)


def entry_period(on: dt.date, precision: str) -> tuple[dt.date, dt.date]:
    """The first and last day an entry's date may mean: the day, its month or its year."""
    if precision == EntryDatePrecision.YEAR:
        return dt.date(on.year, 1, 1), dt.date(on.year, 12, 31)
    if precision == EntryDatePrecision.MONTH:
        start = on.replace(day=1)
        return start, dt.date(on.year + (on.month == 12), on.month % 12 + 1, 1) - dt.timedelta(days=1)
    return on, on


def person_state(person: Person, start: dt.date, end: dt.date, kind: str | None) -> str:
    """Whether a person can take part in an entry of this period and kind:
    "living"; "died" (died before the period); "unborn" (not born by its end, and the kind is a
    pregnancy or pre-birth one, so the unborn child may be what the entry is about);
    "not_born" (not born by its end, any other kind). A person with no date of birth and an
    expected date of delivery is unborn; one with neither dates is taken as living."""
    if person.date_of_death and person.date_of_death < start:
        return "died"
    born = person.date_of_birth
    if (born and born > end) or (born is None and person.expected_date_of_delivery):
        return "unborn" if kind in PRE_BIRTH_KINDS else "not_born"
    return "living"


@dataclass
class PeopleRow:
    person: Person
    state: str
    note: str
    cells: list[tuple[str, BoundWidget | None, str]]  # (field, its box or None, hidden label)


class EntryForm(LimitedTextForm):
    occurred_on = GovukDateField(
        label="Date of the event",
        help_text=(
            "For example, 27 3 2026. If you only know the month or the year, give any day in it "
            "and say how exact the date is below."
        ),
    )
    date_precision = forms.ChoiceField(
        label="How exact is the date?",
        choices=EntryDatePrecision.choices,
        initial=EntryDatePrecision.DAY,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how exact the date is"},
    )
    occurred_time = forms.TimeField(
        label="Time",
        required=False,
        widget=TimeInput,
        help_text="Leave empty if you do not know the time.",
        error_messages={"invalid": "Enter the time as hours and minutes, like 14:30"},
    )
    kind = forms.ChoiceField(
        label="What happened?",
        choices=[("", "Choose a kind of entry"), *EntryKind.choices],
        error_messages={"required": "Select what happened", "invalid_choice": "Select what happened from the list"},
    )
    summary = forms.CharField(
        label="Summary",
        max_length=_limit("summary"),
        help_text="One line, for example: Home visit, Tia and Ollie seen.",
        error_messages={"required": "Enter a summary of what happened"},
    )
    detail = forms.CharField(
        label="What you saw, heard and did",
        required=False,
        max_length=_limit("detail"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    child_voice = forms.CharField(
        label="The child's voice",
        required=False,
        max_length=_limit("child_voice"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the child said or showed, in their own words.",
    )
    significance = forms.ChoiceField(
        label="Significance",
        choices=Significance.choices,
        initial=Significance.MEDIUM,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the significance of the entry"},
    )
    subjects = PersonCheckboxes(
        queryset=Person.objects.none(),
        label="Who is the entry about?",
        error_messages={"required": "Select who the entry is about"},
    )
    present = PersonCheckboxes(queryset=Person.objects.none(), required=False, label="Who was present?")
    seen = PersonCheckboxes(queryset=Person.objects.none(), required=False, label="Who did you see?")
    seen_alone = PersonCheckboxes(queryset=Person.objects.none(), required=False, label="Who did you see alone?")
    source = forms.ChoiceField(
        label="Where does the information come from?",
        choices=EntrySource.choices,
        initial=EntrySource.OBSERVED,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the information comes from"},
    )
    injury_body_site = forms.CharField(
        label="Injury: where on the body", required=False, max_length=_limit("injury_body_site")
    )
    injury_type = forms.CharField(
        label="Injury: what kind",
        required=False,
        max_length=_limit("injury_type"),
        help_text="For example bruise, burn, fracture.",
    )
    injury_explanation = forms.CharField(
        label="Injury: explanation given",
        required=False,
        max_length=_limit("injury_explanation"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    injury_explanation_consistent = forms.TypedChoiceField(
        label="Injury: is the explanation consistent with the injury?",
        choices=CONSISTENT_CHOICES,
        required=False,
        coerce=lambda v: v == "true",
        empty_value=None,
    )
    adult_check_type = forms.ChoiceField(
        label="Adult check: which check was made",
        choices=[("", "Not an adult check"), *AdultCheckType.choices],
        required=False,
        help_text="Your agency's check on the adult the entry is about.",
        error_messages={"invalid_choice": "Select which check was made from the list"},
    )
    adult_check_result = forms.ChoiceField(
        label="Adult check: result",
        choices=[("", "Not an adult check"), *AdultCheckResult.choices],
        required=False,
        error_messages={"invalid_choice": "Select the result of the check from the list"},
    )
    safer_sleep_advice_given = forms.TypedChoiceField(
        label="Safer sleep: was safer sleep advice given?",
        choices=YES_NO_CHOICES,
        required=False,
        coerce=lambda v: v == "true",
        empty_value=None,
    )
    safer_sleep_co_sleeping = forms.TypedChoiceField(
        label="Safer sleep: is the baby co-sleeping (sharing a bed or sofa with an adult)?",
        choices=YES_NO_CHOICES,
        required=False,
        coerce=lambda v: v == "true",
        empty_value=None,
    )
    safer_sleep_space = forms.ChoiceField(
        label="Safer sleep: the baby's sleep space",
        choices=[("", "Not recorded"), *SleepSpace.choices],
        required=False,
        error_messages={"invalid_choice": "Select what was seen of the sleep space from the list"},
    )
    action = forms.CharField(
        label="Action taken", required=False, max_length=_limit("action"), widget=forms.Textarea(attrs={"rows": 2})
    )
    outcome = forms.CharField(
        label="Outcome", required=False, max_length=_limit("outcome"), widget=forms.Textarea(attrs={"rows": 2})
    )
    no_action_reason = forms.CharField(
        label="If no action was taken, why not",
        required=False,
        max_length=_limit("no_action_reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    agency_ref = forms.CharField(
        label="Your agency's reference",
        required=False,
        max_length=_limit("agency_ref"),
        help_text="From your own records system.",
    )
    restricted = forms.BooleanField(
        label="Restricted entry",
        required=False,
        help_text="Only your agency, the lead professional and administrators will see its content.",
    )

    # Sent by the second button shown with the warning that nobody is recorded as seen.
    no_one_seen_confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    PEOPLE = ("subjects", "present", "seen", "seen_alone")
    REFRESH = "refresh_people"  # the name of the button that lists the people for the date typed

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case_people = list(case_people(case))
        people = case_people(case)
        for name in self.PEOPLE:
            self.fields[name].queryset = people
        self.as_of, self.precision, self.kind_value = self._date_and_kind()
        self._rows: list[PeopleRow] | None = None

    # The date and kind the people grid is drawn for --------------------------------------------

    def _raw(self, name: str) -> Any:
        field = self.fields[name]
        return field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))

    def _date_and_kind(self) -> tuple[dt.date, str, str | None]:
        """From what was sent (a re-shown form) or the initial values; today when there is no date yet."""
        on: dt.date | None = None
        if self.is_bound:
            try:
                on = self.fields["occurred_on"].clean(self._raw("occurred_on"))
            except ValidationError:
                on = None
            precision, kind = self._raw("date_precision"), self._raw("kind")
        else:
            on = self.initial.get("occurred_on")
            precision, kind = self.initial.get("date_precision"), self.initial.get("kind")
        if precision not in EntryDatePrecision.values or on is None:
            precision = EntryDatePrecision.DAY
        return on or timezone.localdate(), str(precision), kind if kind in EntryKind.values else None

    def _selected(self, name: str) -> set[str]:
        if self.is_bound:
            return {str(v) for v in self._raw(name) or []}
        return {str(getattr(v, "pk", v)) for v in self.initial.get(name) or []}

    def people_rows(self) -> list[PeopleRow]:
        if self._rows is None:
            self._rows = self._people_rows()
        return self._rows

    def _people_rows(self) -> list[PeopleRow]:
        """One row a person who could take part on the date (living; unborn only for a pregnancy or
        pre-birth kind, and only as who the entry is about), plus anyone ticked who could not, so
        that the error about them can be put right."""
        start, end = entry_period(self.as_of, self.precision)
        ticked = set().union(*(self._selected(name) for name in self.PEOPLE))
        boxes = {name: {str(w.data["value"]): w for w in self[name]} for name in self.PEOPLE}
        rows = []
        for person in self.case_people:
            state = person_state(person, start, end, self.kind_value)
            if state in ("died", "not_born") and str(person.pk) not in ticked:
                continue
            cells = []
            for name, _heading, label in PEOPLE_COLUMNS:
                box = boxes[name].get(str(person.pk))
                if state == "unborn" and name != "subjects" and str(person.pk) not in self._selected(name):
                    box = None
                cells.append((name, box, label.format(name=person.full_name)))
            rows.append(PeopleRow(person=person, state=state, note=self._note(person, state), cells=cells))
        return rows

    @staticmethod
    def _note(person: Person, state: str) -> str:
        if state == "died":
            return f"Died {person.date_of_death:%-d %B %Y}"
        if state in ("unborn", "not_born"):
            due = person.expected_date_of_delivery
            return f"Unborn, due {due:%-d %B %Y}" if due else "Not yet born"
        if person.date_of_birth:
            return f"Born {person.date_of_birth:%-d %B %Y}"
        return ""

    @property
    def people_fields(self) -> list[Any]:
        return [self[name] for name in self.PEOPLE]

    @property
    def kind_label(self) -> str:
        kind = (getattr(self, "cleaned_data", None) or {}).get("kind") or self.kind_value
        return str(EntryKind(kind).label).lower() if kind in EntryKind.values else "entry"

    def people_columns(self) -> list[tuple[str, str]]:
        return [(name, heading) for name, heading, _label in PEOPLE_COLUMNS]

    # Checks -------------------------------------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        on, kind = cleaned.get("occurred_on"), cleaned.get("kind")
        precision = cleaned.get("date_precision") or EntryDatePrecision.DAY
        if on is None:
            return cleaned
        start, end = entry_period(on, precision)
        when = format_entry_date(start, precision)
        for name in self.PEOPLE:
            for person in cleaned.get(name) or []:
                state = person_state(person, start, end, kind)
                if state == "died":
                    self.add_error(
                        name,
                        f"{person.full_name} died on {person.date_of_death:%-d %B %Y}, before {when}: "
                        "untick them or check the date of the event",
                    )
                elif state == "not_born":
                    self.add_error(
                        name,
                        f"{person.full_name} was not born by {when}: only a pregnancy or pre-birth entry "
                        "can be about an unborn child",
                    )
                elif state == "unborn" and name != "subjects":
                    self.add_error(
                        name,
                        f"{person.full_name} was not born by {when}: an unborn child can only be who the "
                        "entry is about",
                    )
        return cleaned

    def needs_seen_confirmation(self) -> bool:
        """A home visit or a child seen entry that records nobody as seen, not yet confirmed."""
        data = self.cleaned_data
        return (
            data.get("kind") in SEEN_KINDS
            and not data.get("seen")
            and not data.get("seen_alone")
            and not data.get("no_one_seen_confirmed")
        )

    @property
    def refreshing(self) -> bool:
        """The "Update the list of people" button: show the form again for the date typed, unchecked."""
        return self.is_bound and self.add_prefix(self.REFRESH) in self.data

    def show_unchecked(self) -> None:
        """Show what was typed again with no error messages (nothing is saved)."""
        from django.forms.utils import ErrorDict

        self._errors = ErrorDict()

    def error_summary(self) -> list[tuple[str, str]]:
        """The people grid's errors link to the first box drawn in their column."""
        items = super().error_summary()
        first = {}
        for row in self.people_rows():
            for name, box, _label in row.cells:
                if box is not None and name not in first:
                    first[name] = box.id_for_label
        anchors = {self[name].anchor: first[name] for name in self.PEOPLE if name in first}
        return [(anchors.get(anchor, anchor), message) for anchor, message in items]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("no_one_seen_confirmed", None)
        for name in self.PEOPLE:
            data[name] = list(data[name])
        return data


class AmendForm(EntryForm):
    """The entry's fields with its current values, a reason and the revision the user saw."""

    reason = forms.CharField(
        label="Why are you amending this entry?",
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter why you are amending this entry"},
    )
    revision = forms.IntegerField(min_value=0, max_value=DB_INT_MAX, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The reason comes first: it is what the reader of the history needs.
        self.order_fields(["reason"])
        del self.fields["agency_ref"]

    def changes(self, entry) -> dict:
        data = self.service_fields()
        data.pop("reason")
        data.pop("revision")
        out = {}
        for name, value in data.items():
            if name in self.PEOPLE:
                if sorted(p.pk for p in value) != sorted(p.pk for p in getattr(entry, name).all()):
                    out[name] = value
            elif value != getattr(entry, name):
                out[name] = value
        return out


class RetractForm(LimitedTextForm):
    reason = forms.CharField(
        label="Why are you retracting this entry?",
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The entry stays in the chronology, marked retracted, with your reason.",
        error_messages={"required": "Enter why you are retracting this entry"},
    )
    confirm = forms.BooleanField(
        label="Yes, retract this entry",
        error_messages={"required": "Confirm that you want to retract this entry"},
    )
    revision = forms.IntegerField(min_value=0, max_value=DB_INT_MAX, widget=forms.HiddenInput)


class ImportForm(GovukForm):
    file = forms.FileField(
        label="Chronology file",
        help_text="A .csv or .xlsx file in the chronology template, one row per event.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
