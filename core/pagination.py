"""One keyset pagination for every list of the service: the API lists and the pages.

A list is ordered by a tuple of fields that ends in `id` (`("occurred_on", "sequence", "id")`,
`("-id",)`), so every row has one place in it. A page is fetched with

    WHERE (fields) > (the last row's values) ORDER BY fields LIMIT size + 1

and never with OFFSET or COUNT, so page 600 of a busy case costs what page 1 costs and a row
added meanwhile neither repeats nor skips a row. The extra row says whether there is more.

A cursor is opaque: the ordering, the direction and the values of the row it starts after,
signed with the SECRET_KEY (django.core.signing). A cursor that was not made here, was made for
another ordering or has been edited is an InvalidCursor: a 400 with a field error on `cursor`
in the API, and a message with a link to the first page on a page. Every field of an ordering
must be non-null (a NULL has no place in a row comparison).

Use:
- API: KeysetPagination is REST_FRAMEWORK's DEFAULT_PAGINATION_CLASS; a view whose list is not
  oldest first says so with `keyset_ordering = ("-id",)`. Views that build their own answer call
  `paginate(...)` and answer `{"next", "previous", "results"}` with `api_links`.
- Pages: `paginate(qs, ordering, cursor=request.GET.get("cursor"), size=50)`, then
  `PageLinks.build(request, page, ...)` into the context and
  `{% include "_keyset_pages.html" with pages=pages %}` in the template. On InvalidCursor answer
  400 with `invalid_cursor_context(request)` and `{% include "_invalid_page_link.html" %}`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, Q, QuerySet
from rest_framework import exceptions
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from core.bounds import DB_INT_MAX

CURSOR_PARAM = "cursor"
PAGE_SIZE_PARAM = "page_size"
INVALID_CURSOR_MESSAGE = "That page link is not valid: start again from the first page."
INVALID_PAGE_SIZE_MESSAGE = "Give the page size as a whole number."
_SALT = "core.pagination.cursor"
# Directions in a cursor: the rows after its position, or the rows before it ("before the end"
# when it has no position: the last page).
FORWARD, BACKWARD = "n", "p"


class InvalidCursor(ValueError):
    """A page link that was not made by this service for this list."""

    def __init__(self, message: str = INVALID_CURSOR_MESSAGE):
        super().__init__(message)


@dataclass(frozen=True)
class Ordering:
    """The order of a list: field names, each optionally prefixed with "-" for descending; the last
    is `id` (or `-id`), so the order is total."""

    fields: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.fields or self.fields[-1].lstrip("-") != "id":
            raise ValueError(f"A keyset ordering ends in id: {self.fields!r}")

    @classmethod
    def of(cls, ordering: Ordering | Sequence[str] | str) -> Ordering:
        if isinstance(ordering, Ordering):
            return ordering
        if isinstance(ordering, str):
            return cls((ordering,))
        return cls(tuple(ordering))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name.lstrip("-") for name in self.fields)

    @property
    def key(self) -> str:
        return ",".join(self.fields)

    def reversed(self) -> tuple[str, ...]:
        return tuple(name[1:] if name.startswith("-") else f"-{name}" for name in self.fields)

    def after(self, values: Sequence[Any], *, backward: bool = False) -> Q:
        """The rows that come after `values` in this order (before them when `backward`):
        (a > x) OR (a = x AND b > y) OR ... with > or < for each field's direction."""
        condition = Q()
        equal: dict[str, Any] = {}
        for spec, value in zip(self.fields, values, strict=True):
            name = spec.lstrip("-")
            ascending = not spec.startswith("-")
            lookup = "gt" if ascending != backward else "lt"
            condition |= Q(**equal, **{f"{name}__{lookup}": value})
            equal[name] = value
        return condition


@dataclass
class Page[T]:
    """One page of rows with the cursors of the pages next to it (None where there is none)."""

    rows: list[T]
    next_cursor: str | None
    previous_cursor: str | None


def _row_value(row: Any, name: str) -> Any:
    if isinstance(row, Mapping):
        return row[name]
    return getattr(row, name)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return value


def encode_cursor(ordering: Ordering | Sequence[str], direction: str, values: Sequence[Any] | None) -> str:
    """A signed cursor for the rows after (FORWARD) or before (BACKWARD) `values`; BACKWARD with
    no values is the last page."""
    ordering = Ordering.of(ordering)
    payload = {"o": ordering.key, "d": direction, "k": None if values is None else [_jsonable(v) for v in values]}
    return signing.Signer(salt=_SALT).sign_object(payload, compress=False)


