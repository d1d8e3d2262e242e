"""Writes about flags: reviews and per-case rule settings. Keyword-only, atomic, validated, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import User
from audit.services import audit_record
from cases import permissions
from cases.models import Case
from notifications import services as notify
from reporting.flags.base import REGISTRY
from reporting.flags.models import (
    REVIEW_RATIONALE_MAX_CHARS,
    RULE_PARAM_TEXT_MAX_CHARS,
    RULE_SETTING_REASON_MAX_CHARS,
    FlagDecision,
    FlagReview,
    RuleSetting,
)
from reporting.flags.selectors import case_rule_settings, flags_for_case


def too_long(label: str, text: str, limit: int) -> str:
    """The message for text over its limit, naming the limit and the length sent."""
    return f"{label} is {len(text):,} characters long: keep it to {limit:,} characters or fewer."


def flag_review_record(
    *,
    acting_user: User,
    case: Case,
    rule: str,
    key: str,
    decision: str,
    rationale: str,
    at: dt.date,
) -> FlagReview:
    """Record a decision about a flag raised for the case as of `at`, against the evidence it names now."""
    if not permissions.can_review_flag(acting_user):
        raise PermissionDenied("Only managers, social workers and chairs record flag reviews.")
    errors: dict[str, list[str]] = {}
    if decision not in FlagDecision.values:
        errors["decision"] = ["Choose a decision."]
    if not (rationale or "").strip():
        errors["rationale"] = ["Enter the rationale for the decision."]
    elif len(rationale.strip()) > REVIEW_RATIONALE_MAX_CHARS:
        errors["rationale"] = [too_long("The rationale", rationale.strip(), REVIEW_RATIONALE_MAX_CHARS)]
    flag = next((f for f in flags_for_case(case, at) if f.rule == rule and f.key == key), None)
    if flag is None:
        errors["rule"] = ["This flag is not raised for this case on that date: refresh the flags and try again."]
    if errors:
        raise ValidationError(errors)
    assert flag is not None
    with transaction.atomic():
        review = FlagReview(
            case=case,
            rule=rule,
            flag_key=key,
            evidence=list(flag.evidence),
            people=list(flag.people),
            explanation=flag.explanation,
            flag_date=at,
            decision=decision,
            rationale=rationale.strip(),
            reviewed_by=acting_user,
        )
        review.full_clean()
        review.save()
        audit_record(
            actor=acting_user,
            action="flag.reviewed",
            case=case,
            obj=review,
            detail={
                "rule": rule,
                "key": key,
                "decision": decision,
                "evidence": list(flag.evidence),
                "reopened": flag.status == "reopened",
                "at": at.isoformat(),
            },
        )
        notify.flag_reviewed_notify(case=case, rule=rule, key=key)
    return review


RULE_PARAM_INT_MAX = 1_000


def _checked_params(rule_id: str, params: dict[str, Any]) -> dict[str, int | str]:
    rule = REGISTRY[rule_id]
    errors: list[str] = []
    checked: dict[str, int | str] = {}
    for name, value in params.items():
        if name not in rule.defaults:
            errors.append(f"{rule_id} has no parameter {name!r}.")
            continue
        default = rule.defaults[name]
        if isinstance(default, int):
            # Bounded: a window, count or age past RULE_PARAM_INT_MAX would overflow date arithmetic (a 500).
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= RULE_PARAM_INT_MAX:
                errors.append(f"{name} must be a whole number from 1 to {RULE_PARAM_INT_MAX:,}.")
                continue
        elif not isinstance(value, str) or not value.strip():
            errors.append(f"{name} must be some text.")
            continue
        elif len(value.strip()) > RULE_PARAM_TEXT_MAX_CHARS:
            errors.append(too_long(name, value.strip(), RULE_PARAM_TEXT_MAX_CHARS))
            continue
        if value != default:
            checked[name] = value.strip() if isinstance(value, str) else value
    if errors:
        raise ValidationError({"params": errors})
    return checked


def rule_setting_change(
    *, acting_user: User, case: Case, rule: str, params: dict[str, Any], reason: str
) -> RuleSetting:
    """Set this case's parameters for one rule (values equal to the defaults are dropped); {} restores them."""
    if not permissions.can_change_rule_settings(acting_user):
        raise PermissionDenied("Only managers and social workers change the flag rules for a case.")
    if rule not in REGISTRY:
        raise ValidationError({"rule": ["Choose a rule."]})
    errors: dict[str, list[str]] = {}
    try:
        checked = _checked_params(rule, params if isinstance(params, dict) else {})
    except ValidationError as exc:
        errors.update(exc.message_dict)
        checked = {}
    if not isinstance(params, dict):
        errors["params"] = ["Send the parameters as an object of names and values."]
    if not (reason or "").strip():
        errors["reason"] = ["Enter the reason for changing this rule for this case."]
    elif len(reason.strip()) > RULE_SETTING_REASON_MAX_CHARS:
        errors["reason"] = [too_long("The reason", reason.strip(), RULE_SETTING_REASON_MAX_CHARS)]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        previous = case_rule_settings(case).get(rule)
        setting = RuleSetting(case=case, rule=rule, params=checked, reason=reason.strip(), changed_by=acting_user)
        setting.full_clean()
        setting.save()
        audit_record(
            actor=acting_user,
            action="flag_rule.changed",
            case=case,
            obj=setting,
            detail={
                "rule": rule,
                "params": checked,
                "previous": previous.params if previous is not None else {},
                "reason": setting.reason,
            },
        )
    return setting
