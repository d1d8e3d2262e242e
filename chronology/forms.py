"""Forms for chronology entries: short enough to fill in in a minute, with the rules of good recording
checked by the same service the API uses (errors come back onto the form)."""

from __future__ import annotations

from django import forms

from cases.models import Case, Person
from cases.selectors import case_people
from chronology.models import ChronologyEntry, EntryDatePrecision, EntryKind, EntryRevision, EntrySource, Significance
from core.api import IdMultipleChoiceField
from core.bounds import DB_INT_MAX, text_limit, use_text_limit_messages
from core.forms import DateInput, GovukForm


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


CONSISTENT_CHOICES = [("", "Not assessed"), ("true", "Yes, consistent"), ("false", "No, not consistent")]


class EntryForm(LimitedTextForm):
    occurred_on = forms.DateField(
        label="Date of the event",
        widget=DateInput,
        help_text="If you only know the month or the year, give any day in it and say so below.",
    )
    date_precision = forms.ChoiceField(
        label="How exact is the date?",
        choices=EntryDatePrecision.choices,
        initial=EntryDatePrecision.DAY,
        widget=forms.RadioSelect,
    )
    occurred_time = forms.TimeField(
        label="Time", required=False, widget=TimeInput, help_text="Leave empty if you do not know the time."
    )
    kind = forms.ChoiceField(label="What happened?", choices=[("", "Choose a kind of entry"), *EntryKind.choices])
    summary = forms.CharField(
        label="Summary",
        max_length=_limit("summary"),
        help_text="One line, for example: Home visit, Tia and Ollie seen.",
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
        label="Significance", choices=Significance.choices, initial=Significance.MEDIUM, widget=forms.RadioSelect
    )
    subjects = PersonCheckboxes(queryset=Person.objects.none(), required=False, label="Who is the entry about?")
    present = PersonCheckboxes(queryset=Person.objects.none(), required=False, label="Who was present?")
    seen = PersonCheckboxes(queryset=Person.objects.none(), required=False, label="Who did you see?")
    seen_alone = PersonCheckboxes(queryset=Person.objects.none(), required=False, label="Who did you see alone?")
    source = forms.ChoiceField(
        label="Where does the information come from?",
        choices=EntrySource.choices,
        initial=EntrySource.OBSERVED,
        widget=forms.RadioSelect,
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

    PEOPLE = ("subjects", "present", "seen", "seen_alone")

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        people = case_people(case)
        for name in self.PEOPLE:
            self.fields[name].queryset = people

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        for name in self.PEOPLE:
            data[name] = list(data[name])
        return data


class AmendForm(EntryForm):
    """The entry's fields with its current values, a reason and the revision the user saw."""

    reason = forms.CharField(
        label="Why are you amending this entry?", max_length=REASON_LIMIT, widget=forms.Textarea(attrs={"rows": 2})
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
    )
    revision = forms.IntegerField(min_value=0, max_value=DB_INT_MAX, widget=forms.HiddenInput)


class ImportForm(GovukForm):
    file = forms.FileField(
        label="Chronology file",
        help_text="A .csv or .xlsx file in the chronology template, one row per event.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
