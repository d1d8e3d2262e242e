"""Information sharing on the benchmark database: "my work" for a social worker in 200 open cases,
and the flag refresh an entry write now runs on the 15-year, 10,000-entry case.

Registered in bench/run.py (`--only mywork`). The 200 cases (reference BENCH-WORK-nnn, each with
the lead agency and one more involved, the user in the team, one overdue action and one audit row
of the user opening it) are written once, in bulk, and reused. Figures are medians of the runs;
floors are measured in the same run:
- my work (selectors.my_work, every query and row it builds) beside the first of its queries alone,
  the user's open cases (the floor: it cannot cost less than listing the cases). Target <= 150 ms
  for 200 cases in a fixed number of queries.
- the flag refresh of an entry write (notifications.services.flags_refresh: evaluate the case's
  flags, compare with the known state, save it) beside flags_for_case alone. Target: within 1.2x of
  the floor (the comparison and the state row add little to the evaluation).
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from typing import Any

WORK_CASES = 200
PREFIX = "BENCH-WORK-"


def _median(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    result = fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), result


def _work_user(big_case: Any) -> Any:
    """A social worker of the big case's lead agency in the team of 200 open cases (made once)."""
    from accounts.models import Role, User
    from agencies.models import Agency
    from audit.models import AuditEvent
    from cases.models import Case, CaseAgency, LegalStatus, TeamMember
    from meetings.models import Action

    user = User.objects.filter(username="bench.mywork").first()
    if user is not None:
        return user
    agency = big_case.lead_agency
    other = Agency.objects.exclude(pk=agency.pk).order_by("pk").first()
    user = User.objects.create(
        username="bench.mywork", full_name="Bench Mywork", agency=agency, role=Role.SOCIAL_WORKER
    )
    cases = Case.objects.bulk_create(
        Case(
            reference=f"{PREFIX}{i:03d}",
            title=f"Work family {i}",
            lead_agency=agency,
            lead_professional=user,
            legal_status=LegalStatus.CHILD_IN_NEED,
            opened_on=dt.date(2025, 1, 1),
        )
        for i in range(WORK_CASES)
    )
    CaseAgency.objects.bulk_create(
        [CaseAgency(case=c, agency=agency) for c in cases] + [CaseAgency(case=c, agency=other) for c in cases]
    )
    TeamMember.objects.bulk_create(
        TeamMember(case=c, user=user, role_in_case="Lead professional", started_on=c.opened_on) for c in cases
    )
    Action.objects.bulk_create(
        Action(case=c, description="Visit", owner_agency=agency, due_on=dt.date(2025, 6, 1), created_by=user)
        for c in cases
    )
    AuditEvent.objects.bulk_create(AuditEvent(actor=user, action="case.viewed", case=c) for c in cases)
    TeamMember.objects.create(case=big_case, user=user, role_in_case="Social worker", started_on=big_case.opened_on)
    return user


def bench_mywork(case: Any, at: dt.date, runs: int) -> list[Any]:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from bench.run import Row, ms
    from notifications.selectors import _my_cases, my_work
    from notifications.services import flags_refresh
    from reporting.flags.selectors import flags_for_case

    user = _work_user(case)
    today = dt.date.today()
    work_s, work = _median(lambda: my_work(user, today=today), runs)
    floor_s, _ = _median(lambda: list(_my_cases(user, today)), runs)
    with CaptureQueriesContext(connection) as queries:
        my_work(user, today=today)

    def refresh() -> None:
        with transaction.atomic():
            flags_refresh(case=case, acting_user=None, today=at)
            transaction.set_rollback(True)

    refresh_s, _ = _median(refresh, runs)
    flags_s, flags = _median(lambda: flags_for_case(case, at), runs)
    return [
        Row(
            f"My work: {len(work.cases)} cases",
            ms(work_s),
            f"{ms(floor_s)} (the cases alone)",
            "<= 150 ms, constant queries",
            f"{len(work.actions)} actions, {len(queries)} queries",
        ),
        Row(
            "Flag refresh of an entry write",
            ms(refresh_s),
            f"{ms(flags_s)} (flags_for_case)",
            "<= 1.2x floor",
            f"{len(flags)} flags, {refresh_s / flags_s:.2f}x floor",
        ),
    ]
