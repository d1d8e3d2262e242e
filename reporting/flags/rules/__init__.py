"""Every flag rule, one module each. Importing this package registers them all (the engine orders them)."""

from reporting.flags.rules import (  # noqa: F401
    child_not_seen_alone,
    engagement_divergence,
    escalating_domestic_abuse,
    missing_ethnicity,
    new_adult_in_household,
    no_access_visits,
    nonmobile_injury,
    referral_no_outcome,
    repeat_injury,
    repeated_case_closure,
    self_harm_under_11,
    sexual_activity_under_13,
    toxic_trio,
    unsafe_sleep,
    unseen_adult,
    vague_language,
    was_not_brought,
)
