"""API of the shared chronology: entries, their revisions, amend, retract, import.

Thin: the case comes from CaseScopedMixin (the access selector), reads from chronology.selectors
(which masks restricted entries), writes from chronology.services.
"""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.text import capfirst
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.fields import empty
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.models import Agency
from cases.api.base import CaseScopedMixin
from chronology import importers
from chronology import selectors as entry_selectors
from chronology import services as entry_services
from chronology.models import (
    AdultCheckResult,
    AdultCheckType,
    ChronologyEntry,
    EntryDatePrecision,
    EntryKind,
    EntryRevision,
    EntrySource,
    Significance,
    SleepSpace,
)
from core.api import BoundedIntegerField, IdField, LimitedCharField, ORJSONRenderer, error_responses
from core.bounds import DB_INT_MAX, text_limit
from core.pagination import CURSOR_PARAM, PAGE_SIZE_PARAM, api_page_body, api_paginate

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500

INJURY_FIELDS = {
    "body_site": "injury_body_site",
    "injury_type": "injury_type",
    "explanation": "injury_explanation",
    "explanation_consistent": "injury_explanation_consistent",
}

# The structured fields of an adult check and of safer sleep, nested like the injury's.
ADULT_CHECK_FIELDS = {"check": "adult_check_type", "result": "adult_check_result"}
SAFER_SLEEP_FIELDS = {
    "advice_given": "safer_sleep_advice_given",
    "co_sleeping": "safer_sleep_co_sleeping",
    "sleep_space": "safer_sleep_space",
}
# Each nested object's fields left out of a write: blank text, or None for a yes/no.
NESTED_EMPTY = {
    "adult_check_type": "",
    "adult_check_result": "",
    "safer_sleep_advice_given": None,
    "safer_sleep_co_sleeping": None,
    "safer_sleep_space": "",
}


def etag_for(entry) -> str:
    return f'"entry-{entry.pk}-rev-{entry.revision}"'


def revision_from_if_match(header: str | None, entry_id: int) -> int | None:
    if not header:
        return None
    # At most 19 digits each: a bigint, so a long string of digits is refused, not converted.
    match = re.fullmatch(r'\s*(?:W/)?"entry-(\d{1,19})-rev-(\d{1,19})"\s*', header)
    if not match or int(match.group(1)) != entry_id or int(match.group(2)) > DB_INT_MAX:
        raise ValidationError({"If-Match": ["Send the ETag you received with the entry, unchanged."]})
    return int(match.group(2))


def _injury_json(entry) -> dict | None:
    if not (entry.injury_body_site or entry.injury_type or entry.injury_explanation):
        return None
    return {api: getattr(entry, model) for api, model in INJURY_FIELDS.items()}


def _adult_check_json(entry) -> dict | None:
    if not (entry.adult_check_type or entry.adult_check_result):
        return None
    return {api: getattr(entry, model) for api, model in ADULT_CHECK_FIELDS.items()}


def _safer_sleep_json(entry) -> dict | None:
    values = {api: getattr(entry, model) for api, model in SAFER_SLEEP_FIELDS.items()}
    if all(value in (None, "") for value in values.values()):
        return None
    return values


NO_PEOPLE: dict[str, list[int]] = {"subjects": [], "present": [], "seen": [], "seen_alone": []}


