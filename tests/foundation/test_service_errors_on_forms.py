"""Pages show a service's validation errors on the form, whatever shape the error takes."""

from django import forms
from django.core.exceptions import ValidationError

from core.forms import GovukForm, add_service_errors


class ReasonForm(GovukForm):
    reason = forms.CharField()


def bound_form():
    form = ReasonForm({"reason": "Because"})
    assert form.is_valid()
    return form


def test_a_field_error_from_a_service_lands_on_its_field():
    form = bound_form()
    add_service_errors(form, ValidationError({"reason": ["Give a fuller reason."]}))
    assert form.errors["reason"] == ["Give a fuller reason."]
    assert ("id_reason", "Give a fuller reason.") in form.error_summary()


def test_an_error_about_a_field_the_form_lacks_goes_to_the_top_of_the_form():
    form = bound_form()
    add_service_errors(form, ValidationError({"lead_agency": ["Not your agency."]}))
    assert form.non_field_errors() == ["Not your agency."]


def test_an_error_with_no_field_goes_to_the_top_of_the_form():
    form = bound_form()
    add_service_errors(form, ValidationError("The case is closed."))
    assert form.non_field_errors() == ["The case is closed."]
    assert ("", "The case is closed.") in form.error_summary()
