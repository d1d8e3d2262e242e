from typing import Any

from django import forms

from agencies.models import Agency
from cases.models import (
    REASON_LIMIT,
    ROLE_IN_CASE_LIMIT,
    SUMMARY_LIMIT,
    Case,
    ClosureOutcome,
    LegalStatus,
    Person,
    ProtectionCategory,
)
from core.bounds import use_text_limit_messages
from core.forms import GovukDateField, GovukForm, GovukModelForm


class CaseForm(GovukModelForm):
    class Meta:
        model = Case
        fields = ["reference", "title", "legal_status", "protection_category"]
        labels = {"protection_category": "Child protection category"}
        help_texts = {
            "reference": "The case reference from your case management system, for example CS-2026-0142.",
            "title": "How the case is known, for example the family name.",
            "protection_category": "Only for a child protection plan.",
        }
        widgets = {"legal_status": forms.RadioSelect}

    def __init__(self, *args: Any, choose_lead_agency: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_text_limit_messages(self.fields)
        self.fields["legal_status"].choices = LegalStatus.choices
        if choose_lead_agency:  # an administrator belongs to no agency: they say which one leads
            self.fields["lead_agency"] = forms.ModelChoiceField(
                queryset=Agency.objects.order_by("name"), label="Lead agency", widget=forms.Select
            )
            self.order_fields(["reference", "title", "lead_agency"])


class InvolveAgencyForm(GovukForm):
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label="Agency to involve")

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.exclude(involvements__case=case).order_by("name")


class PersonForm(GovukModelForm):
    class Meta:
        model = Person
        fields = [
            "given_name",
            "family_name",
            "known_as",
            "sex",
            "date_of_birth",
            "date_of_birth_precision",
            "expected_date_of_delivery",
            "date_of_death",
            "ethnicity",
            "first_language",
            "interpreter_needed",
            "nhs_number",
            "is_subject",
            "independently_mobile",
        ]
        labels = {
            "known_as": "Known as, or other names",
            "date_of_birth_precision": "How exact is the date of birth?",
            "is_subject": "This person is a subject child of the case",
            "interpreter_needed": "Needs an interpreter",
            "nhs_number": "NHS number",
            "independently_mobile": "Is the child independently mobile (crawling, walking)?",
        }
        help_texts = {
            "expected_date_of_delivery": "For an unborn child only. For example, 14 9 2026",
            "ethnicity": "As the person describes it. Leave empty only if it is not known yet.",
            "independently_mobile": "Leave as unknown to work it out from the child's age.",
        }
        widgets = {
            "sex": forms.RadioSelect,
            "date_of_birth_precision": forms.Select,
        }
        field_classes = {  # GOV.UK date input: day, month and year boxes
            "date_of_birth": GovukDateField,
            "date_of_death": GovukDateField,
            "expected_date_of_delivery": GovukDateField,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_text_limit_messages(self.fields)
        self.fields["sex"].choices = Person._meta.get_field("sex").choices
        self.fields["independently_mobile"] = forms.NullBooleanField(
            required=False,
            label=self.Meta.labels["independently_mobile"],
            help_text=self.Meta.help_texts["independently_mobile"],
            # NullBooleanSelect shows a recorded True/False as selected ("true"/"false", else "unknown").
            widget=forms.NullBooleanSelect,
        )


# --- The case over time: one form a lifecycle action, the service decides and says what is wrong --


def _reason_field(label: str, hint: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": f"Enter {label[:1].lower()}{label[1:]}"},
    )


class StatusChangeForm(GovukForm):
    legal_status = forms.ChoiceField(
        label="New legal status",
        choices=LegalStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the new legal status"},
    )
    protection_category = forms.ChoiceField(
        label="Child protection category",
        choices=[("", "Not a child protection plan"), *ProtectionCategory.choices],
        required=False,
        help_text="Only for a child protection plan.",
    )
    effective_from = GovukDateField(
        label="Date the status changed",
        error_name="the date the status changed",
        help_text="For example, the date of the conference or the decision. For example, 27 3 2026",
    )
    reason = _reason_field("Reason for the change", "What was decided, by whom, and why.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_text_limit_messages(self.fields)


class CloseForm(GovukForm):
    closed_on = GovukDateField(label="Date the case closed", error_name="the date the case closed")
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=ClosureOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome of the case"},
    )
    reason = _reason_field("Reason for closing", "The evidence that the case can close.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_text_limit_messages(self.fields)


class ReopenForm(GovukForm):
    reopened_on = GovukDateField(label="Date the case reopened", error_name="the date the case reopened")
    reason = _reason_field("Reason for reopening", "For example, the re-referral and who made it.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_text_limit_messages(self.fields)


class _UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        agency = obj.agency.name if obj.agency is not None else "no agency"
        return f"{obj.display_name} ({obj.get_role_display().lower()}, {agency})"


class HandoverForm(GovukForm):
    lead_professional = _UserChoiceField(
        queryset=None,
        label="New lead professional",
        help_text="A social worker of an agency involved in the case.",
        error_messages={
            "required": "Select the new lead professional",
            "invalid_choice": "Select the new lead professional",
        },
    )
    reason = _reason_field("Reason for the handover", "For example, a change of team or caseload.")

    def __init__(self, *args: Any, candidates: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_professional"].queryset = _users(candidates)
        use_text_limit_messages(self.fields)


class TeamJoinForm(GovukForm):
    user = _UserChoiceField(
        queryset=None,
        label="Professional",
        error_messages={"required": "Select the professional", "invalid_choice": "Select the professional"},
    )
    role_in_case = forms.CharField(
        label="Their role in the case",
        max_length=ROLE_IN_CASE_LIMIT,
        help_text="For example, health visitor for Mia.",
        error_messages={"required": "Enter their role in the case"},
    )
    started_on = GovukDateField(label="Date they joined", error_name="the date they joined", required=False)

    def __init__(self, *args: Any, candidates: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _users(candidates)
        use_text_limit_messages(self.fields)


class TeamEndForm(GovukForm):
    ended_on = GovukDateField(label="Date they left the team", error_name="the date they left the team")


class SummaryForm(GovukForm):
    text = forms.CharField(
        label="Case summary",
        max_length=SUMMARY_LIMIT,
        help_text=(
            "The child's situation today: who they live with, the plan and why, what is worrying and what is going "
            "well. Every version is kept."
        ),
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": "Enter the case summary"},
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_text_limit_messages(self.fields)


def _users(candidates: list[Any]) -> Any:
    """The candidates (chosen by the selectors and the policy) as a queryset for a choice field."""
    from accounts.models import User

    return User.objects.filter(pk__in=[u.pk for u in candidates]).select_related("agency").order_by("full_name")