def entry_json(view: entry_selectors.EntryView, people: dict[str, list[int]] | None = None) -> dict:
    """Entry JSON exactly as DESIGN.md lists it, or a placeholder for a restricted entry.

    `people` (from entry_selectors.people_links) saves a list from loading Person rows."""
    e = view.entry
    if people is None and not view.masked:
        people = {name: [p.pk for p in getattr(e, name).all()] for name in NO_PEOPLE}
    base = {
        "id": e.pk,
        "occurred_on": e.occurred_on.isoformat(),
        "date_precision": e.date_precision,
        "date_display": view.date_display,
        "agency": e.agency_id,
        "agency_name": e.agency.name,
        "restricted": e.restricted,
        "revision": e.revision,
        "amended": e.amended,
        "retracted": e.retracted,
    }
    if view.masked:
        return {
            **base,
            "masked": True,
            "occurred_time": None,
            "kind": None,
            "summary": view.placeholder,
            "detail": "",
            "child_voice": "",
            "significance": None,
            "subjects": [],
            "present": [],
            "seen": [],
            "seen_alone": [],
            "source": None,
            "injury": None,
            "adult_check": None,
            "safer_sleep": None,
            "action": "",
            "outcome": "",
            "no_action_reason": "",
            "agency_ref": "",
            "recorded_at": None,
            "recorded_by": None,
        }
    return {
        **base,
        "masked": False,
        "occurred_time": e.occurred_time.isoformat(timespec="minutes") if e.occurred_time else None,
        "kind": e.kind,
        "summary": e.summary,
        "detail": e.detail,
        "child_voice": e.child_voice,
        "significance": e.significance,
        "subjects": people["subjects"],
        "present": people["present"],
        "seen": people["seen"],
        "seen_alone": people["seen_alone"],
        "source": e.source,
        "injury": _injury_json(e),
        "adult_check": _adult_check_json(e),
        "safer_sleep": _safer_sleep_json(e),
        "action": e.action,
        "outcome": e.outcome,
        "no_action_reason": e.no_action_reason,
        "agency_ref": e.agency_ref,
        "recorded_at": e.recorded_at.isoformat(),
        "recorded_by": e.recorded_by_id,
    }


# Fields whose API name is not what the message should say.
API_LABELS_FROM_MODEL = ("child_voice", "no_action_reason", "agency_ref")


def _text(name: str, **kwargs) -> LimitedCharField:
    """An entry text field with the limit and the name of its model field (core.bounds)."""
    label = capfirst(ChronologyEntry._meta.get_field(name).verbose_name) if name in API_LABELS_FROM_MODEL else None
    return LimitedCharField(max_length=text_limit(ChronologyEntry, name), label=label, **kwargs)


def _optional_text(name: str) -> LimitedCharField:
    return _text(name, allow_blank=True, required=False, default="")


def _people() -> serializers.ListField:
    return serializers.ListField(child=IdField(), required=False, default=list)


class InjurySerializer(serializers.Serializer):
    body_site = _optional_text("injury_body_site")
    injury_type = _optional_text("injury_type")
    explanation = _optional_text("injury_explanation")
    explanation_consistent = serializers.BooleanField(allow_null=True, required=False, default=None)


class AdultCheckSerializer(serializers.Serializer):
    check = serializers.ChoiceField(choices=AdultCheckType.choices, allow_blank=True, required=False, default="")
    result = serializers.ChoiceField(choices=AdultCheckResult.choices, allow_blank=True, required=False, default="")


class SaferSleepSerializer(serializers.Serializer):
    advice_given = serializers.BooleanField(allow_null=True, required=False, default=None)
    co_sleeping = serializers.BooleanField(allow_null=True, required=False, default=None)
    sleep_space = serializers.ChoiceField(choices=SleepSpace.choices, allow_blank=True, required=False, default="")


