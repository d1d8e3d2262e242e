"""The demo case's child protection run, written through meetings.services: the strategy discussion
after the bruise to Rowan decides on a section 47 enquiry; the initial conference meets on the 14th
working day after it and makes child protection plans; the first core group meets within 10 working
days (the domestic abuse service left off its invitations); the next core group four weeks later;
the review conference within three months; then one core group late, more than six weeks after the
one before. Two actions are overdue today, the rest done; the next core group and the next review
conference are booked. Every name and event is invented.

The dates follow `ctx.today` (the day the demo is loaded), counted in working days as the drift
rules count them, so the run is complete and in the past whenever the demo is loaded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from demo.case import INVOLVED, DemoContext
from meetings.services import action_complete, action_create, meeting_schedule
from reporting.flags.dates import add_months, add_working_days, is_working_day

# The bruise to Rowan is seen this many days before the demo's today (demo/chronology.py).
BRUISE_DAYS_AGO = 118

# Every agency involved in the case is invited to the conferences and core groups; the domestic
# abuse service, which took the mother's disclosures, is missing from the first core group's list.
PLAN_AGENCIES = ("csc", *INVOLVED)
FIRST_CORE_GROUP_AGENCIES = tuple(key for key in PLAN_AGENCIES if key != "da_service")


@dataclass(frozen=True)
class PlanDates:
    strategy: dt.date
    initial_conference: dt.date
    core_groups: tuple[dt.date, dt.date, dt.date]  # held; the third is late
    review_conference: dt.date
    next_core_group: dt.date  # booked
    next_review: dt.date  # booked


def _working_on_or_after(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def _working_on_or_before(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def _before_christmas_week(day: dt.date) -> dt.date:
    """The working day on or before `day`, kept out of 24 December to 1 January."""
    while not is_working_day(day) or (day.month, day.day) >= (12, 24) or (day.month, day.day) == (1, 1):
        day -= dt.timedelta(days=1)
    return day


def plan_dates(today: dt.date) -> PlanDates:
    """The dates of the run for a demo loaded on `today`."""
    strategy = _working_on_or_after(today - dt.timedelta(days=BRUISE_DAYS_AGO - 1))
    initial = add_working_days(strategy, 14)  # within the 15 working days
    first = add_working_days(initial, 6)  # within the 10 working days
    second = _working_on_or_after(first + dt.timedelta(weeks=4))
    third = _working_on_or_after(second + dt.timedelta(days=44))  # more than 6 weeks: late
    review = _working_on_or_before(add_months(initial, 3) - dt.timedelta(days=14))  # within 3 months
    return PlanDates(
        strategy=strategy,
        initial_conference=initial,
        core_groups=(first, second, third),
        review_conference=review,
        next_core_group=_before_christmas_week(third + dt.timedelta(weeks=4)),
        next_review=_before_christmas_week(add_months(review, 6) - dt.timedelta(days=7)),
    )


def add_meetings(ctx: DemoContext) -> int:
    """Add the meetings and actions; returns how many meetings."""
    case = ctx.case
    assert case is not None
    lead, chair, manager, today = ctx.lead, ctx.users["chair.lindqvist"], ctx.users["mgr.okafor"], ctx.today
    a, u = ctx.agencies, ctx.users
    when = plan_dates(today)
    first_on, second_on, third_on = when.core_groups

    def agencies(*keys: str) -> list:
        return [a[key] for key in keys]

    meeting_schedule(
        acting_user=manager,
        case=case,
        kind="strategy_discussion",
        held_on=when.strategy,
        chair=manager,
        invited=agencies("csc", "police", "hv", "gp", "hospital"),
        attended=agencies("csc", "police", "hv", "gp", "hospital"),
        summary=(
            "Strategy discussion after the bruise to Rowan's cheek seen at the new birth visit, two days after "
            "police were called to the home. The medical found the bruise not consistent with the explanation."
        ),
        decisions=[
            "Section 47 child protection enquiry, children's social care and police jointly",
            "Safety plan: grandmother Pauline Stott to stay at the family home while the enquiry is made",
            "Initial child protection conference to be convened within 15 working days",
        ],
        today=today,
    )
    meeting_schedule(
        acting_user=chair,
        case=case,
        kind="initial_conference",
        held_on=when.initial_conference,
        chair=chair,
        invited=agencies(*PLAN_AGENCIES),
        attended=agencies("csc", "police", "hv", "midwifery", "gp", "school", "early_years", "da_service", "amh"),
        apologies=agencies("hospital", "substance"),
        summary="Leanne and Dean attended; Craig was invited and did not come.",
        decisions=[
            "Tia, Ollie and Rowan to be subject to child protection plans under neglect and physical abuse",
            "First core group within 10 working days",
            "Review conference within three months",
        ],
        today=today,
    )
    # The first core group: every agency of the plan except the domestic abuse service, which
    # took the mother's disclosures and should have been there.
    first = meeting_schedule(
        acting_user=lead,
        case=case,
        kind="core_group",
        held_on=first_on,
        chair=lead,
        invited=agencies(*FIRST_CORE_GROUP_AGENCIES),
        attended=agencies("csc", "hv", "school", "early_years", "amh"),
        apologies=agencies("gp"),
        summary="First core group after the initial conference. Mother attended the second half.",
        decisions=[
            "Health visitor to see Rowan at home every week, unannounced visits included",
            "Safe Harbour Domestic Abuse Service to be invited to every core group from now on",
            "Nursery to report Ollie's attendance to the social worker daily",
        ],
        today=today,
    )
    for description, owner_key, owner, due_on, done_on, note in (
        (
            "Weekly home visit to see Rowan, undressed, with the mother present",
            "hv",
            "hv.morgan",
            first_on + dt.timedelta(days=14),
            first_on + dt.timedelta(days=13),
            "Weekly visits in place; Rowan seen undressed on each, no new marks.",
        ),
        (
            "Invite Safe Harbour Domestic Abuse Service to the core group",
            "csc",
            "sw.patel",
            first_on + dt.timedelta(days=7),
            first_on + dt.timedelta(days=2),
            "Hannah Lowe (IDVA) invited to the next core group and every one after.",
        ),
        (
            "Report Ollie's attendance to the social worker each day",
            "early_years",
            "ey.santos",
            second_on,
            second_on,
            "Daily reports sent; attendance 80% over the four weeks.",
        ),
        (
            "Offer Tia the immunisations she missed",
            "gp",
            "gp.adeyemi",
            first_on + dt.timedelta(days=21),
            first_on + dt.timedelta(days=16),
            "Tia brought by her grandmother; immunisations given.",
        ),
    ):
        _done_action(ctx, first, description, owner_key, owner, due_on, done_on, note)

    second = meeting_schedule(
        acting_user=lead,
        case=case,
        kind="core_group",
        held_on=second_on,
        chair=lead,
        invited=agencies(*PLAN_AGENCIES),
        attended=agencies("csc", "hv", "school", "early_years", "da_service", "substance"),
        apologies=agencies("amh", "police"),
        summary="Mother attended with her IDVA. Craig again not seen by any agency.",
        decisions=[
            "Parenting assessment of the mother to start",
            "Mother to keep her weekly sessions with the recovery service",
        ],
        today=today,
    )
    _done_action(
        ctx,
        second,
        "Refer the mother for a parenting assessment",
        "csc",
        "sw.patel",
        second_on + dt.timedelta(days=10),
        second_on + dt.timedelta(days=6),
        "Referral accepted by the family assessment team.",
    )

    review = meeting_schedule(
        acting_user=chair,
        case=case,
        kind="review_conference",
        held_on=when.review_conference,
        chair=chair,
        invited=agencies(*PLAN_AGENCIES),
        attended=agencies("csc", "police", "hv", "gp", "school", "early_years", "da_service", "amh", "substance"),
        apologies=agencies("hospital"),
        summary="Leanne attended; Craig did not. Two further police call-outs since the initial conference.",
        decisions=[
            "The children remain subject to child protection plans under neglect and physical abuse",
            "The social worker to meet Craig Ellery and assess his part in the children's care",
            "Next review conference within six months",
        ],
        today=today,
    )
    # Overdue: set at the review conference, still open today.
    action_create(
        acting_user=lead,
        case=case,
        description="Meet Craig Ellery at home and assess his part in the children's care",
        owner_agency=a["csc"],
        owner=lead,
        due_on=when.review_conference + dt.timedelta(days=10),
        meeting=review,
    )

    # The late core group: more than six weeks after the one before.
    third = meeting_schedule(
        acting_user=lead,
        case=case,
        kind="core_group",
        held_on=third_on,
        chair=lead,
        invited=agencies(*PLAN_AGENCIES),
        attended=agencies("csc", "hv", "school", "da_service", "gp"),
        apologies=agencies("early_years"),
        summary="Met late: the date after the review conference was lost when the social worker was off sick.",
        decisions=["Rowan to be brought for the immunisations he has missed"],
        today=today,
    )
    # Overdue: set at the late core group, still open today.
    action_create(
        acting_user=lead,
        case=case,
        description="Bring Rowan to the surgery for the immunisations he has missed",
        owner_agency=a["gp"],
        owner=u["gp.adeyemi"],
        due_on=third_on + dt.timedelta(days=2),
        meeting=third,
    )

    # What comes next: the core group within six weeks of the last, and the review conference
    # within six months of the first review.
    meeting_schedule(
        acting_user=lead,
        case=case,
        kind="core_group",
        held_on=when.next_core_group,
        chair=lead,
        invited=agencies(*PLAN_AGENCIES),
        today=today,
    )
    meeting_schedule(
        acting_user=chair,
        case=case,
        kind="review_conference",
        held_on=when.next_review,
        chair=chair,
        invited=agencies(*PLAN_AGENCIES),
        today=today,
    )
    return 8


def _done_action(
    ctx: DemoContext,
    meeting,
    description: str,
    owner_key: str,
    owner: str,
    due_on: dt.date,
    done_on: dt.date,
    note: str,
) -> None:
    action = action_create(
        acting_user=ctx.lead,
        case=ctx.case,
        description=description,
        owner_agency=ctx.agencies[owner_key],
        owner=ctx.users[owner],
        due_on=due_on,
        meeting=meeting,
    )
    action_complete(acting_user=ctx.users[owner], action=action, completed_on=done_on, note=note, today=ctx.today)
