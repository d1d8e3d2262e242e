from django import forms

from cases.models import Person
from core.bounds import text_limit, use_text_limit_messages
from core.forms import GovukDateField, GovukForm
from genogram.models import EcomapLink, EnergyFlow, Household, RelationshipKind, ResourceKind, Strength

PICK_PERSON = "Select a person from the list"


class AtDateForm(GovukForm):
    at = GovukDateField(
        label="Show the family as it was on", required=False, error_name="the date to show the family on"
    )


class RelationshipForm(GovukForm):
    kind = forms.ChoiceField(
        label="Relationship",
        choices=RelationshipKind.choices,
        error_messages={"required": "Select the relationship"},
    )
    from_person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label="From",
        help_text="For a parent or carer: the adult.",
        error_messages={"required": "Select who the relationship is from", "invalid_choice": PICK_PERSON},
    )
    to_person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label="To",
        help_text="For a parent: the child.",
        error_messages={"required": "Select who the relationship is to", "invalid_choice": PICK_PERSON},
    )
    start_date = GovukDateField(label="Start date", required=False)
    end_date = GovukDateField(
        label="End date", required=False, help_text="Leave empty if it goes on. For example, 27 3 2026"
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("from_person", "to_person"):
            self.fields[name].queryset = Person.objects.live().filter(case=case).order_by("date_of_birth", "id")


class EndForm(GovukForm):
    end_date = GovukDateField(label="Date it ended")


class HouseholdForm(GovukForm):
    label = forms.CharField(
        label="Household name",
        max_length=text_limit(Household, "label"),
        help_text="For example, Mum's home.",
        error_messages={"required": "Enter a name for the household"},
    )
    address = forms.CharField(label="Address", max_length=text_limit(Household, "address"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_text_limit_messages(self.fields)


class MemberForm(GovukForm):
    household = forms.ModelChoiceField(
        queryset=Household.objects.none(),
        label="Household",
        error_messages={"required": "Select the household", "invalid_choice": "Select a household from the list"},
    )
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label="Person",
        error_messages={"required": "Select the person who moved in", "invalid_choice": PICK_PERSON},
    )
    from_date = GovukDateField(label="Moved in on", error_name="the date they moved in")
    to_date = GovukDateField(label="Moved out on", required=False, error_name="the date they moved out")

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = Household.objects.filter(case=case)
        self.fields["person"].queryset = Person.objects.live().filter(case=case).order_by("date_of_birth", "id")


class MemberEndForm(GovukForm):
    to_date = GovukDateField(label="Moved out on", error_name="the date they moved out")


class EcomapLinkForm(GovukForm):
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label="Person", required=False)
    household = forms.ModelChoiceField(queryset=Household.objects.none(), label="Or household", required=False)
    resource_name = forms.CharField(
        label="Agency, professional or resource",
        max_length=text_limit(EcomapLink, "resource_name"),
        error_messages={"required": "Enter the agency, professional or resource"},
    )
    resource_kind = forms.ChoiceField(
        label="Kind of resource",
        choices=ResourceKind.choices,
        error_messages={"required": "Select the kind of resource"},
    )
    strength = forms.ChoiceField(
        label="Strength of the link",
        choices=Strength.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the strength of the link"},
    )
    direction = forms.ChoiceField(
        label="Direction of energy",
        choices=EnergyFlow.choices,
        error_messages={"required": "Select the direction of energy"},
    )
    start_date = GovukDateField(label="Start date", required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.live().filter(case=case)
        self.fields["household"].queryset = Household.objects.filter(case=case)
        use_text_limit_messages(self.fields)


class EnteredInErrorForm(GovukForm):
    reason = forms.CharField(
        label="Why was this entered in error?",
        help_text="For example, recorded on the wrong case. Everyone who can see the case can read this.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why this record was entered in error"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_text_limit_messages(self.fields, {"reason": "the reason"})
