from __future__ import annotations

from typing import Any

from django import forms

from core.forms import GovukForm
from notifications.models import Delivery, Kind


class PreferencesForm(GovukForm):
    """One set of GOV.UK radios per kind of notification: straight away, once a day or no email."""

    def __init__(self, *args: Any, current: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=str(kind.label),
                choices=Delivery.choices,
                widget=forms.RadioSelect,
                initial=current[kind.value],
                error_messages={
                    "required": f"Select how you want to hear of this: {str(kind.label).lower()}.",
                    "invalid_choice": "Select straight away, once a day or no email.",
                },
            )
