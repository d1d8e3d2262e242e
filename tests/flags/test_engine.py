import pytest

from reporting.flags.base import REGISTRY
from reporting.flags.engine import RULE_ORDER, build_rules, default_params, evaluate
from tests.flags.builders import HOSPITAL, CaseBuilder, D

DESIGN_RULE_IDS = {
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
    "prebirth_assessment_missing",
    "no_antenatal_care",
    "disclosure_without_strategy",
    "child_voice_absent",
    "siblings_not_seen",
    "repeat_hospital_attendance",
    "missing_episodes",
    "education_unseen",
    "post_separation_risk",
}


def test_every_rule_of_the_design_is_registered_under_its_id():
    assert set(REGISTRY) == DESIGN_RULE_IDS
    assert set(RULE_ORDER) == DESIGN_RULE_IDS


def test_every_rule_says_its_title_severity_and_learning():
    for rule in build_rules():
        assert rule.title and rule.rationale and rule.severity in ("high", "medium", "low")


def test_flags_come_most_severe_first():
    case = CaseBuilder(legal_status="early_help")
    kit = case.child("Kit", D(2026, 1, 10), ethnicity="")
    case.injury(D(2026, 3, 2), kit, agency=HOSPITAL)
    flags = evaluate(case.snapshot(D(2026, 4, 1)))
    assert [f.rule for f in flags] == ["nonmobile_injury", "missing_ethnicity"]
    assert [f.severity for f in flags] == ["high", "low"]


def test_case_settings_change_a_rule_parameter():
    case = CaseBuilder(legal_status="early_help")
    kit = case.child("Kit", D(2026, 1, 10))
    case.injury(D(2026, 4, 2), kit)
    at = D(2026, 5, 1)
    assert evaluate(case.snapshot(at)) != []
    assert evaluate(case.snapshot(at), settings={"nonmobile_injury": {"age_months": 2}}) == []


def test_unknown_or_mistyped_parameters_are_refused():
    with pytest.raises(ValueError, match="no parameter"):
        build_rules({"repeat_injury": {"weeks": 3}})
    with pytest.raises(ValueError, match="must be a whole number"):
        build_rules({"repeat_injury": {"count": "3"}})


def test_defaults_are_read_from_the_rules():
    assert default_params()["was_not_brought"] == {"count": 3, "window_months": 6}