class EntryWriteSerializer(serializers.Serializer):
    """Validates the shape of an entry; the rules of good recording live in entry_services."""

    occurred_on = serializers.DateField()
    occurred_time = serializers.TimeField(allow_null=True, required=False, default=None)
    date_precision = serializers.ChoiceField(choices=EntryDatePrecision.choices, default=EntryDatePrecision.DAY)
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), required=False, allow_null=True)
    kind = serializers.ChoiceField(
        choices=EntryKind.choices,
        error_messages={
            "invalid_choice": "“{input}” is not a known kind of entry: use a code of the entry kinds vocabulary."
        },
    )
    summary = _text("summary")
    detail = _optional_text("detail")
    child_voice = _optional_text("child_voice")
    significance = serializers.ChoiceField(choices=Significance.choices, default=Significance.MEDIUM)
    subjects = _people()
    present = _people()
    seen = _people()
    seen_alone = _people()
    source = serializers.ChoiceField(choices=EntrySource.choices, default=EntrySource.OBSERVED)
    injury = InjurySerializer(allow_null=True, required=False, default=None)
    adult_check = AdultCheckSerializer(
        allow_null=True, required=False, default=None, help_text="For an adult_check entry: which check, its result."
    )
    safer_sleep = SaferSleepSerializer(allow_null=True, required=False, default=None)
    action = _optional_text("action")
    outcome = _optional_text("outcome")
    no_action_reason = _optional_text("no_action_reason")
    agency_ref = _optional_text("agency_ref")
    restricted = serializers.BooleanField(required=False, default=False)

    def to_service_fields(self) -> dict:
        data = dict(self.validated_data)
        if "injury" in data:
            injury = data.pop("injury") or {}
            for api, model in INJURY_FIELDS.items():
                data[model] = injury.get(api, None if api == "explanation_consistent" else "")
        for key, mapping in (("adult_check", ADULT_CHECK_FIELDS), ("safer_sleep", SAFER_SLEEP_FIELDS)):
            if key in data:
                nested = data.pop(key) or {}
                for api, model in mapping.items():
                    data[model] = nested.get(api, NESTED_EMPTY[model])
        return data


REASON_LIMIT = text_limit(EntryRevision, "reason")


# A blank reason reaches the service, which says why it is needed, as it does for a missing one.
REASON_REQUIRED = {"required": "Say why the entry is being changed."}


class EntryAmendSerializer(EntryWriteSerializer):
    """An amendment: only the fields that change, with the reason (and the revision the user saw).

    Every entry field is optional and has no default here: a field left out stays as it is."""

    reason = LimitedCharField(max_length=REASON_LIMIT, allow_blank=True, error_messages=REASON_REQUIRED)
    revision = BoundedIntegerField(min_value=0, required=False, allow_null=True, default=None)

    def get_fields(self):
        fields = super().get_fields()
        for name, field in fields.items():
            if name not in ("reason", "revision"):
                field.required = False
                field.default = empty
        return fields


class EntryRetractSerializer(serializers.Serializer):
    reason = LimitedCharField(max_length=REASON_LIMIT, allow_blank=True, error_messages=REASON_REQUIRED)
    revision = BoundedIntegerField(min_value=0, required=False, allow_null=True, default=None)


# Responses. entry_json() builds the body; these serializers describe it for the OpenAPI schema
# (every field always present; `null` where the entry is masked or the value is not recorded).


class InjuryOutSerializer(serializers.Serializer):
    body_site = serializers.CharField()
    injury_type = serializers.CharField()
    explanation = serializers.CharField()
    explanation_consistent = serializers.BooleanField(allow_null=True)


class AdultCheckOutSerializer(serializers.Serializer):
    check = serializers.ChoiceField(choices=AdultCheckType.choices, allow_blank=True)
    result = serializers.ChoiceField(choices=AdultCheckResult.choices, allow_blank=True)


class SaferSleepOutSerializer(serializers.Serializer):
    advice_given = serializers.BooleanField(allow_null=True)
    co_sleeping = serializers.BooleanField(allow_null=True)
    sleep_space = serializers.ChoiceField(choices=SleepSpace.choices, allow_blank=True)


def _people_ids() -> serializers.ListField:
    return serializers.ListField(child=serializers.IntegerField())


