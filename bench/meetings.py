"""Meetings and actions for the synthetic benchmark case, through the services: every year a
strategy discussion deciding on a section 47 enquiry, an initial conference, core groups every
five to seven weeks (now and then a late one), review conferences, and two actions per meeting,
most done on time, some done late or left open."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from meetings.services import action_complete, action_create, meeting_schedule


def add_meetings(bench: Any, rng: random.Random, start: dt.date, end: dt.date) -> int:
    """Meetings from `start` to `end` for the bench case; returns how many."""
    agencies = list(bench.agencies.values())
    owners = [key for key in bench.agencies if key != "csc"] + ["csc"]
    lead = bench.lead
    count = 0

    def meeting(kind: str, on: dt.date, decisions: list[str]) -> None:
        nonlocal count
        invited = rng.sample(agencies, k=min(len(agencies), rng.randint(4, 8)))
        held = meeting_schedule(
            acting_user=lead,
            case=bench.case,
            kind=kind,
            held_on=on,
            invited=invited,
            attended=invited[: max(1, len(invited) - 2)],
            decisions=decisions,
            today=end,
        )
        count += 1
        for number in range(2):
            key = rng.choice(owners)
            due = on + dt.timedelta(days=rng.randint(7, 35))
            action = action_create(
                acting_user=lead,
                case=bench.case,
                description=f"Action {number + 1} from the {kind.replace('_', ' ')} of {on.isoformat()}",
                owner_agency=bench.agencies[key],
                due_on=due,
                meeting=held,
            )
            done = due + dt.timedelta(days=rng.randint(-5, 20))
            if rng.random() < 0.9 and done <= end:
                action_complete(
                    acting_user=lead, action=action, completed_on=max(done, on), note="Done and recorded.", today=end
                )

    year = start
    while year < end:
        strategy = year + dt.timedelta(days=rng.randint(20, 60))
        if strategy >= end:
            break
        meeting("strategy_discussion", strategy, ["Section 47 child protection enquiry to start", "Joint visit"])
        initial = strategy + dt.timedelta(days=rng.choice([18, 20, 21, 25]))
        if initial >= end:
            break
        meeting("initial_conference", initial, ["Child protection plan under the category of neglect"])
        day, review = initial + dt.timedelta(days=rng.choice([10, 12, 14, 16])), initial
        stop = min(end, year + dt.timedelta(days=330))
        while day < stop:
            meeting("core_group", day, ["Plan reviewed", "Visits to continue"])
            if (day - review).days > 150:
                meeting("review_conference", day + dt.timedelta(days=2), ["Plan continues"])
                review = day
            day += dt.timedelta(days=rng.choice([35, 42, 42, 49]))
        year = year + dt.timedelta(days=365)
    return count
