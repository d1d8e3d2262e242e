from django.contrib.auth.forms import AuthenticationForm

from config.forms import GovukFormMixin


class SignInForm(GovukFormMixin, AuthenticationForm):
    pass
