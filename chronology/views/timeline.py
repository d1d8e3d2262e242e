"""The timeline page: the case's entries drawn on agency lanes over a date range."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from audit.services import audit_record
from cases import selectors
from chronology import selectors as entry_selectors
from chronology.timeline import build_timeline
from chronology.views.chronology import filtered_entries, highlighted_ids

TIMELINE_LIMIT = 2000


@login_required
def timeline(request, case_id: int):
    case = selectors.case_for_user(request.user, case_id)
    form, filters, qs = filtered_entries(request, case)
    highlight = highlighted_ids(request)
    drawing = None
    truncated = False
    if qs is not None:
        to = form.cleaned_data.get("date_to") if form.is_bound and form.is_valid() else None
        start = form.cleaned_data.get("date_from") if form.is_bound and form.is_valid() else None
        end = to or timezone.localdate()
        if start is None:
            start = end - dt.timedelta(days=365)
            qs = qs.filter(occurred_on__gte=start)
        entries = list(qs[: TIMELINE_LIMIT + 1])
        truncated = len(entries) > TIMELINE_LIMIT
        views = entry_selectors.present_entries(request.user, case, entries[:TIMELINE_LIMIT])
        drawing = build_timeline(
            views,
            lambda e: reverse("entry-detail", args=[case.pk, e.pk]),
            start,
            end,
            highlight,
        )
    audit_record(actor=request.user, action="chronology.timeline_viewed", case=case)
    return render(
        request,
        "chronology/chronology_timeline.html",
        {
            "case": case,
            "tab": "chronology",
            "form": form,
            "timeline": drawing,
            "truncated": truncated,
            "limit": TIMELINE_LIMIT,
            "query": filters.urlencode(),
        },
    )
