from __future__ import annotations

from django import forms

from agencies.models import Agency
from cases.models import Case
from core.api import IdMultipleChoiceField
from core.forms import GovukDateField, GovukForm
from reporting.packs.models import PackKind, PackSignificance


class PackRequestForm(GovukForm):
    kind = forms.ChoiceField(
        label="Meeting",
        choices=PackKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the meeting the pack is for"},
    )
    date_from = GovukDateField(
        label="Period from",
        help_text="The first day of the chronology. For example, 1 9 2025",
        error_name="the start of the period",
    )
    date_to = GovukDateField(
        label="Period to",
        help_text="The last day of the chronology. For example, 28 2 2026",
        error_name="the end of the period",
    )
    min_significance = forms.ChoiceField(
        label="Entries to include",
        choices=PackSignificance.choices,
        initial=PackSignificance.LOW,
        widget=forms.RadioSelect,
        error_messages={"required": "Select which entries to include"},
    )
    agencies = IdMultipleChoiceField(
        label="Only entries from these agencies (optional)",
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked for every agency.",
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = Agency.objects.filter(involvements__case=case).order_by("name")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end of the period must be the same as or after its start.")
        return cleaned
