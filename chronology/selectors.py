"""Reads of chronology entries for a case the caller already holds through case_for_user.

Restricted entries are masked here, in one place: the API, the pages and the exports all read
entries through these functions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import django_filters
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import CharField, Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.http import Http404

from agencies.models import Agency
from audit.services import audit_record
from cases import permissions
from cases.models import Case, Person
from chronology.models import CONTENT_FIELDS, ChronologyEntry, EntryKind, EntryRevision, Significance, format_entry_date
from core.api import IdMultipleChoiceFilter
from core.bounds import TextLengthValidator
from core.pagination import Ordering, cursor_after, paginate

PEOPLE_M2M = ("subjects", "present", "seen", "seen_alone")
SEARCH_MAX_CHARS = 200
SEARCH_MAX_WORDS = 10


def search_words(text: str) -> list[str]:
    """The words of a chronology search: at most SEARCH_MAX_WORDS, each matched anywhere in the text."""
    return str(text).split()[:SEARCH_MAX_WORDS]


class EntryFilter(django_filters.FilterSet):
    """The filters of the merged chronology, shared by the API, the pages and the exports."""

    date_from = django_filters.DateFilter(field_name="occurred_on", lookup_expr="gte", label="From")
    date_to = django_filters.DateFilter(field_name="occurred_on", lookup_expr="lte", label="To")
    agency = IdMultipleChoiceFilter(queryset=Agency.objects.all(), label="Agency")
    kind = django_filters.MultipleChoiceFilter(choices=EntryKind.choices, label="Kind")
    person = django_filters.ModelChoiceFilter(queryset=Person.objects.all(), method="filter_person", label="Person")
    significance = django_filters.MultipleChoiceFilter(choices=Significance.choices, label="Significance")
    q = django_filters.CharFilter(
        method="filter_text", label="Search", validators=[TextLengthValidator(SEARCH_MAX_CHARS, "Search")]
    )

    class Meta:
        model = ChronologyEntry
        fields: list[str] = []

    def __init__(self, data=None, *args, case: Case | None = None, **kwargs):
        # The API and the pages say `from` and `to`, which are Python keywords.
        if data is not None:
            data = data.copy()
            for outer, inner in (("from", "date_from"), ("to", "date_to")):
                if outer in data and inner not in data:
                    data[inner] = data[outer]
            for name in ("agency", "kind", "significance"):
                # Accept both ?kind=a&kind=b and ?kind=a,b.
                if hasattr(data, "getlist"):
                    values = [v for raw in data.getlist(name) for v in str(raw).split(",") if v]
                    if values:
                        data.setlist(name, values)
        super().__init__(data, *args, **kwargs)
        if case is not None:
            self.filters["agency"].queryset = Agency.objects.filter(involvements__case=case).order_by("name")
            self.filters["person"].queryset = Person.objects.live().filter(case=case)

    def filter_person(self, queryset, name, value):
        if not value:
            return queryset
        cond = Q()
        for rel in PEOPLE_M2M:
            through = ChronologyEntry._meta.get_field(rel).remote_field.through
            cond |= Q(Exists(through.objects.filter(chronologyentry_id=OuterRef("pk"), person_id=value.pk)))
        return queryset.filter(cond)

    def filter_text(self, queryset, name, value):
        """Every word of the search in the summary or the detail (any case). Restricted entries the
        user may not read are left out by entries_for_case (narrows_by_content), so a hit never
        says what their hidden text contains."""
        for word in search_words(value):
            queryset = queryset.filter(Q(summary__icontains=word) | Q(detail__icontains=word))
        return queryset

    @property
    def narrows_by_content(self) -> bool:
        """Filters that would reveal a restricted entry's content if it matched."""
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        return bool(
            data.get("kind") or data.get("person") or data.get("significance") or search_words(data.get("q") or "")
        )


def entries_for_case(user, case: Case, filters=None) -> QuerySet[ChronologyEntry]:
    """The case's entries in chronological order, filtered; raises ValidationError on bad filters.

    Rows come back whole: mask them with `present_entries` before showing them. A filter on kind,
    person or significance, or a text search, leaves out the restricted entries the user may not
    read, so that a filter or a search cannot reveal what a restricted entry is about.
    """
    qs = (
        ChronologyEntry.objects.filter(case=case)
        .select_related("agency", "recorded_by")
        .order_by("occurred_on", "sequence", "id")
    )
    if filters:
        fs = EntryFilter(filters, queryset=qs, case=case)
        if not fs.is_valid():
            names = {"date_from": "from", "date_to": "to"}
            raise ValidationError(
                {names.get(k, k): [e["message"] for e in v] for k, v in fs.errors.get_json_data().items()}
            )
        qs = fs.qs
        if fs.narrows_by_content:
            qs = qs.filter(permissions.readable_entries_filter(user, case))
    return qs


