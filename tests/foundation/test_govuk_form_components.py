"""The GOV.UK form components of core.forms: checkboxes for multi-select questions and the date
input (day, month and year boxes) with the pattern's error messages."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms

from core.forms import GovukDateField, GovukForm


class EventForm(GovukForm):
    occurred_on = GovukDateField(label="Date of the event")
    until = GovukDateField(label="Period to", required=False)
    people = forms.MultipleChoiceField(
        label="Who", choices=[("1", "Robin"), ("2", "Kit")], widget=forms.CheckboxSelectMultiple, required=False
    )
    one = forms.ChoiceField(label="Which", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect, required=False)


def typed(day="", month="", year="", name="occurred_on"):
    return {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}


def test_multiple_choice_is_drawn_as_govuk_checkboxes_not_radios():
    html = EventForm()["people"].as_field_group()
    assert 'class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes"' in html
    assert 'type="checkbox"' in html
    assert "govuk-radios" not in html


def test_single_choice_is_still_drawn_as_radios():
    html = EventForm()["one"].as_field_group()
    assert 'type="radio"' in html and "govuk-radios" in html and "govuk-checkboxes" not in html


def test_date_is_read_from_day_month_and_year_boxes():
    form = EventForm(typed("2", "3", "2026"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["occurred_on"] == dt.date(2026, 3, 2)


def test_date_month_may_be_typed_as_a_name():
    form = EventForm(typed("02", "March", "2026"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["occurred_on"] == dt.date(2026, 3, 2)


def test_date_in_iso_under_the_field_name_is_read_for_links():
    form = EventForm({"occurred_on": "2026-03-02"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["occurred_on"] == dt.date(2026, 3, 2)


@pytest.mark.parametrize(
    ("data", "message", "anchor"),
    [
        (typed(), "Enter the date of the event", "id_occurred_on-day"),
        (typed("2", "", "2026"), "Date of the event must include a month", "id_occurred_on-month"),
        (typed("", "", "2026"), "Date of the event must include a day and month", "id_occurred_on-day"),
        (typed("2", "3", ""), "Date of the event must include a year", "id_occurred_on-year"),
        (typed("31", "2", "2026"), "Date of the event must be a real date", "id_occurred_on-day"),
        (typed("2", "13", "2026"), "Date of the event must be a real date", "id_occurred_on-month"),
        (typed("two", "3", "2026"), "Date of the event must be a real date", "id_occurred_on-day"),
        (typed("2", "3", "26"), "Date of the event must include a year with 4 numbers", "id_occurred_on-year"),
        ({"occurred_on": "2026-02-31"}, "Date of the event must be a real date", "id_occurred_on-day"),
    ],
)
def test_date_errors_follow_the_govuk_pattern_and_link_to_the_box_to_correct(data, message, anchor):
    form = EventForm(data)
    assert not form.is_valid()
    assert form.errors["occurred_on"] == [message]
    assert (anchor, message) in form.error_summary()


def test_date_error_marks_only_the_missing_box_and_keeps_what_was_typed():
    form = EventForm(typed("2", "", "2026"))
    form.is_valid()
    html = form["occurred_on"].as_field_group()
    assert "govuk-form-group--error" in html
    assert 'aria-describedby="id_occurred_on-hint id_occurred_on-error"' in html
    month = html.split('id="id_occurred_on-month"')[0].rsplit("<input", 1)[1]
    day = html.split('id="id_occurred_on-day"')[0].rsplit("<input", 1)[1]
    assert "govuk-input--error" in month
    assert "govuk-input--error" not in day
    assert 'name="occurred_on-day" type="text" inputmode="numeric" spellcheck="false" value="2"' in html


def test_date_input_is_a_fieldset_with_a_legend_and_labelled_boxes():
    html = EventForm(initial={"occurred_on": dt.date(2026, 3, 2)})["occurred_on"].as_field_group()
    assert '<fieldset class="govuk-fieldset" role="group"' in html
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Date of the event</legend>' in html
    for part, value in (("day", "2"), ("month", "3"), ("year", "2026")):
        assert f'<label class="govuk-label govuk-date-input__label" for="id_occurred_on-{part}">' in html
        assert f'name="occurred_on-{part}" type="text" inputmode="numeric" spellcheck="false" value="{value}"' in html


def test_optional_date_may_be_left_empty_and_says_optional():
    form = EventForm({**typed("2", "3", "2026"), **typed(name="until")})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["until"] is None
    assert "Period to (optional)" in form["until"].as_field_group()


def test_genogram_and_pack_forms_say_what_to_choose(case):
    from genogram.forms import EcomapLinkForm, HouseholdForm, MemberForm, RelationshipForm
    from reporting.packs.forms import PackRequestForm

    errors = {}
    for form in (
        RelationshipForm({}, case=case),
        HouseholdForm({}),
        MemberForm({}, case=case),
        EcomapLinkForm({}, case=case),
        PackRequestForm({}, case=case),
    ):
        form.is_valid()
        errors |= {name: messages[0] for name, messages in form.errors.items()}
    assert "This field is required." not in errors.values()
    assert errors["from_person"] == "Select who the relationship is from"
    assert errors["label"] == "Enter a name for the household"
    assert errors["from_date"] == "Enter the date they moved in"
    assert errors["strength"] == "Select the strength of the link"
    assert errors["kind"] == "Select the meeting the pack is for"
    assert errors["date_from"] == "Enter the start of the period"
