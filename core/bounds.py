"""Bounds on input: ids that fit the database, and free text with a length limit.

Ids: a Python int has no limit and a bigint column has, and the drivers refuse a bigger number
(SQLite: OverflowError) instead of answering "not found"; so ids are checked against DB_INT_MAX
before any lookup.

Text: one message wherever a limit is checked.

Every free-text field has a limit no practitioner would reach in ordinary recording, so that a
pasted document or a generated string cannot slow every page, export and pack that shows it.
The limit lives on the model field: a CharField's `max_length`, or a TextLengthValidator on a
TextField (a validator, so the database is not altered). Services check it before writing, and API
serializers and page forms mirror it as `max_length`, so the OpenAPI schema and the browser show
it. All of them say it the same way:

    Detail must be 20,000 characters or fewer; this is 200,000.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.deconstruct import deconstructible

# The largest bigint (PostgreSQL) and SQLite integer: every id column holds less.
DB_INT_MAX = 2**63 - 1


def is_db_id(value: Any) -> bool:
    """True for a whole number (an int, or a string of digits) from 1 to DB_INT_MAX."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return 1 <= value <= DB_INT_MAX
    text = str(value).strip()
    return text.isascii() and text.isdigit() and len(text) <= len(str(DB_INT_MAX)) and 1 <= int(text) <= DB_INT_MAX


def too_long_message(label: str, limit: int, length: int) -> str:
    label = str(label)
    return f"{label[:1].upper()}{label[1:]} must be {limit:,} characters or fewer; this is {length:,}."


@deconstructible
class TextLengthValidator(MaxLengthValidator):
    """Django validator: the text is at most `limit` characters, said with the field's label.

    A MaxLengthValidator, so that the OpenAPI schema shows the limit as maxLength."""

    code = "max_length"

    def __init__(self, limit: int, label: str):
        super().__init__(limit)
        self.limit = limit
        self.label = label

    def __call__(self, value: Any) -> None:
        if isinstance(value, str) and len(value) > self.limit:
            raise ValidationError(too_long_message(self.label, self.limit, len(value)), code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TextLengthValidator) and (self.limit, self.label) == (other.limit, other.label)

    def __hash__(self) -> int:
        return hash((self.limit, self.label))


def use_text_limit_messages(fields: Mapping[str, Any], labels: Mapping[str, str] | None = None) -> None:
    """Give every length-limited field of a form or serializer the message above (in place).

    Django and DRF add a MaxLengthValidator for `max_length`; it is swapped for a
    TextLengthValidator with the same limit, so `max_length` still reaches the widget's
    `maxlength` and the OpenAPI schema."""
    for name, field in fields.items():
        limit = getattr(field, "max_length", None)
        if not limit:
            continue
        label = (labels or {}).get(name) or getattr(field, "label", None) or name.replace("_", " ")
        field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)] + [
            TextLengthValidator(int(limit), str(label))
        ]


def text_limit(model: Any, name: str) -> int | None:
    """The length limit of a model's text field: its max_length, or its TextLengthValidator's."""
    field = model._meta.get_field(name)
    if field.max_length:
        return int(field.max_length)
    return next((v.limit for v in field.validators if isinstance(v, TextLengthValidator)), None)


def text_length_errors(values: Mapping[str, Any], model: Any, names: Iterable[str]) -> dict[str, list[str]]:
    """Field errors for the texts in `values` longer than their model field's limit."""
    errors: dict[str, list[str]] = {}
    for name in names:
        value = values.get(name)
        limit = text_limit(model, name) if isinstance(value, str) else None
        if limit is not None and len(value) > limit:
            label = model._meta.get_field(name).verbose_name
            errors[name] = [too_long_message(label, limit, len(value))]
    return errors