def with_people(qs: QuerySet[ChronologyEntry]) -> QuerySet[ChronologyEntry]:
    people = Person.objects.only("id", "given_name", "family_name", "known_as", "case_id")
    return qs.prefetch_related(*(Prefetch(name, queryset=people) for name in PEOPLE_M2M))


def people_links(entry_ids=None, *, case: Case | None = None) -> dict[int, dict[str, list[int]]]:
    """The person ids linked to each entry, by role, in one query (a UNION ALL of the link tables).

    For a page, pass its entry ids; for an export, pass the case (one query for all its entries).
    Lists and exports need only the ids (or names looked up once per case), so they use this
    rather than with_people, which builds a Person object and a manager per entry and role.
    """
    if case is not None:
        where = Q(chronologyentry__case=case)
    else:
        ids = list(entry_ids or ())
        if not ids:
            return {}
        if connection.vendor == "postgresql":
            return _people_links_any(ids)
        where = Q(chronologyentry_id__in=ids)
    queries = []
    for role in PEOPLE_M2M:
        through = ChronologyEntry._meta.get_field(role).remote_field.through
        queries.append(
            through.objects.filter(where)
            .annotate(role=Value(role, output_field=CharField()))
            .values_list("chronologyentry_id", "person_id", "role")
            .order_by()
        )
    first, *rest = queries
    links: dict[int, dict[str, list[int]]] = {}
    for entry_id, person_id, role in first.union(*rest, all=True):
        roles = links.get(entry_id)
        if roles is None:
            roles = links[entry_id] = {name: [] for name in PEOPLE_M2M}
        roles[role].append(person_id)
    for roles in links.values():
        for people in roles.values():
            people.sort()
    return links


def _people_links_any(ids: list[int]) -> dict[int, dict[str, list[int]]]:
    """people_links for a page on PostgreSQL: the ids go as one array parameter (= ANY), not one
    placeholder per id and table, which the driver would otherwise have to parse on every page."""
    parts = []
    for role in PEOPLE_M2M:
        table = connection.ops.quote_name(ChronologyEntry._meta.get_field(role).remote_field.through._meta.db_table)
        parts.append(f"SELECT chronologyentry_id, person_id, %s FROM {table} WHERE chronologyentry_id = ANY(%s)")  # noqa: S608
    params: list = []
    for role in PEOPLE_M2M:
        params += [role, ids]
    links: dict[int, dict[str, list[int]]] = {}
    with connection.cursor() as cursor:
        # Table names come from the models, values only as parameters.
        cursor.execute(" UNION ALL ".join(parts) + " ORDER BY 1, 2", params)
        for entry_id, person_id, role in cursor.fetchall():
            roles = links.get(entry_id)
            if roles is None:
                roles = links[entry_id] = {name: [] for name in PEOPLE_M2M}
            roles[role].append(person_id)
    return links


