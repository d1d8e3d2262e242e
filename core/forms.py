"""GOV.UK Design System markup for Django forms: one renderer, used by every page form."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: field errors by field, the rest at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class GovukRenderer(TemplatesSetting):
    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"


def widget_kind(widget: forms.Widget) -> str:
    # CheckboxSelectMultiple subclasses RadioSelect: it must be asked first.
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, GovukDateInput):
        return "date"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


CLASSES = {
    "input": ("govuk-input", "govuk-input--error"),
    "select": ("govuk-select", "govuk-select--error"),
    "textarea": ("govuk-textarea", "govuk-textarea--error"),
    "checkbox": ("govuk-checkboxes__input", ""),
    "radios": ("govuk-radios__input", ""),
    "checkboxes": ("govuk-checkboxes__input", ""),
    "hidden": ("", ""),
    "date": ("", ""),
}


class GovukBoundField(BoundField):
    @property
    def kind(self) -> str:
        return widget_kind(self.field.widget)

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        base, error = CLASSES[widget_kind(widget or self.field.widget)]
        classes = [attrs.get("class", ""), base]
        if self.errors and error:
            classes.append(error)
        attrs["class"] = " ".join(c for c in classes if c)
        described = []
        if self.help_text:
            described.append(f"{self.auto_id}-hint")
        if self.errors:
            described.append(f"{self.auto_id}-error")
        if described and self.kind not in ("radios", "checkboxes", "date"):
            attrs["aria-describedby"] = " ".join(described)
        if self.kind == "date" and self.errors:
            attrs["error_parts"] = self.date_error_parts
        return attrs

    @property
    def date_error_parts(self) -> tuple[str, ...]:
        """The boxes of a date input to mark as wrong: the ones missing or impossible, else all three."""
        if not self.errors:
            return ()
        found = date_problem(self.data) if isinstance(self.data, DateParts) else None
        return found[1] if found else DATE_PARTS

    @property
    def anchor(self) -> str:
        """Where the error summary links to: the first box to correct (GOV.UK: the first input)."""
        if self.kind in ("radios", "checkboxes"):
            return f"{self.auto_id}_0"
        if self.kind == "date":
            parts = self.date_error_parts or DATE_PARTS
            return f"{self.auto_id}-{parts[0]}"
        return self.auto_id


class GovukFormMixin:
    bound_field_class = GovukBoundField
    default_renderer = GovukRenderer

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor, message) pairs for the error summary at the top of the page."""
        items = []
        for name, errors in self.errors.items():
            anchor = "" if name == "__all__" else self[name].anchor
            for message in errors:
                items.append((anchor, message))
        return items


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass


class DateInput(forms.DateInput):
    """The browser's own date picker. Superseded by GovukDateField (day, month and year boxes)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


# GOV.UK date input: https://design-system.service.gov.uk/components/date-input/

DATE_PARTS = ("day", "month", "year")

MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}


@dataclass(frozen=True)
class DateParts:
    """What was typed in the day, month and year boxes, as typed (shown again on an error)."""

    day: str = ""
    month: str = ""
    year: str = ""

    def get(self, part: str) -> str:
        return str(getattr(self, part))

    @property
    def empty(self) -> bool:
        return not (self.day or self.month or self.year)


def _number(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 4 else None


def _month(text: str) -> int | None:
    """A month as a number (3, 03) or a name (Mar, March), as the GOV.UK pattern advises."""
    return _number(text) if text.isdigit() else MONTH_NAMES.get(text.lower())


def date_problem(parts: DateParts) -> tuple[str, tuple[str, ...]] | None:
    """What is wrong with a typed date, and which boxes: ("missing", ("month",)), ("year", ("year",)),
    ("real", (...)); None when it is a real date (or nothing was typed)."""
    if parts.empty:
        return None
    missing = tuple(p for p in DATE_PARTS if not parts.get(p))
    if missing:
        return "missing", missing
    day, month, year = _number(parts.day), _month(parts.month), _number(parts.year)
    wrong = tuple(
        p
        for p, value, top in (("day", day, 31), ("month", month, 12), ("year", year, 9999))
        if value is None or not 1 <= value <= top
    )
    if wrong:
        return "real", wrong
    if len(parts.year) != 4:
        return "year", ("year",)
    try:
        dt.date(year, month, day)  # type: ignore[arg-type]
    except ValueError:
        return "real", DATE_PARTS
    return None


def _and(words: tuple[str, ...]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


class GovukDateInput(forms.Widget):
    """Day, month and year boxes (the GOV.UK date input), named `<name>-day`, `<name>-month` and
    `<name>-year`. An ISO date under the field's own name (`?at=2026-03-02`, as links and
    bookmarks carry it) is read too."""

    template_name = "forms/govuk_date_input.html"
    WIDTHS = {"day": 2, "month": 2, "year": 4}

    def value_from_datadict(self, data, files, name) -> DateParts | str | None:
        typed = {p: data.get(f"{name}-{p}") for p in DATE_PARTS}
        if all(v is None for v in typed.values()):
            value = data.get(name)
            return value if value is None else str(value)
        return DateParts(**{p: str(v or "").strip()[:20] for p, v in typed.items()})

    def value_omitted_from_data(self, data, files, name) -> bool:
        return name not in data and all(f"{name}-{p}" not in data for p in DATE_PARTS)

    def format_value(self, value: Any) -> DateParts:
        if isinstance(value, DateParts):
            return value
        if isinstance(value, str) and value:
            try:
                value = dt.date.fromisoformat(value.strip())
            except ValueError:
                return DateParts()
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return DateParts(str(value.day), str(value.month), str(value.year))
        return DateParts()

    def get_context(self, name, value, attrs):
        attrs = dict(attrs or {})
        error_parts = attrs.pop("error_parts", ())
        context = super().get_context(name, value, attrs)
        typed = self.format_value(value)
        base_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        context["widget"]["id"] = base_id
        context["widget"]["parts"] = [
            {
                "name": f"{name}-{part}",
                "id": f"{base_id}-{part}",
                "label": part.capitalize(),
                "value": typed.get(part),
                "width": self.WIDTHS[part],
                "error": part in error_parts,
            }
            for part in DATE_PARTS
        ]
        return context

    def id_for_label(self, id_):
        return f"{id_}-day" if id_ else id_


class GovukDateField(forms.Field):
    """A date typed in three boxes, with the GOV.UK date input's error messages, named after
    what the date is: "Enter the date of the event", "Date of the event must include a month",
    "Date of the event must be a real date", "Date of the event must include a year with 4 numbers".

    `error_name` is how the messages name the date ("the date of the event"); by default the
    label, lower-cased after "the"."""

    widget = GovukDateInput
    EXAMPLE = "For example, 27 3 2026"

    def __init__(self, *, error_name: str | None = None, **kwargs: Any):
        if not kwargs.get("help_text"):  # a model field passes its own, often empty
            kwargs["help_text"] = self.EXAMPLE
        given = dict(kwargs.get("error_messages") or {})
        super().__init__(**kwargs)
        label = str(self.label or "date")
        self.error_name = error_name or f"the {label[:1].lower()}{label[1:]}"
        if "required" not in given:
            self.error_messages["required"] = f"Enter {self.error_name}"

    @property
    def _subject(self) -> str:
        name = self.error_name.removeprefix("the ")
        return f"{name[:1].upper()}{name[1:]}"

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                raise forms.ValidationError(f"{self._subject} must be a real date", code="invalid") from None
        if not isinstance(value, DateParts) or value.empty:
            return None
        found = date_problem(value)
        if found is None:
            return dt.date(int(value.year), _month(value.month) or 0, int(value.day))
        kind, parts = found
        if kind == "missing":
            message = f"{self._subject} must include a {_and(parts)}"
        elif kind == "year":
            message = f"{self._subject} must include a year with 4 numbers"
        else:
            message = f"{self._subject} must be a real date"
        raise forms.ValidationError(message, code="invalid")

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(data) != self.to_python(initial)
        except forms.ValidationError:
            return True
