"""The Flags tab of a case: a summary table of flags (most severe first), then each flag with its
evidence on demand; reviews and the case's rule settings."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audit.services import audit_record
from cases import permissions
from cases.selectors import case_for_user
from core.forms import add_service_errors
from reporting.flags.base import REGISTRY
from reporting.flags.engine import rule_classes
from reporting.flags.forms import FlagDateForm, FlagReviewForm, RuleSettingForm
from reporting.flags.selectors import case_rule_settings, effective_params, flags_for_case
from reporting.flags.services import flag_review_record, rule_setting_change


def _at(request: HttpRequest) -> tuple[dt.date, FlagDateForm]:
    form = FlagDateForm(request.GET or None)
    if request.GET and form.is_valid() and form.cleaned_data.get("at"):
        return form.cleaned_data["at"], form
    return timezone.localdate(), form


@login_required
@require_http_methods(["GET"])
def case_flags_page(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for_user(request.user, case_id)
    at, date_form = _at(request)
    flags = flags_for_case(case, at)
    audit_record(
        actor=request.user, action="flags.viewed", case=case, detail={"at": at.isoformat(), "count": len(flags)}
    )
    chronology_url = reverse("chronology", args=[case.pk])
    rows = [
        {
            "flag": flag,
            "anchor": f"flag-{flag.rule}-{flag.key}",
            "since": min((entry.occurred_on for entry in flag.evidence_rows), default=None),
            "latest": max((entry.occurred_on for entry in flag.evidence_rows), default=None),
            "chronology_link": f"{chronology_url}?highlight={','.join(map(str, flag.evidence))}"
            + (f"#entry-{flag.evidence[0]}" if flag.evidence else ""),
        }
        for flag in flags
    ]
    return render(
        request,
        "reporting/flags/case_flags.html",
        {
            "case": case,
            "tab": "flags",
            "at": at,
            "date_form": date_form,
            "rows": rows,
            "chronology_url": chronology_url,
            "to_review": sum(1 for f in flags if f.needs_review),
            "may_review": permissions.can_review_flag(request.user),
            "may_change": permissions.can_change_rule_settings(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def flag_review_page(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for_user(request.user, case_id)
    if not permissions.can_review_flag(request.user):
        raise PermissionDenied("Only managers, social workers and chairs record flag reviews.")
    source = request.POST if request.method == "POST" else request.GET
    rule, key = source.get("rule", ""), source.get("key", "")
    try:
        at = dt.date.fromisoformat(source.get("at", "")) if source.get("at") else timezone.localdate()
    except ValueError:
        raise Http404("No such flag.") from None
    flag = next((f for f in flags_for_case(case, at) if f.rule == rule and f.key == key), None)
    if flag is None:
        raise Http404("This flag is not raised for this case on that date.")
    form = FlagReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            flag_review_record(acting_user=request.user, case=case, rule=rule, key=key, at=at, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Review recorded: {flag.title}.")
            return redirect(f"{reverse('case-flags', args=[case.pk])}?at={at.isoformat()}#flag-{flag.rule}-{flag.key}")
    audit_record(actor=request.user, action="flag.viewed", case=case, detail={"rule": rule, "key": key})
    return render(
        request,
        "reporting/flags/flag_review.html",
        {"case": case, "tab": "flags", "flag": flag, "form": form, "at": at},
    )


@login_required
@require_http_methods(["GET"])
def rule_settings_page(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for_user(request.user, case_id)
    settings = case_rule_settings(case)
    params = effective_params(case, settings)
    rules = [
        {
            "rule": rule,
            "params": params[rule.id],
            "setting": settings.get(rule.id),
            "changed": params[rule.id] != dict(rule.defaults),
        }
        for rule in rule_classes()
    ]
    audit_record(actor=request.user, action="flag_rules.viewed", case=case)
    return render(
        request,
        "reporting/flags/rule_settings.html",
        {
            "case": case,
            "tab": "flags",
            "rules": rules,
            "may_change": permissions.can_change_rule_settings(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rule_setting_page(request: HttpRequest, case_id: int, rule_id: str) -> HttpResponse:
    case = case_for_user(request.user, case_id)
    if not permissions.can_change_rule_settings(request.user):
        raise PermissionDenied("Only managers and social workers change the flag rules for a case.")
    rule = REGISTRY.get(rule_id)
    if rule is None or not rule.defaults:
        raise Http404("No such rule setting.")
    current = effective_params(case)[rule.id]
    form = RuleSettingForm(request.POST or None, rule=rule, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            rule_setting_change(
                acting_user=request.user,
                case=case,
                rule=rule.id,
                params=form.params(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Rule changed for this case: {rule.title}.")
            return redirect("case-flag-settings", case_id=case.pk)
    return render(
        request,
        "reporting/flags/rule_setting_form.html",
        {"case": case, "tab": "flags", "rule": rule, "form": form},
    )