def cursor_after(ordering: Ordering | Sequence[str], row: Any, direction: str = FORWARD) -> str:
    """The cursor of the rows after `row` (a model instance, a values() dict or any object with
    the ordering's attributes)."""
    ordering = Ordering.of(ordering)
    return encode_cursor(ordering, direction, [_row_value(row, name) for name in ordering.names])


def last_page_cursor(ordering: Ordering | Sequence[str]) -> str:
    """The cursor of the last page of a list in this order (for "jump to the end")."""
    return encode_cursor(ordering, BACKWARD, None)


def _field_value(model: type[Model], name: str, raw: Any) -> Any:
    """A cursor value back to its Python type, checked by the model field."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return raw
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise InvalidCursor
    if isinstance(raw, int) and not -DB_INT_MAX <= raw <= DB_INT_MAX:
        raise InvalidCursor
    try:
        return field.to_python(raw)
    except (DjangoValidationError, TypeError, ValueError, OverflowError):
        raise InvalidCursor from None


def decode_cursor(cursor: str, ordering: Ordering | Sequence[str], model: type[Model]) -> tuple[str, list | None]:
    """(direction, values or None) of a cursor made by encode_cursor for this ordering."""
    ordering = Ordering.of(ordering)
    if not isinstance(cursor, str) or len(cursor) > 2000:
        raise InvalidCursor
    try:
        payload = signing.Signer(salt=_SALT).unsign_object(cursor)
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        raise InvalidCursor from None
    if not isinstance(payload, dict) or payload.get("o") != ordering.key:
        raise InvalidCursor
    direction, values = payload.get("d"), payload.get("k")
    if direction not in (FORWARD, BACKWARD):
        raise InvalidCursor
    if values is None:
        if direction != BACKWARD:
            raise InvalidCursor
        return direction, None
    if not isinstance(values, list) or len(values) != len(ordering.fields):
        raise InvalidCursor
    return direction, [_field_value(model, name, raw) for name, raw in zip(ordering.names, values, strict=True)]


def page_size_from(raw: Any, *, default: int, maximum: int) -> int:
    """A requested page size, clamped to 1..maximum; not a whole number is a ValueError."""
    if raw in (None, ""):
        return default
    try:
        size = int(str(raw).strip())
    except ValueError:
        raise ValueError(INVALID_PAGE_SIZE_MESSAGE) from None
    return min(max(size, 1), maximum)


def paginate[T](
    qs: QuerySet,
    ordering: Ordering | Sequence[str],
    *,
    cursor: str | None,
    size: int,
    fetch: Callable[[QuerySet], list[T]] = list,
) -> Page[T]:
    """One page of `qs` in `ordering`, from `cursor` (None: the first page). Raises InvalidCursor.

    `fetch` turns the sliced queryset into rows (model instances by default); the rows must carry
    the ordering's fields as attributes or keys."""
    ordering = Ordering.of(ordering)
    if not cursor:
        rows = fetch(qs.order_by(*ordering.fields)[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        return Page(rows, cursor_after(ordering, rows[-1]) if more else None, None)
    direction, values = decode_cursor(cursor, ordering, qs.model)
    if direction == FORWARD:
        assert values is not None
        rows = fetch(qs.filter(ordering.after(values)).order_by(*ordering.fields)[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        return Page(
            rows,
            cursor_after(ordering, rows[-1]) if more and rows else None,
            cursor_after(ordering, rows[0], BACKWARD) if rows else None,
        )
    before = qs if values is None else qs.filter(ordering.after(values, backward=True))
    rows = fetch(before.order_by(*ordering.reversed())[: size + 1])
    more = len(rows) > size
    rows = list(reversed(rows[:size]))
    return Page(
        rows,
        cursor_after(ordering, rows[-1]) if rows and values is not None else None,
        cursor_after(ordering, rows[0], BACKWARD) if more and rows else None,
    )


# --- Pages -------------------------------------------------------------------------------------


def page_url(request, cursor: str | None, *, keep: Mapping[str, Any] | None = None) -> str:
    """A query string ("?...") for the same page with another cursor (none: the first page).

    `keep` (default: the request's own query string) gives the other parameters."""
    params = request.GET.copy() if keep is None else _query_dict(keep)
    params.pop(CURSOR_PARAM, None)
    if cursor:
        params[CURSOR_PARAM] = cursor
    query = params.urlencode()
    return f"?{query}" if query else request.path


def _query_dict(values: Mapping[str, Any]):
    from django.http import QueryDict

    params = QueryDict(mutable=True)
    lists = values.lists() if hasattr(values, "lists") else values.items()
    for name, value in lists:
        params.setlist(name, [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)])
    return params


@dataclass
class PageLinks:
    """What `_keyset_pages.html` shows: links to the pages either side, with their words."""

    label: str
    previous_link: str | None
    next_link: str | None
    previous_text: str = "Previous page"
    next_text: str = "Next page"

    @classmethod
    def build(
        cls,
        request,
        page: Page,
        *,
        label: str,
        previous_text: str = "Previous page",
        next_text: str = "Next page",
        keep: Mapping[str, Any] | None = None,
    ) -> PageLinks:
        return cls(
            label=label,
            previous_link=page_url(request, page.previous_cursor, keep=keep) if page.previous_cursor else None,
            next_link=page_url(request, page.next_cursor, keep=keep) if page.next_cursor else None,
            previous_text=previous_text,
            next_text=next_text,
        )

    def __bool__(self) -> bool:
        return bool(self.previous_link or self.next_link)


def invalid_cursor_context(request, *, keep: Mapping[str, Any] | None = None) -> dict[str, str]:
    """Context for `_invalid_page_link.html`: the message and a link to the first page."""
    return {"invalid_page_message": INVALID_CURSOR_MESSAGE, "first_page_link": page_url(request, None, keep=keep)}


# --- The API -------------------------------------------------------------------------------------


def api_link(request, cursor: str | None) -> str | None:
    """The absolute URL of the same list from `cursor` (other parameters kept), or None."""
    if cursor is None:
        return None
    return replace_query_param(request.build_absolute_uri(), CURSOR_PARAM, cursor)


def api_page_size(request, *, default: int, maximum: int) -> int:
    """`?page_size=`, clamped; not a whole number is a 400 field error on page_size."""
    try:
        return page_size_from(request.query_params.get(PAGE_SIZE_PARAM), default=default, maximum=maximum)
    except ValueError as exc:
        raise exceptions.ValidationError({PAGE_SIZE_PARAM: [str(exc)]}) from None


def api_paginate(request, qs: QuerySet, ordering, *, default_size: int, max_size: int, fetch=list) -> Page:
    """`paginate` for an API view: cursor and page_size from the query, errors as 400 field errors."""
    size = api_page_size(request, default=default_size, maximum=max_size)
    try:
        return paginate(qs, ordering, cursor=request.query_params.get(CURSOR_PARAM), size=size, fetch=fetch)
    except InvalidCursor as exc:
        raise exceptions.ValidationError({CURSOR_PARAM: [str(exc)]}) from None


def api_page_body(request, page: Page, results: list) -> dict[str, Any]:
    return {
        "next": api_link(request, page.next_cursor),
        "previous": api_link(request, page.previous_cursor),
        "results": results,
    }


class KeysetPagination(BasePagination):
    """The API's pagination: `{"next", "previous", "results"}`, `?cursor=` and `?page_size=`.

    Oldest first (by id) unless the view sets `keyset_ordering`."""

    page_size = 100
    max_page_size = 500
    ordering: tuple[str, ...] = ("id",)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        ordering = getattr(view, "keyset_ordering", None) or self.ordering
        self.page = api_paginate(request, queryset, ordering, default_size=self.page_size, max_size=self.max_page_size)
        return self.page.rows

    def get_paginated_response(self, data):
        return Response(api_page_body(self.request, self.page, data))

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": CURSOR_PARAM,
                "required": False,
                "in": "query",
                "description": "The pagination cursor value.",
                "schema": {"type": "string"},
            },
            {
                "name": PAGE_SIZE_PARAM,
                "required": False,
                "in": "query",
                "description": f"Number of results to return per page (at most {self.max_page_size}).",
                "schema": {"type": "integer"},
            },
        ]


__all__ = [
    "BACKWARD",
    "FORWARD",
    "InvalidCursor",
    "KeysetPagination",
    "Ordering",
    "Page",
    "PageLinks",
    "api_link",
    "api_page_body",
    "api_page_size",
    "api_paginate",
    "cursor_after",
    "decode_cursor",
    "encode_cursor",
    "invalid_cursor_context",
    "last_page_cursor",
    "page_size_from",
    "page_url",
    "paginate",
]