def people_arrays(qs: QuerySet[ChronologyEntry]) -> dict[int, tuple[list[int], list[int], list[int], list[int]]]:
    """For each entry of `qs`, the ids of its subjects, present, seen and seen alone (each sorted), in one query.

    On PostgreSQL each entry comes back once with its four roles as arrays (array_agg over the four
    link tables, limited to the entries of `qs`); elsewhere people_links' UNION gives the same lists.
    Entries linking nobody are left out.
    """
    if connection.vendor != "postgresql":
        ids = list(qs.values_list("id", flat=True))
        return {
            entry_id: tuple(roles[name] for name in PEOPLE_M2M)  # type: ignore[misc]
            for entry_id, roles in people_links(ids).items()
        }
    union = " UNION ALL ".join(
        f"SELECT link.chronologyentry_id AS entry_id, {index} AS role, link.person_id FROM "  # noqa: S608
        + connection.ops.quote_name(ChronologyEntry._meta.get_field(role).remote_field.through._meta.db_table)
        + " AS link JOIN wanted ON wanted.id = link.chronologyentry_id"
        for index, role in enumerate(PEOPLE_M2M)
    )
    roles = ", ".join(
        f"COALESCE(array_agg(link.person_id) FILTER (WHERE link.role = {index}), '{{}}')"
        for index in range(len(PEOPLE_M2M))
    )
    entries_sql, params = qs.order_by().values("id").query.sql_with_params()
    # The entries' ids once (a CTE the four link tables join), the links grouped per entry.
    sql = (
        f"WITH wanted AS ({entries_sql}) "  # noqa: S608 (table names from the models, values as parameters)
        f"SELECT link.entry_id, {roles} FROM ({union}) AS link GROUP BY link.entry_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # Sorted here: an ORDER BY inside array_agg costs PostgreSQL a sort per entry and role, twice the query.
    for _, *lists in rows:
        for ids in lists:
            if len(ids) > 1:
                ids.sort()
    return {entry_id: (subjects, present, seen, alone) for entry_id, subjects, present, seen, alone in rows}


@dataclass
class EntryView:
    """An entry as one user may see it: whole, or a placeholder for a restricted entry."""

    entry: ChronologyEntry
    masked: bool
    duplicates: list[ChronologyEntry] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.entry.pk

    @property
    def date_display(self) -> str:
        return format_entry_date(self.entry.occurred_on, self.entry.date_precision)

    @property
    def placeholder(self) -> str:
        return f"A restricted entry exists for this date. It is held by {self.entry.agency.name}."


# What entry_json and the masking read of an entry, fetched with values() for exports.
ROW_FIELDS = (
    "id",
    *CONTENT_FIELDS,
    "agency_id",
    "agency_ref",
    "revision",
    "amended",
    "retracted",
    "recorded_at",
    "recorded_by_id",
    "sequence",
)


@dataclass(frozen=True, slots=True)
class AgencyName:
    pk: int
    name: str


class EntryRow:
    """A read-only entry built from a values() row: the attributes entry_json and EntryView read,
    without a model instance (a 10,000-entry export builds no model objects)."""

    __slots__ = (*ROW_FIELDS, "pk", "agency")

    def __init__(self, row: dict, agency: AgencyName):
        for name in ROW_FIELDS:
            setattr(self, name, row[name])
        self.pk = row["id"]
        self.agency = agency


def row_objects(qs: QuerySet[ChronologyEntry]) -> list[EntryRow]:
    """The entries of `qs` as EntryRows: one values() query, no model instances."""
    agencies: dict[int, AgencyName] = {}
    rows = []
    for row in qs.values(*ROW_FIELDS, "agency__name"):
        agency = agencies.get(row["agency_id"])
        if agency is None:
            agency = agencies[row["agency_id"]] = AgencyName(row["agency_id"], row["agency__name"])
        rows.append(EntryRow(row, agency))
    return rows


def entry_rows(user, case: Case, qs: QuerySet[ChronologyEntry]):
    """EntryViews over EntryRows for every entry of `qs`, in one query (no OFFSET, no COUNT).

    A plain client-side fetch, not a server-side cursor, so it also works through a connection
    pooler in transaction mode; the rows are plain tuples, far smaller than model instances."""
    agencies: dict[int, AgencyName] = {}
    for row in qs.values(*ROW_FIELDS, "agency__name"):
        agency = agencies.get(row["agency_id"])
        if agency is None:
            agency = agencies[row["agency_id"]] = AgencyName(row["agency_id"], row["agency__name"])
        entry = EntryRow(row, agency)
        masked = not permissions.can_read_in_full(user, case, restricted=entry.restricted, agency_id=entry.agency_id)
        audit_admin_restricted_read(user, case, entry, masked)
        yield EntryView(entry=entry, masked=masked)


def present_entries(user, case: Case, entries) -> list[EntryView]:
    views = [
        EntryView(
            entry=e, masked=not permissions.can_read_in_full(user, case, restricted=e.restricted, agency_id=e.agency_id)
        )
        for e in entries
    ]
    for view in views:
        audit_admin_restricted_read(user, case, view.entry, view.masked)
    return views


def audit_admin_restricted_read(user, case: Case, entry, masked: bool) -> None:
    """An administrator sees restricted entries in full, but never silently: each such read is an
    `entry.restricted_read` audit row on the case, which the recording agency's managers read."""
    if masked or not entry.restricted or not permissions.restricted_read_is_audited(user, entry.agency_id):
        return
    audit_record(
        actor=user,
        action="entry.restricted_read",
        case=case,
        detail={"entry": entry.pk, "agency": entry.agency.pk, "agency_name": entry.agency.name},
    )


def entry_for_user(user, case: Case, entry_id) -> EntryView:
    try:
        pk = int(entry_id)
    except (TypeError, ValueError):
        raise Http404("No such entry.") from None
    entry = with_people(
        ChronologyEntry.objects.filter(case=case, pk=pk).select_related("agency", "recorded_by", "case")
    ).first()
    if entry is None:
        raise Http404("No such entry.")
    return present_entries(user, case, [entry])[0]


def entry_revisions(entry: ChronologyEntry) -> QuerySet[EntryRevision]:
    return EntryRevision.objects.filter(entry=entry).select_related("revised_by").order_by("number")


def possible_duplicates(case: Case, entries: list[ChronologyEntry] | None = None) -> dict[int, list[ChronologyEntry]]:
    """Entries by two or more agencies about the same child, on the same date, of the same kind.

    Returns, for each entry id (of `entries`, or of the whole case), the other agencies' entries it
    may duplicate. They are shown grouped, never merged: each agency's record stands.
    """
    through = ChronologyEntry.subjects.through
    links = through.objects.filter(chronologyentry__case=case, chronologyentry__retracted=False)
    if entries is not None:
        keys = {(e.occurred_on, e.kind) for e in entries}
        if not keys:
            return {}
        dates = {d for d, _ in keys}
        links = links.filter(chronologyentry__occurred_on__in=dates)
    rows = links.values_list(
        "chronologyentry_id",
        "chronologyentry__occurred_on",
        "chronologyentry__kind",
        "chronologyentry__agency_id",
        "chronologyentry__date_precision",
        "person_id",
    )
    groups: dict[tuple, list[tuple[int, int]]] = defaultdict(list)
    for entry_id, on, kind, agency_id, precision, person_id in rows:
        if precision != "day":
            continue
        groups[(on, kind, person_id)].append((entry_id, agency_id))
    related: dict[int, set[int]] = defaultdict(set)
    for members in groups.values():
        if len({agency for _, agency in members}) < 2:
            continue
        for entry_id, agency_id in members:
            related[entry_id].update(other for other, other_agency in members if other_agency != agency_id)
    wanted = {e.pk for e in entries} if entries is not None else set(related)
    others_ids = {o for pk in wanted for o in related.get(pk, ())}
    others = {e.pk: e for e in ChronologyEntry.objects.filter(pk__in=others_ids).select_related("agency")}
    return {pk: [others[o] for o in sorted(related[pk])] for pk in wanted if related.get(pk)}


# --- Order and pages (core.pagination: one keyset scheme for every list) ------------------------

# Same-day entries keep their order: by time, then as recorded (sequence), then id.
OLDEST_FIRST = Ordering(("occurred_on", "sequence", "id"))
NEWEST_FIRST = Ordering(("-occurred_on", "-sequence", "-id"))
ORDERS = {"oldest": OLDEST_FIRST, "newest": NEWEST_FIRST}


def entry_ordering(order: str | None, *, default: str = "oldest") -> Ordering:
    """The ordering named `order` ("oldest" or "newest"); anything else is the default. The API,
    packs and exports are oldest first; the chronology page newest first."""
    return ORDERS.get(order or default, ORDERS[default])


def entry_page(qs: QuerySet[ChronologyEntry], cursor: str | None, size: int, *, ordering=OLDEST_FIRST, fetch=list):
    """One keyset page of the case's entries (core.pagination.paginate): no OFFSET, no COUNT, so a
    10,000-entry case pages as fast as a small one. Raises core.pagination.InvalidCursor."""
    return paginate(qs, ordering, cursor=cursor, size=size, fetch=fetch)


def cursor_of_page_holding(qs: QuerySet[ChronologyEntry], ids: set[int], size: int, ordering: Ordering) -> str | None:
    """For ?highlight=: a cursor of the page that starts at the first of these entries (in the
    order), or None when it is on the first page already (or none of them is in `qs`)."""
    first = qs.filter(pk__in=ids).order_by(*ordering.fields).values("occurred_on", "sequence", "id").first()
    if first is None:
        return None
    position = [first[name] for name in ordering.names]
    if len(qs.filter(ordering.after(position, backward=True)).order_by().values_list("id")[:size]) < size:
        return None
    # Just before the entry: the same date and sequence, and an id one step back in the order.
    first["id"] += 1 if ordering.fields[-1].startswith("-") else -1
    return cursor_after(ordering, first)


def unreadable_restricted_entries(user, case: Case, entry_ids: set[int]) -> dict[int, str]:
    """Of these entries of the case, those restricted (now or in any revision) that the user may not
    read in full, each with the name of the agency that holds it: what the audit listings redact."""
    if not entry_ids:
        return {}
    restricted_ids = set(
        EntryRevision.objects.filter(entry_id__in=entry_ids, entry__case=case, restricted=True).values_list(
            "entry_id", flat=True
        )
    )
    return {
        pk: agency_name
        for pk, agency_id, agency_name, restricted in ChronologyEntry.objects.filter(
            pk__in=entry_ids, case=case
        ).values_list("pk", "agency_id", "agency__name", "restricted")
        if (restricted or pk in restricted_ids) and not permissions.can_read_restricted(user, case, agency_id)
    }
