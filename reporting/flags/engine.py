"""Run every registered rule over a snapshot and order the flags, most severe first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import reporting.flags.rules  # noqa: F401  (registers the rules)
from core.collector import collector_paused
from reporting.flags.base import REGISTRY, Flag, ParamValue, Rule
from reporting.flags.snapshot import CaseSnapshot

# The order of DESIGN.md's table: flags of equal severity are listed in this order.
RULE_ORDER: tuple[str, ...] = (
    "nonmobile_injury",
    "repeat_injury",
    "was_not_brought",
    "no_access_visits",
    "unseen_adult",
    "new_adult_in_household",
    "child_not_seen_alone",
    "toxic_trio",
    "escalating_domestic_abuse",
    "repeated_case_closure",
    "referral_no_outcome",
    "engagement_divergence",
    "self_harm_under_11",
    "sexual_activity_under_13",
    "unsafe_sleep",
    "vague_language",
    "missing_ethnicity",
    "action_overdue",
    "conference_timescale",
    "core_group_timescale",
    "review_conference_overdue",
    "agency_not_invited",
    # Wave 2 (DESIGN.md "Wave-2 pattern rules")
    "prebirth_assessment_missing",
    "no_antenatal_care",
    "disclosure_without_strategy",
    "child_voice_absent",
    "siblings_not_seen",
    "repeat_hospital_attendance",
    "missing_episodes",
    "education_unseen",
    "post_separation_risk",
)

Settings = Mapping[str, Mapping[str, ParamValue]]


def rule_classes() -> list[type[Rule]]:
    missing = set(REGISTRY) ^ set(RULE_ORDER)
    if missing:
        raise RuntimeError(f"Rules registered and listed differ: {sorted(missing)}")
    return [REGISTRY[rule_id] for rule_id in RULE_ORDER]


def default_params() -> dict[str, dict[str, ParamValue]]:
    """Every rule's parameters as shipped; the one place defaults live is each rule's `defaults`."""
    return {rule.id: dict(rule.defaults) for rule in rule_classes()}


def build_rules(settings: Settings | None = None) -> list[Rule]:
    settings = settings or {}
    return [rule(settings.get(rule.id)) for rule in rule_classes()]


def evaluate(snapshot: CaseSnapshot, at: dt.date | None = None, settings: Settings | None = None) -> list[Flag]:
    """All flags for the snapshot as of `at` (the snapshot's own date by default)."""
    day = at or snapshot.at
    flags: list[Flag] = []
    with collector_paused():  # the snapshot's indexes are many small acyclic objects
        for rule in build_rules(settings):
            flags.extend(rule.evaluate(snapshot, day))
    order = {rule_id: index for index, rule_id in enumerate(RULE_ORDER)}
    flags.sort(key=lambda f: (f.severity.rank, order[f.rule], f.key))
    return flags
