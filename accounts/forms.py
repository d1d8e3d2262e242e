from django import forms
from django.contrib.auth.forms import AuthenticationForm

from core.forms import GovukForm, GovukFormMixin


class SignInForm(GovukFormMixin, AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No autofocus: it would skip the skip link and the page's context for keyboard and
        # screen reader users (GOV.UK Design System advice).
        self.fields["username"].widget.attrs.pop("autofocus", None)


class OneTimeCodeForm(GovukForm):
    otp_token = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code your authenticator app shows now.",
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "govuk-input--width-10"}
        ),
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )


class PasswordChangeForm(GovukForm):
    current_password = forms.CharField(
        label="Current password",
        max_length=512,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "spellcheck": "false"}),
        error_messages={"required": "Enter your current password"},
    )
    new_password = forms.CharField(
        label="New password",
        help_text="At least 10 characters. Not a common password and not only numbers.",
        max_length=512,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "spellcheck": "false"}),
        error_messages={"required": "Enter a new password"},
    )
