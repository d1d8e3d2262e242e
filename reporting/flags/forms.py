from __future__ import annotations

from typing import Any

from django import forms

from core.forms import GovukDateField, GovukForm
from reporting.flags.base import Rule
from reporting.flags.models import (
    REVIEW_RATIONALE_MAX_CHARS,
    RULE_PARAM_TEXT_MAX_CHARS,
    RULE_SETTING_REASON_MAX_CHARS,
    FlagDecision,
)


class FlagDateForm(GovukForm):
    at = GovukDateField(label="Show the flags as of", required=False, error_name="the date to show the flags as of")


class FlagReviewForm(GovukForm):
    decision = forms.ChoiceField(label="Decision", choices=FlagDecision.choices, widget=forms.RadioSelect)
    rationale = forms.CharField(
        label="Rationale",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=(
            "What you considered and why you decided this. Others will read it when the flag is reviewed again. "
            f"Up to {REVIEW_RATIONALE_MAX_CHARS:,} characters."
        ),
        max_length=REVIEW_RATIONALE_MAX_CHARS,
        error_messages={
            "max_length": f"Keep the rationale to {REVIEW_RATIONALE_MAX_CHARS:,} characters or fewer "
            "(it has %(show_value)s)."
        },
    )

    def clean_rationale(self) -> str:
        value: str = self.cleaned_data["rationale"].strip()
        if not value:
            raise forms.ValidationError("Enter the rationale for the decision.")
        return value


class RuleSettingForm(GovukForm):
    """One field per parameter of the rule, plus the reason for the change."""

    def __init__(self, *args: Any, rule: type[Rule], current: dict[str, int | str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rule = rule
        for name, default in rule.defaults.items():
            help_text = f"{rule.param_help.get(name, '')} Default: {default}.".strip()
            label = name.replace("_", " ").capitalize()
            if isinstance(default, int):
                self.fields[name] = forms.IntegerField(
                    label=label, min_value=1, initial=current.get(name, default), help_text=help_text
                )
            else:
                self.fields[name] = forms.CharField(
                    label=label,
                    initial=current.get(name, default),
                    help_text=help_text,
                    max_length=RULE_PARAM_TEXT_MAX_CHARS,
                )
        self.fields["reason"] = forms.CharField(
            label="Reason for the change",
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=(
                f"Recorded with your name in the audit trail. Up to {RULE_SETTING_REASON_MAX_CHARS:,} characters."
            ),
            max_length=RULE_SETTING_REASON_MAX_CHARS,
            error_messages={
                "max_length": f"Keep the reason to {RULE_SETTING_REASON_MAX_CHARS:,} characters or fewer "
                "(it has %(show_value)s)."
            },
        )

    def params(self) -> dict[str, int | str]:
        return {name: self.cleaned_data[name] for name in self.rule.defaults}
