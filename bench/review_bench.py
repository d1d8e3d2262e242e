"""Review mode on the 15-year, 10,000-entry case: the review analysis of the whole case.

Registered in bench/run.py (`--only review`). The figure is `review_analysis` over the whole case
(the case's opening to bench.generate.END), median of the runs; the floor, measured in the same
run, is one full flag evaluation (`flags_for_case` at END: the snapshot and every rule once). The
target is under 5 s: the analysis finds change points and evaluates there, never once a day.

The generator writes people, relationships, household memberships, meetings and actions at the
time it runs (after END), as if all were recorded on one day after the period. A review of that
would be empty, so before measuring the family records and meetings are dated as recorded when the
case opened (an UPDATE of the benchmark database only; entries keep their recorded times, 0 to 3
days after each event).
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from typing import Any


def _date_family_records(case: Any) -> int:
    from django.utils import timezone

    from cases.models import Person
    from genogram.models import Household, HouseholdMember, Relationship
    from meetings.models import Action, Meeting

    opened = timezone.make_aware(dt.datetime.combine(case.opened_on, dt.time(9, 0)))
    changed = 0
    changed += Person.objects.filter(case=case, created_at__gt=opened).update(created_at=opened)
    changed += Relationship.objects.filter(case=case, created_at__gt=opened).update(created_at=opened)
    changed += Household.objects.filter(case=case, created_at__gt=opened).update(created_at=opened)
    changed += HouseholdMember.objects.filter(household__case=case, created_at__gt=opened).update(created_at=opened)
    changed += Meeting.objects.filter(case=case, created_at__gt=opened).update(created_at=opened)
    changed += Action.objects.filter(case=case, created_at__gt=opened).update(created_at=opened)
    return changed


def _median(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    result = fn()  # warm imports and caches once
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), result


def bench_review(case: Any, at: dt.date, runs: int) -> list[Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.run import Row, ms
    from reporting.flags.review import review_analysis
    from reporting.flags.selectors import flags_for_case

    _date_family_records(case)
    floor_s, _ = _median(lambda: flags_for_case(case, at), runs)
    review_s, analysis = _median(lambda: review_analysis(case, case.opened_on, at), runs)
    with CaptureQueriesContext(connection) as queries:
        review_analysis(case, case.opened_on, at)
    years = (at - case.opened_on).days / 365.25
    return [
        Row(
            "Review: whole case (when knowable)",
            f"{review_s:.2f} s",
            f"{ms(floor_s)} (one full flag evaluation)",
            "< 5 s, constant queries",
            f"{len(analysis.flags)} flags over {years:.0f} years, {analysis.evaluations} snapshots, "
            f"{'exact' if analysis.complete else 'capped'}, {len(queries)} queries",
        )
    ]
