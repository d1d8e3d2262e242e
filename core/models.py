"""Model parts shared by the apps."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class EnteredInErrorQuerySet(models.QuerySet[Any]):
    """Family records (people, relationships, household memberships, ecomap links) can be marked
    "entered in error". They are never deleted: `live()` leaves them out of drawings, rules, packs
    and lists, `entered_in_error()` finds them for the count and the history."""

    def live(self) -> EnteredInErrorQuerySet:
        return self.filter(entered_in_error_at__isnull=True)

    def entered_in_error(self) -> EnteredInErrorQuerySet:
        return self.filter(entered_in_error_at__isnull=False)


class EnteredInError(models.Model):
    """When, by whom and why a record was marked as entered in error (all blank while it stands)."""

    entered_in_error_at = models.DateTimeField(null=True, blank=True, editable=False)
    entered_in_error_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    entered_in_error_reason = models.CharField(max_length=2000, blank=True, editable=False)

    objects = EnteredInErrorQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_entered_in_error(self) -> bool:
        return self.entered_in_error_at is not None
