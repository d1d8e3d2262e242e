"""The chronology page's filter form: dates, agency, kind, person, significance, a text search
and (on the table, not the timeline) the order."""

from __future__ import annotations

from django import forms

from cases.models import Case
from cases.selectors import case_people
from chronology.models import EntryKind, Significance
from chronology.selectors import SEARCH_MAX_CHARS, EntryFilter
from core.bounds import TextLengthValidator
from core.forms import GovukDateField, GovukForm

ORDER_CHOICES = [("newest", "Newest first"), ("oldest", "Oldest first")]


class ChronologyFilterForm(GovukForm):
    """The filter form of the merged chronology; the filtering itself is EntryFilter's."""

    q = forms.CharField(
        label="Search summaries and details",
        required=False,
        validators=[TextLengthValidator(SEARCH_MAX_CHARS, "Search")],
        help_text="Entries containing every word, in any order. Restricted entries you cannot read are not searched.",
    )
    date_from = GovukDateField(label="From", required=False, error_name="the date to show entries from")
    date_to = GovukDateField(label="To", required=False, error_name="the date to show entries to")
    agency = forms.ChoiceField(label="Agency", required=False)
    kind = forms.ChoiceField(label="Kind", required=False, choices=[("", "All kinds"), *EntryKind.choices])
    person = forms.ChoiceField(label="Person", required=False)
    significance = forms.ChoiceField(
        label="Significance", required=False, choices=[("", "Any significance"), *Significance.choices]
    )
    order = forms.ChoiceField(label="Sort by date", required=False, choices=ORDER_CHOICES)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error(
                "date_to", "The date to show entries to must be the same as or after the date to show them from"
            )
        return cleaned

    def __init__(self, *args, case: Case, with_order: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_order:
            del self.fields["order"]
        fs = EntryFilter(None, case=case)
        self.fields["agency"].choices = [("", "All agencies")] + [(a.pk, a.name) for a in fs.filters["agency"].queryset]
        self.fields["person"].choices = [("", "Everyone")] + [(p.pk, p.full_name) for p in case_people(case)]
