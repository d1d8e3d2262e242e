"""The filters of a case's audit trail page: who, what and when."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from audit.descriptions import action_choices
from audit.models import AuditEvent
from core.forms import GovukDateField, GovukForm


class AuditFilterForm(GovukForm):
    """Filters for the rows of one case's trail. `people` are the (id, name) of those who appear in it."""

    actor = forms.ChoiceField(label="Person", required=False)
    action = forms.ChoiceField(label="Event", required=False)
    date_from = GovukDateField(label="From", required=False, error_name="the start date")
    date_to = GovukDateField(label="To", required=False, error_name="the end date")

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [("", "Everyone"), *((str(pk), name) for pk, name in people)]
        self.fields["action"].choices = [("", "Every event"), *action_choices()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "End date must be the same as or after the start date")
        return cleaned

    def apply(self, events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        """The rows that pass the valid filters (call after is_valid())."""
        data = self.cleaned_data if self.is_bound and not self.errors else {}
        condition = Q()
        if data.get("actor"):
            condition &= Q(actor_id=int(data["actor"]))
        if data.get("action"):
            condition &= Q(action=data["action"])
        if data.get("date_from"):
            condition &= Q(at__gte=_start_of(data["date_from"]))
        if data.get("date_to") and data["date_to"] < dt.date.max:
            condition &= Q(at__lt=_start_of(data["date_to"] + dt.timedelta(days=1)))
        return events.filter(condition)

    @property
    def active(self) -> bool:
        return bool(self.is_bound and not self.errors and any(self.cleaned_data.get(f) for f in self.fields))


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def people_in(events: QuerySet[AuditEvent]) -> list[tuple[int, str]]:
    """Everyone who appears in these rows, by name: the choices of the Person filter."""
    found = events.exclude(actor=None).order_by().values_list("actor_id", "actor__full_name", "actor__username")
    people = {pk: f"{name} ({username})" if name else username for pk, name, username in found.distinct()}
    return sorted(people.items(), key=lambda item: item[1].lower())
