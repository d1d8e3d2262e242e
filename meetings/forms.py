"""Page forms for meetings and actions (GOV.UK components through core.forms). They check the
shape of what was typed; meetings.services checks the rules and its errors are shown on the form."""

from __future__ import annotations

from typing import Any

from django import forms

from core.bounds import use_text_limit_messages
from core.forms import GovukDateField, GovukForm
from meetings.models import (
    DESCRIPTION_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    ActionStatus,
    MeetingKind,
)

# Decisions are typed one a line: room for the most decisions at their longest.
DECISIONS_MAX_LENGTH = 20_000


def _agency_choices(agencies: list[Any]) -> list[tuple[str, str]]:
    return [(str(a.pk), a.name) for a in agencies]


class _LimitedForm(GovukForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_text_limit_messages(self.fields)


class MeetingOutcomeFields(_LimitedForm):
    """Who attended, apologies, summary and decisions: the outcome of a held meeting."""

    def __init__(self, *args: Any, agencies: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = _agency_choices(agencies)
        for name in ("attended", "apologies"):
            self.fields[name].choices = choices

    attended = forms.MultipleChoiceField(
        label="Agencies that attended", required=False, widget=forms.CheckboxSelectMultiple
    )
    apologies = forms.MultipleChoiceField(
        label="Agencies that sent apologies", required=False, widget=forms.CheckboxSelectMultiple
    )
    summary = forms.CharField(
        label="Summary", required=False, max_length=SUMMARY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5})
    )
    decisions = forms.CharField(
        label="Decisions",
        required=False,
        max_length=DECISIONS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One decision on each line, in the order they were made.",
    )

    def clean_decisions(self) -> list[str]:
        text: str = self.cleaned_data.get("decisions") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class MeetingForm(MeetingOutcomeFields):
    """Schedule a meeting (a future date) or record one already held."""

    field_order = ["kind", "held_on", "chair", "invited", "attended", "apologies", "summary", "decisions"]

    kind = forms.ChoiceField(label="Kind of meeting", choices=MeetingKind.choices, widget=forms.RadioSelect)
    held_on = GovukDateField(
        label="Date of the meeting",
        help_text="A future date schedules the meeting; today or earlier records it as held. For example, 27 3 2026",
        error_name="the date of the meeting",
    )
    chair = forms.TypedChoiceField(label="Chair", required=False, coerce=int, empty_value=None)
    invited = forms.MultipleChoiceField(label="Agencies invited", required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, agencies: list[Any], chairs: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, agencies=agencies, **kwargs)
        self.fields["invited"].choices = _agency_choices(agencies)
        self.fields["chair"].choices = [("", "Not recorded")] + [
            (str(u.pk), f"{u.display_name} ({u.agency})") for u in chairs
        ]


class MeetingRecordForm(MeetingOutcomeFields):
    field_order = ["held_on", "attended", "apologies", "summary", "decisions"]

    held_on = GovukDateField(
        label="Date the meeting was held",
        error_name="the date the meeting was held",
        help_text="If it was not held on the day it was scheduled. For example, 27 3 2026",
        required=False,
    )


class ReasonForm(_LimitedForm):
    reason = forms.CharField(
        label="Reason",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason"},
    )


class ActionForm(_LimitedForm):
    description = forms.CharField(
        label="What must be done",
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what must be done"},
    )
    owner_agency = forms.TypedChoiceField(
        label="Agency that owns the action",
        coerce=int,
        error_messages={"required": "Choose the agency that owns the action"},
    )
    owner = forms.TypedChoiceField(
        label="Named owner (optional)",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="A user of the owning agency.",
    )
    due_on = GovukDateField(label="Due date", error_name="the due date")
    meeting = forms.TypedChoiceField(label="Set at meeting (optional)", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, agencies: list[Any], owners: list[Any], meetings: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].choices = [("", "Choose an agency")] + _agency_choices(agencies)
        self.fields["owner"].choices = [("", "No named owner")] + [
            (str(u.pk), f"{u.display_name} ({u.agency})") for u in owners
        ]
        self.fields["meeting"].choices = [("", "None")] + [
            (str(m.pk), f"{m.get_kind_display()}, {m.held_on:%-d %B %Y}") for m in meetings
        ]


class ActionCompleteForm(_LimitedForm):
    completed_on = GovukDateField(label="Date it was done", error_name="the date it was done")
    note = forms.CharField(
        label="What was done",
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what was done"},
    )


class ActionFilterForm(GovukForm):
    owner_agency = forms.TypedChoiceField(label="Owning agency", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *ActionStatus.choices])
    overdue = forms.BooleanField(label="Only overdue actions", required=False)

    def __init__(self, *args: Any, agencies: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].choices = [("", "Any agency")] + _agency_choices(agencies)