class EntrySerializer(serializers.Serializer):
    """An entry as the user may see it: a restricted entry of another agency is `masked`, its
    summary a placeholder and its content empty or null."""

    id = serializers.IntegerField()
    occurred_on = serializers.DateField()
    date_precision = serializers.ChoiceField(choices=EntryDatePrecision.choices)
    date_display = serializers.CharField()
    agency = serializers.IntegerField()
    agency_name = serializers.CharField()
    restricted = serializers.BooleanField()
    revision = serializers.IntegerField()
    amended = serializers.BooleanField()
    retracted = serializers.BooleanField()
    masked = serializers.BooleanField()
    occurred_time = serializers.CharField(allow_null=True, help_text="HH:MM")
    kind = serializers.ChoiceField(choices=EntryKind.choices, allow_null=True)
    summary = serializers.CharField()
    detail = serializers.CharField()
    child_voice = serializers.CharField()
    significance = serializers.ChoiceField(choices=Significance.choices, allow_null=True)
    subjects = _people_ids()
    present = _people_ids()
    seen = _people_ids()
    seen_alone = _people_ids()
    source = serializers.ChoiceField(choices=EntrySource.choices, allow_null=True)
    injury = InjuryOutSerializer(allow_null=True)
    adult_check = AdultCheckOutSerializer(allow_null=True)
    safer_sleep = SaferSleepOutSerializer(allow_null=True)
    action = serializers.CharField()
    outcome = serializers.CharField()
    no_action_reason = serializers.CharField()
    agency_ref = serializers.CharField()
    recorded_at = serializers.DateTimeField(allow_null=True)
    recorded_by = serializers.IntegerField(allow_null=True)


class EntryPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = EntrySerializer(many=True)


class EntryConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    revision = serializers.IntegerField(help_text="The entry's current revision.")
    entry = EntrySerializer()


def api_errors(exc: DjangoValidationError) -> dict:
    """Service errors in the API's field names: the injury_*, adult_check_* and safer_sleep_* fields are
    reported under `injury`, `adult_check` and `safer_sleep`."""
    if not hasattr(exc, "error_dict"):
        return {"detail": exc.messages}
    out: dict[str, list[str]] = {}
    for name, messages in exc.message_dict.items():
        key = name
        for prefix in ("injury", "adult_check", "safer_sleep"):
            if name.startswith(f"{prefix}_"):
                key = prefix
        out.setdefault(key, []).extend(messages)
    return out


def conflict_response(request, case, exc: entry_services.EntryConflict) -> Response:
    view = entry_selectors.entry_for_user(request.user, case, exc.entry.pk)
    return Response(
        {"detail": str(exc), "revision": exc.current_revision, "entry": entry_json(view)},
        status=status.HTTP_409_CONFLICT,
        headers={"ETag": etag_for(exc.entry)},
    )


