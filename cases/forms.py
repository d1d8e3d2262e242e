from django import forms

from agencies.models import Agency
from cases.models import Case, LegalStatus, Person
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

    def __init__(self, *args, choose_lead_agency: bool = False, **kwargs):
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

    def __init__(self, *args, case: Case, **kwargs):
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

    def __init__(self, *args, **kwargs):
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
