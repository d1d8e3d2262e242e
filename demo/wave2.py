"""Wave-2 scenes in the demo case: entries that show a few of the wave-2 flags (DESIGN.md "Wave-2
pattern rules") on the Marlow family, and the structured adult checks and safer sleep fields.

- Tia tells her teacher that Craig pushes her mum; no strategy discussion follows within two
  working days, and Ollie, who lives with her, is not seen in the ten working days after
  (disclosure_without_strategy, siblings_not_seen).
- Tia goes missing twice in five weeks, found at her nan's each time (missing_episodes).
- Kacey, Tia's half-sister, is taken out of school for home education and nobody sees her after
  (education_unseen).
- Dean assaulted Leanne in the months before they separated, and has had contact with the
  children since (post_separation_risk).
- Police checks on Craig, asked for when he moved in, are still pending; his children's services
  history came back with concerns later (new_adult_in_household names the pending check).
- The health visitor records Rowan co-sleeping in the structured safer sleep fields
  (unsafe_sleep reads them).

Dated relative to ctx.today like the rest of the demo. Every name and event is invented.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from chronology.services import entry_create
from demo.case import DemoContext
from demo.chronology import RECORDER


def _weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def add_wave2(ctx: DemoContext) -> int:
    """Write the wave-2 scenes. Returns the number of entries written."""
    people = ctx.people
    count = 0

    def add(agency: str, on: dt.date, kind: str, summary: str, **fields) -> None:
        nonlocal count
        count += 1
        for name in ("subjects", "present", "seen", "seen_alone"):
            fields[name] = [people[key] for key in fields.get(name, ())]
        entry_create(
            acting_user=ctx.users[RECORDER[agency]],
            case=ctx.case,
            occurred_on=on,
            kind=kind,
            summary=summary,
            agency_ref=f"W2-{agency.upper()}-{count:03d}",
            today=ctx.today,
            recorded_at=timezone.make_aware(
                dt.datetime.combine(min(on + dt.timedelta(days=1), ctx.today), dt.time(17))
            ),
            **fields,
        )

    # Tia's disclosure at school, three weeks ago.
    told = _weekday(ctx.days_ago(21))
    add(
        "school",
        told,
        "disclosure",
        "Tia told her teacher that Craig pushes her mum and shouts at Ollie",
        subjects=["tia"],
        seen=["tia"],
        seen_alone=["tia"],
        source="child_voice",
        child_voice="Craig pushed mummy into the door and Ollie was crying. I don't want to go home when he's there.",
        significance="high",
        action="Designated safeguarding lead told; children's social care phoned the same afternoon",
    )
    # Tia missing twice, found at her nan's.
    for days_ago, summary in (
        (70, "Tia reported missing from home at 9pm, found at her nan's at 11pm"),
        (35, "Tia missing again after school, found at the Stott home the next morning"),
    ):
        add(
            "police",
            ctx.days_ago(days_ago),
            "missing_episode",
            summary,
            subjects=["tia"],
            significance="high",
            action="Return home interview requested",
        )
    # Kacey taken out of school for elective home education.
    add(
        "school",
        ctx.days_ago(95),
        "elective_home_education",
        "Kacey's mother wrote to take her off roll for elective home education",
        subjects=["half_sister"],
        significance="medium",
        action="Local authority elective home education team told",
    )
    # Dean assaulted Leanne before they separated; he has seen the children since.
    split = ctx.years_ago(2, 60)
    add(
        "police",
        split - dt.timedelta(days=75),
        "domestic_abuse_incident",
        "Dean arrested after pushing Leanne down the stairs",
        subjects=["mother", "father"],
        present=["tia"],
        significance="high",
        action="Arrested; released on bail with conditions; referral to children's social care",
    )
    add(
        "csc",
        ctx.days_ago(50),
        "home_visit",
        "Contact visit at Dean's flat: Tia and Ollie with their father",
        subjects=["tia", "ollie"],
        present=["father", "tia", "ollie"],
        seen=["father", "tia", "ollie"],
        significance="medium",
    )
    # Checks on Craig: police checks still pending; children's services history found concerns later.
    moved_in = ctx.days_ago(240)
    add(
        "police",
        moved_in + dt.timedelta(days=12),
        "adult_check",
        "Police checks on Craig Ellery requested",
        subjects=["partner"],
        source="record",
        adult_check_type="police",
        adult_check_result="pending",
    )
    add(
        "csc",
        moved_in + dt.timedelta(days=75),
        "adult_check",
        "Children's services history of Craig Ellery checked with his previous local authority",
        subjects=["partner"],
        source="record",
        adult_check_type="childrens_services",
        adult_check_result="concerns",
        detail="A child of a previous partner was on a child protection plan in 2019 (neglect).",
    )
    # Rowan co-sleeping, in the structured safer sleep fields.
    add(
        "hv",
        ctx.days_ago(30),
        "safer_sleep",
        "Safer sleep reviewed: Rowan sleeping in the adult bed",
        subjects=["baby"],
        seen=["baby", "mother"],
        significance="high",
        action="Safer sleep advice repeated; Moses basket offered",
        safer_sleep_advice_given=True,
        safer_sleep_co_sleeping=True,
        safer_sleep_space="seen_unsafe",
    )
    return count
