"""The Marlow case over time: a child in need plan, a step down to early help, two closures and two
re-referrals, then a child protection plan after the bruise to Rowan; a case summary and the team
around the child. Written through the lifecycle services, so each change is also in the chronology."""

from __future__ import annotations

import datetime as dt

from cases import services
from chronology.models import ChronologyEntry
from demo.case import DemoContext
from demo.meetings import plan_dates


def add_lifecycle(ctx: DemoContext) -> int:
    """Write the case's history. Returns the number of chronology entries the changes added."""
    case = ctx.case
    assert case is not None
    lead, manager = ctx.lead, ctx.users["mgr.okafor"]
    before = ChronologyEntry.objects.filter(case=case).count()
    today = ctx.today
    # The plan starts at the initial conference of the demo's child protection run (demo/meetings.py).
    plan_from = plan_dates(today).initial_conference

    def ago(days: int) -> dt.date:
        return ctx.days_ago(days)

    services.case_status_change(
        acting_user=lead,
        case=case,
        legal_status="early_help",
        effective_from=ago(3 * 365 + 200),
        reason="Child in need plan ended at review: goals met. Early help worker allocated for the family.",
        today=today,
    )
    services.case_close(
        acting_user=lead,
        case=case,
        closed_on=ago(2 * 365 + 250),
        outcome="stepped_down_universal",
        reason="Early help closed: the family declined further support; school and health visitor informed.",
        today=today,
    )
    services.case_reopen(
        acting_user=manager,
        case=case,
        reopened_on=ago(2 * 365 + 30),
        reason="Re-referral from Tia's school about her attendance and presentation.",
        today=today,
    )
    services.case_close(
        acting_user=manager,
        case=case,
        closed_on=ago(2 * 365 + 25),
        outcome="no_further_action",
        reason="Closed at screening: advice given to the school.",
        today=today,
    )
    services.case_reopen(
        acting_user=lead,
        case=case,
        reopened_on=ago(420),
        reason="Police referral after a domestic abuse incident at the family home.",
        today=today,
    )
    services.case_status_change(
        acting_user=lead,
        case=case,
        legal_status="child_in_need",
        effective_from=ago(410),
        reason="Single assessment: Tia and Ollie are children in need; child in need plan agreed.",
        today=today,
    )
    services.case_status_change(
        acting_user=lead,
        case=case,
        legal_status="child_protection",
        protection_category="multiple",
        effective_from=plan_from,
        reason="Initial child protection conference: plans under neglect and physical abuse.",
        today=today,
    )
    for username, role in (
        ("hv.morgan", "Health visitor for Rowan and Ollie"),
        ("dsl.brooks", "Designated safeguarding lead at Tia's school"),
        ("ey.santos", "Key person for Ollie at nursery"),
        ("gp.adeyemi", "Family GP"),
        ("pc.wright", "Police safeguarding officer"),
    ):
        services.team_member_add(
            acting_user=lead, case=case, user=ctx.users[username], role_in_case=role, started_on=plan_from, today=today
        )
    services.case_summary_revise(
        acting_user=lead,
        case=case,
        text=(
            "Tia (9), Ollie (4) and Rowan (4 months) live with their mother Leanne Marlow and her partner Craig "
            "Ellery, Rowan's father, at 14 Alder Close; Craig moved in eight months ago. Dean Marlow, Tia and "
            "Ollie's father, lives in his own flat and sees the children. The case has been stepped down and "
            "closed twice since Tia was three, and was re-referred by the police after a domestic abuse "
            "incident. At ten days old Rowan had a bruise to the cheek that the explanation does not account "
            "for; the initial conference made child protection plans under neglect and physical abuse. "
            "Worries: domestic abuse, mother's mental health, drinking in the home, missed health appointments "
            "and Tia coming to school hungry. Going well: grandmother Pauline Stott is a safe carer and Tia "
            "talks to her teacher."
        ),
    )
    return ChronologyEntry.objects.filter(case=case).count() - before
