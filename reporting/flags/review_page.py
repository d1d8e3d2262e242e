"""The Review tab of a case: the review analysis ("when was this knowable, and by whom") as a table,
with a small timeline per flag. Managers and administrators (cases/permissions.can_read_review)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audit.services import audit_record
from cases.selectors import case_for_user
from core.forms import GovukDateField, GovukForm
from reporting.flags.review import case_review_analysis, require_review_access


class ReviewPeriodForm(GovukForm):
    date_from = GovukDateField(label="From", required=False, error_name="the start of the period")
    date_to = GovukDateField(label="To", required=False, error_name="the end of the period")

    def clean(self) -> dict[str, object]:
        data: dict[str, object] = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and start > end:
            raise forms.ValidationError({"date_to": "The end of the period must be the same as or after its start."})
        return data


@login_required  # type: ignore[untyped-decorator]
@require_http_methods(["GET"])  # type: ignore[untyped-decorator]
def case_review_page(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for_user(request.user, case_id)
    require_review_access(request.user, case)
    form = ReviewPeriodForm(request.GET or None)
    date_from, date_to = case.opened_on, timezone.localdate()
    analysis = None
    if not request.GET or form.is_valid():
        if request.GET:
            date_from = form.cleaned_data.get("date_from") or date_from
            date_to = form.cleaned_data.get("date_to") or date_to
        if date_from <= date_to:
            analysis = case_review_analysis(request.user, case, date_from, date_to)
    audit_record(
        actor=request.user,
        action="review.viewed",
        case=case,
        detail={"from": date_from.isoformat(), "to": date_to.isoformat()},
    )
    return render(
        request,
        "reporting/review/case_review.html",
        {"case": case, "tab": "review", "form": form, "analysis": analysis, "date_from": date_from, "date_to": date_to},
    )
