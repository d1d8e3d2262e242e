"""The demo case, loaded as `load_demo` loads it, shows wave-2 flags and the structured checks."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from cases.models import Case
from chronology.models import ChronologyEntry
from reporting.flags.engine import evaluate
from reporting.flags.loader import load_snapshot

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def demo_case():
    with freeze_time(f"{TODAY.isoformat()} 09:00:00"):
        call_command("load_demo", stdout=io.StringIO())
    return Case.objects.get(reference="NS-2026-0417")


def test_the_demo_shows_wave_two_flags_and_structured_checks(demo_case):
    # One load of the demo for both (it takes a while).
    flags = evaluate(load_snapshot(demo_case, TODAY), at=TODAY)
    fired = {flag.rule for flag in flags}
    wanted = {"missing_episodes", "education_unseen", "post_separation_risk", "disclosure_without_strategy"}
    assert wanted <= fired, sorted(fired)
    new_adult = next(f for f in flags if f.rule == "new_adult_in_household")
    assert "The result of police checks by" in new_adult.explanation
    sleep = next(f for f in flags if f.rule == "unsafe_sleep")
    assert "Safer sleep advice is last recorded as given" in sleep.explanation
    # The checks and the safer sleep behind those explanations are structured fields.
    checks = ChronologyEntry.objects.filter(case=demo_case, kind="adult_check")
    assert set(checks.values_list("adult_check_type", "adult_check_result")) == {
        ("police", "pending"),
        ("childrens_services", "concerns"),
    }
    assert ChronologyEntry.objects.filter(case=demo_case, safer_sleep_co_sleeping=True).exists()