class EntryListCreate(CaseScopedMixin, APIView):
    """GET the merged chronology, oldest first (or `?order=newest`), keyset-paginated; POST an entry."""

    audit_read_action = "chronology.read"
    renderer_classes = [ORJSONRenderer]

    @extend_schema(
        operation_id="cases_entries_list",
        parameters=[
            OpenApiParameter("from", str, description="YYYY-MM-DD"),
            OpenApiParameter("to", str, description="YYYY-MM-DD"),
            OpenApiParameter("agency", int, many=True),
            OpenApiParameter("kind", str, many=True),
            OpenApiParameter("person", int),
            OpenApiParameter("significance", str, many=True),
            OpenApiParameter(
                "q",
                str,
                description="Text search: entries whose summary or detail contains every word (any case), at most "
                f"{entry_selectors.SEARCH_MAX_CHARS} characters. Restricted entries the user may not read in full "
                "are left out of a search.",
            ),
            OpenApiParameter(
                "order",
                str,
                enum=list(entry_selectors.ORDERS),
                description="`oldest` first (the default) or `newest` first; a cursor belongs to its order.",
            ),
            OpenApiParameter(CURSOR_PARAM, str, description="The pagination cursor value."),
            OpenApiParameter(PAGE_SIZE_PARAM, int, description=f"Entries per page (at most {MAX_PAGE_SIZE})."),
        ],
        responses={200: EntryPageSerializer, **error_responses(400, 404)},
    )
    def get(self, request, case_id):
        filters = request.query_params.copy()
        for name in (CURSOR_PARAM, PAGE_SIZE_PARAM, "order"):
            filters.pop(name, None)
        order = request.query_params.get("order") or "oldest"
        if order not in entry_selectors.ORDERS:
            raise ValidationError({"order": ["Give `oldest` or `newest`."]})
        try:
            qs = entry_selectors.entries_for_case(request.user, self.case, filters)
        except DjangoValidationError as exc:
            raise ValidationError(api_errors(exc)) from None
        page = api_paginate(
            request,
            qs,
            entry_selectors.entry_ordering(order),
            default_size=PAGE_SIZE,
            max_size=MAX_PAGE_SIZE,
            fetch=entry_selectors.row_objects,
        )
        views = entry_selectors.present_entries(request.user, self.case, page.rows)
        links = entry_selectors.people_links(v.id for v in views if not v.masked)
        return Response(api_page_body(request, page, [entry_json(v, links.get(v.id, NO_PEOPLE)) for v in views]))

    @extend_schema(request=EntryWriteSerializer, responses={201: EntrySerializer, **error_responses(400, 404)})
    def post(self, request, case_id):
        serializer = EntryWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = serializer.to_service_fields()
        try:
            entry = entry_services.entry_create(acting_user=request.user, case=self.case, **fields)
        except DjangoValidationError as exc:
            raise ValidationError(api_errors(exc)) from None
        view = entry_selectors.entry_for_user(request.user, self.case, entry.pk)
        return Response(entry_json(view), status=status.HTTP_201_CREATED, headers={"ETag": etag_for(entry)})


class EntryDetail(CaseScopedMixin, APIView):
    audit_read_action = "entry.viewed"

    @extend_schema(responses={200: EntrySerializer, **error_responses(404)})
    def get(self, request, case_id, entry_id):
        view = entry_selectors.entry_for_user(request.user, self.case, entry_id)
        return Response(entry_json(view), headers={"ETag": etag_for(view.entry)})


IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description="The entry's ETag as read: an alternative to `revision` in the body (one of them is needed).",
)


class _EntryChange(CaseScopedMixin, APIView):
    serializer_class: type[serializers.Serializer]

    def expected_revision(self, request, entry, body_revision):
        header = revision_from_if_match(request.headers.get("If-Match"), entry.pk)
        if header is not None and body_revision is not None and header != body_revision:
            raise ValidationError({"revision": ["The revision and the If-Match header disagree."]})
        return body_revision if body_revision is not None else header

    def post(self, request, case_id, entry_id):
        view = entry_selectors.entry_for_user(request.user, self.case, entry_id)
        if view.masked:
            raise PermissionDenied("This entry is restricted: only the agency that recorded it can change it.")
        serializer = self.serializer_class(data=request.data, **self.serializer_kwargs())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        expected = self.expected_revision(request, view.entry, data.pop("revision", None))
        reason = data.pop("reason", "")
        try:
            entry = self.change(request, view.entry, reason, expected, serializer)
        except entry_services.EntryConflict as exc:
            return conflict_response(request, self.case, exc)
        except DjangoValidationError as exc:
            raise ValidationError(api_errors(exc)) from None
        fresh = entry_selectors.entry_for_user(request.user, self.case, entry.pk)
        return Response(entry_json(fresh), headers={"ETag": etag_for(entry)})

    def serializer_kwargs(self):
        return {}


