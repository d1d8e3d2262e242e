"""API plumbing shared by every app: parsing, bounded inputs and error shapes (pagination: core.pagination).

Bad input is a 400 with a field error, never a 500: ids are bounded to the database's integer
range before any lookup (a Python int has no limit, a bigint column has), JSON too deeply nested
to parse is refused, and free text carries its limit (core.bounds).
"""

from __future__ import annotations

from typing import Any

import django_filters
import orjson
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, parsers, renderers, serializers

from core.bounds import DB_INT_MAX, is_db_id, use_text_limit_messages

# No request body of this API nests more than a few levels; anything deeper is refused before
# serializers, renderers or stored JSON have to walk it.
MAX_JSON_DEPTH = 32


class IdField(serializers.IntegerField):
    """A database id in a request body: a whole number from 1 to DB_INT_MAX."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", DB_INT_MAX)
        super().__init__(**kwargs)


class BoundedIntegerField(serializers.IntegerField):
    """A whole number that fits the database's integer columns (a revision, a count)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", -DB_INT_MAX)
        kwargs.setdefault("max_value", DB_INT_MAX)
        super().__init__(**kwargs)


class BoundedIdsMixin:
    """For a ModelMultipleChoiceField by primary key: ids out of range are an invalid choice,
    found before the `pk IN (...)` query that SQLite would refuse with an OverflowError."""

    def _check_values(self, value):
        if not getattr(self, "to_field_name", None) and isinstance(value, list | tuple | set | frozenset):
            for pk in value:
                if pk not in self.empty_values and not is_db_id(pk):
                    raise DjangoValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": str(pk)[:40]}
                    )
        return super()._check_values(value)


class IdMultipleChoiceField(BoundedIdsMixin, forms.ModelMultipleChoiceField):
    """A page form's choice of several rows by id, bounded."""


class IdMultipleChoiceFilterField(BoundedIdsMixin, django_filters.fields.ModelMultipleChoiceField):
    pass


class IdMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """A query-string filter on several rows by id (?agency=1&agency=2), bounded."""

    field_class = IdMultipleChoiceFilterField


class LimitedCharField(serializers.CharField):
    """A CharField whose max_length (shown in the schema) is checked with the message of core.bounds:
    "Detail must be 20,000 characters or fewer; this is 200,000."."""

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        use_text_limit_messages({field_name: self})


class LimitedModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose text fields carry their model field's max_length (TextFields too)
    with the message of core.bounds."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: LimitedCharField,
        models.TextField: LimitedCharField,
    }


class ModelFieldsSerializer(serializers.Serializer):
    """An input serializer: it validates a request body whose fields are model fields (`Meta.model`,
    `Meta.fields`, optional `Meta.extra_kwargs`), typed, limited and required as a
    LimitedModelSerializer would make them, plus any fields declared on the class. It saves
    nothing: the view passes `validated_data` to the service and answers with an output serializer.

    Give it `@extend_schema_serializer(component_name="Person")` to describe the body as
    `PersonRequest` beside the `Person` the output serializer describes."""

    class Meta:
        model: type[models.Model]
        fields: tuple[str, ...] | list[str] = ()

    def get_fields(self):
        declared = super().get_fields()
        meta = self.Meta
        builder_meta = type(
            "Meta",
            (),
            {
                "model": meta.model,
                "fields": [name for name in meta.fields if name not in declared],
                "extra_kwargs": getattr(meta, "extra_kwargs", {}),
            },
        )
        builder = type(f"{type(self).__name__}Fields", (LimitedModelSerializer,), {"Meta": builder_meta})
        built = builder(context=self.context).get_fields()
        fields = {name: declared[name] if name in declared else built[name] for name in meta.fields}
        fields.update((name, field) for name, field in declared.items() if name not in fields)
        return fields


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]})
class _ErrorDetailField(serializers.JSONField):
    pass


class ErrorSerializer(serializers.Serializer):
    """An error (400, 403, 404): `detail`, a message or a list of them, or field errors, each
    field's name with its messages (`{"summary": ["This field is required."]}`)."""

    detail = _ErrorDetailField(required=False)


def error_responses(*codes: int) -> dict[int, type[ErrorSerializer]]:
    """For @extend_schema(responses=...): these status codes answer the shared error shape."""
    return dict.fromkeys(codes, ErrorSerializer)


class SafeJSONParser(parsers.JSONParser):
    """DRF's JSON parser, but nesting too deep to parse (which the standard decoder meets as a
    RecursionError, a 500) or deeper than MAX_JSON_DEPTH is a 400 ParseError like any other
    unreadable body. Malformed text and over-long numbers are ParseErrors already."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            data = None
            too_deep = True
        else:
            too_deep = _depth_exceeds(data, MAX_JSON_DEPTH)
        if too_deep:
            raise exceptions.ParseError(f"JSON parse error - the body nests more than {MAX_JSON_DEPTH} levels deep.")
        return data


def _depth_exceeds(data: Any, limit: int) -> bool:
    """Whether lists and objects nest deeper than `limit` (walked without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


class ORJSONRenderer(renderers.BaseRenderer):
    """JSON with orjson: several times faster than the standard encoder on big lists (the entries).

    Anything orjson does not know (lazy translations, decimals) is written as its string."""

    media_type = "application/json"
    format = "json"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        # Non-string keys: DRF keys a list's errors by index ({"subjects": {1: [...]}}).
        return orjson.dumps(data, default=str, option=orjson.OPT_NON_STR_KEYS)


def exception_handler(exc, context):
    """DRF's handler, plus model validation errors turned into 400 field errors."""
    # Imported here: rest_framework.views reads the parser setting, which names this module.
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(exc.message_dict)
        else:
            exc = exceptions.ValidationError({"detail": exc.messages})
    return drf_exception_handler(exc, context)


def response_fields_required(result, generator, request, public):
    """drf-spectacular hook: every field of a response object is marked required.

    A serializer writes all its readable fields on output, optional or not, so a response always
    carries them (null where nullable); without this a generated client types each as "maybe
    unset". Request objects (`...Request`, COMPONENT_SPLIT_REQUEST) keep their own `required`, and
    so do error shapes (`...Error`): a field error names only the fields that failed."""
    for name, schema in result.get("components", {}).get("schemas", {}).items():
        if name.endswith(("Request", "Error")) or "properties" not in schema:
            continue
        schema["required"] = sorted(schema["properties"])
    return result
