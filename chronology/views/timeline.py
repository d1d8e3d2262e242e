"""The timeline page: the case's entries drawn on agency lanes over a period the user chooses, with
zoom buttons (year, 6 months, 3 months, month) and links to the periods before and after. All
links: no script, keyboard accessible."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from audit.services import audit_record
from cases import selectors
from cases.timeline import status_bands
from chronology import selectors as entry_selectors
from chronology.timeline import ZOOMS, TimeWindow, build_timeline
from chronology.views.chronology import filtered_entries, highlighted_ids

TIMELINE_LIMIT = 2000


def _window_link(request, filters, window: TimeWindow | None) -> str | None:
    """The timeline URL for another window, keeping the other filters and the highlight."""
    if window is None:
        return None
    params = filters.copy()
    params["date_from"] = window.start.isoformat()
    params["date_to"] = window.end.isoformat()
    if request.GET.get("highlight"):
        params["highlight"] = request.GET["highlight"]
    return f"?{params.urlencode()}"


@login_required
def timeline(request, case_id: int):
    case = selectors.case_for_user(request.user, case_id)
    form, filters, qs = filtered_entries(request, case)
    highlight = highlighted_ids(request)
    drawing = None
    truncated = False
    navigation = None
    if qs is not None:
        cleaned = form.cleaned_data if form.is_bound and form.is_valid() else {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        bounds = qs.aggregate(latest=Max("occurred_on"))
        today = timezone.localdate()
        window = TimeWindow.choose(date_from=date_from, date_to=date_to, latest=bounds["latest"], today=today)
        qs = qs.filter(occurred_on__gte=window.start, occurred_on__lte=window.end)
        entries = list(qs[: TIMELINE_LIMIT + 1])
        truncated = len(entries) > TIMELINE_LIMIT
        views = entry_selectors.present_entries(request.user, case, entries[:TIMELINE_LIMIT])
        drawing = build_timeline(views, lambda e: reverse("entry-detail", args=[case.pk, e.pk]), window, highlight)
        drawing.bands.extend(status_bands(case, window))  # the legal status and closures behind the lanes
        navigation = {
            "length": window.length_label,
            # Later only up to today or the latest entry (nothing is recorded beyond them).
            "previous": _window_link(request, filters, window.shifted(-1)),
            "next": _window_link(request, filters, window.shifted(+1))
            if window.end < max(filter(None, (bounds["latest"], today)))
            else None,
            "zooms": [
                {
                    "label": label,
                    "href": _window_link(request, filters, window.zoomed(months)),
                    "current": window.months == months,
                }
                for months, label in ZOOMS
            ],
        }
    audit_record(actor=request.user, action="chronology.timeline_viewed", case=case)
    return render(
        request,
        "chronology/chronology_timeline.html",
        {
            "case": case,
            "tab": "chronology",
            "form": form,
            "timeline": drawing,
            "navigation": navigation,
            "truncated": truncated,
            "limit": TIMELINE_LIMIT,
            "query": filters.urlencode(),
        },
    )
