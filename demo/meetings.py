"""The demo case's meetings and actions since the initial child protection conference: the first
core group, two actions already overdue, the domestic abuse service left off that core group's
invitations, and the next core group and the first review conference scheduled. Written through
meetings.services. Every name and event is invented."""

from __future__ import annotations

import datetime as dt

from demo.case import DemoContext
from meetings.services import action_complete, action_create, meeting_schedule

# The agencies of the plan; the domestic abuse service is missing from the first core group's list.
CORE_GROUP_AGENCIES = (
    "csc",
    "hv",
    "school",
    "early_years",
    "gp",
    "police",
    "amh",
    "substance",
    "midwifery",
    "hospital",
)


def add_meetings(ctx: DemoContext) -> int:
    """Add the meetings and actions; returns how many meetings."""
    case = ctx.case
    assert case is not None
    lead, chair, today = ctx.lead, ctx.users["chair.lindqvist"], ctx.today
    a = ctx.agencies

    def ago(days: int) -> dt.date:
        return ctx.days_ago(days)

    # The first core group: every agency of the plan except the domestic abuse service, which
    # recorded the mother's disclosures and should have been there.
    core_group = meeting_schedule(
        acting_user=lead,
        case=case,
        kind="core_group",
        held_on=ago(2),
        chair=lead,
        invited=[a[key] for key in CORE_GROUP_AGENCIES],
        attended=[a["csc"], a["hv"], a["school"], a["early_years"], a["amh"]],
        apologies=[a["gp"]],
        summary="First core group after the initial conference. Mother attended the second half.",
        decisions=[
            "Health visitor to see Rowan at home every week, unannounced visits included",
            "Mother to be referred to the domestic abuse service for support",
            "Nursery to report Ollie's attendance to the social worker daily",
        ],
        today=today,
    )
    action_create(
        acting_user=lead,
        case=case,
        description="Weekly home visit to see Rowan, undressed, with the mother present",
        owner_agency=a["hv"],
        owner=ctx.users["hv.morgan"],
        due_on=ago(1),
        meeting=core_group,
    )
    action_create(
        acting_user=lead,
        case=case,
        description="Refer the mother to Safe Harbour Domestic Abuse Service",
        owner_agency=a["csc"],
        owner=lead,
        due_on=ago(1),
        meeting=core_group,
    )
    action_create(
        acting_user=lead,
        case=case,
        description="Report Ollie's attendance to the social worker each day",
        owner_agency=a["early_years"],
        owner=ctx.users["ey.santos"],
        due_on=today + dt.timedelta(days=14),
        meeting=core_group,
    )
    immunisations = action_create(
        acting_user=lead,
        case=case,
        description="Offer Tia the immunisations she missed",
        owner_agency=a["gp"],
        owner=ctx.users["gp.adeyemi"],
        due_on=today + dt.timedelta(days=7),
        meeting=core_group,
    )
    action_complete(
        acting_user=ctx.users["gp.adeyemi"],
        action=immunisations,
        completed_on=ago(1),
        note="Tia brought by her grandmother; immunisations given.",
        today=today,
    )
    # What comes next: the core group within six weeks, the review conference within three months
    # of the initial conference (eight days ago).
    meeting_schedule(
        acting_user=lead,
        case=case,
        kind="core_group",
        held_on=today + dt.timedelta(days=26),
        chair=lead,
        invited=[a[key] for key in (*CORE_GROUP_AGENCIES, "da_service")],
        today=today,
    )
    meeting_schedule(
        acting_user=chair,
        case=case,
        kind="review_conference",
        held_on=ago(8) + dt.timedelta(days=84),
        chair=chair,
        invited=[a[key] for key in (*CORE_GROUP_AGENCIES, "da_service")],
        today=today,
    )
    return 3
