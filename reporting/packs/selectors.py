"""Reads of packs. A pack is reached only through its case, and its case only through cases_visible_to."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from audit.services import access_refused_record
from cases.models import Case
from cases.selectors import cases_visible_to
from reporting.packs.models import Pack


def case_packs(case: Case) -> QuerySet[Pack]:
    """Packs of a case the caller already holds through case_for_user."""
    return Pack.objects.filter(case=case).select_related("generated_by").prefetch_related("agencies")


def pack_for_user(user: User | AnonymousUser, pack_id: object) -> Pack:
    """The pack if its case is visible to the user; otherwise 404, as for a pack that does not exist."""
    try:
        pk = int(str(pack_id))
    except (TypeError, ValueError):
        access_refused_record(actor=user, what="pack")
        raise Http404("No such pack.") from None
    pack: Pack | None = (
        Pack.objects.filter(pk=pk, case__in=cases_visible_to(user)).select_related("case", "generated_by").first()
    )
    if pack is None:
        access_refused_record(actor=user, what="pack")
        raise Http404("No such pack.")
    return pack