class EntryAmend(_EntryChange):
    serializer_class = EntryAmendSerializer

    def serializer_kwargs(self):
        return {"partial": True}

    @extend_schema(
        request=EntryAmendSerializer,
        parameters=[IF_MATCH],
        responses={200: EntrySerializer, 409: EntryConflictSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, case_id, entry_id):
        return super().post(request, case_id, entry_id)

    def change(self, request, entry, reason, expected, serializer):
        changes = serializer.to_service_fields()
        changes.pop("reason", None)
        changes.pop("revision", None)
        if changes.pop("agency", None) not in (None, entry.agency):
            raise ValidationError({"agency": ["The recording agency of an entry cannot be changed."]})
        if changes.get("agency_ref", entry.agency_ref) != entry.agency_ref:
            raise ValidationError({"agency_ref": ["The agency's reference of an entry cannot be changed."]})
        changes.pop("agency_ref", None)
        return entry_services.entry_amend(
            acting_user=request.user, entry=entry, reason=reason, expected_revision=expected, **changes
        )


class EntryRetract(_EntryChange):
    serializer_class = EntryRetractSerializer

    @extend_schema(
        request=EntryRetractSerializer,
        parameters=[IF_MATCH],
        responses={200: EntrySerializer, 409: EntryConflictSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, case_id, entry_id):
        return super().post(request, case_id, entry_id)

    def change(self, request, entry, reason, expected, serializer):
        return entry_services.entry_retract(
            acting_user=request.user, entry=entry, reason=reason, expected_revision=expected
        )


class RevisionSerializer(serializers.ModelSerializer):
    subjects = _people_ids()
    present = _people_ids()
    seen = _people_ids()
    seen_alone = _people_ids()
    injury = serializers.SerializerMethodField()

    class Meta:
        model = EntryRevision
        fields = [
            "number",
            "occurred_on",
            "occurred_time",
            "date_precision",
            "kind",
            "summary",
            "detail",
            "child_voice",
            "significance",
            "subjects",
            "present",
            "seen",
            "seen_alone",
            "source",
            "injury",
            "action",
            "outcome",
            "no_action_reason",
            "restricted",
            "retracted",
            "reason",
            "revised_by",
            "revised_at",
        ]

    @extend_schema_field(InjuryOutSerializer(allow_null=True))
    def get_injury(self, obj) -> dict | None:
        return _injury_json(obj)


class EntryRevisions(CaseScopedMixin, generics.ListAPIView):
    """Every revision of an entry, oldest first: who changed it, when and why."""

    serializer_class = RevisionSerializer
    audit_read_action = "entry.revisions_viewed"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI generator has no case or entry
            return EntryRevision.objects.none()
        view = entry_selectors.entry_for_user(self.request.user, self.case, self.kwargs["entry_id"])
        if view.masked:
            raise PermissionDenied("This entry is restricted: its history is shown only to the agency that holds it.")
        return entry_selectors.entry_revisions(view.entry)


class EntryImportResultSerializer(serializers.Serializer):
    created = serializers.ListField(child=serializers.IntegerField(), help_text="Ids of the entries created.")
    already_imported = serializers.IntegerField(help_text="Rows skipped: imported before (same agency reference).")
    rows = serializers.IntegerField()


class EntryImportRowErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    field = serializers.CharField()
    message = serializers.CharField()


class EntryImportErrorSerializer(serializers.Serializer):
    """Rows refused (`detail` and `errors`), or a request refused before the file is read (a field error)."""

    detail = serializers.CharField(required=False)
    errors = EntryImportRowErrorSerializer(many=True, required=False)


class EntryImport(CaseScopedMixin, APIView):
    """POST a CSV or XLSX file (multipart field `file`) in the documented template: all rows or none."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        request={
            "multipart/form-data": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
        },
        responses={201: EntryImportResultSerializer, 400: EntryImportErrorSerializer},
    )
    def post(self, request, case_id):
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": ["Choose a CSV or XLSX file to import."]})
        result = importers.import_entries(acting_user=request.user, case=self.case, upload=upload)
        if not result.ok:
            return Response(
                {
                    "detail": result.message
                    or "Nothing was imported: correct the rows listed and import the file again.",
                    "errors": [{"line": e.line, "field": e.field, "message": e.message} for e in result.errors],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(
            {
                "created": [e.pk for e in result.created],
                "already_imported": result.skipped,
                "rows": result.rows,
            },
            status=status.HTTP_201_CREATED,
        )
