"""The demo case's multi-agency chronology: a few hundred synthetic entries over six years from
thirteen agencies, written through entry_create (so every entry has revision 1 and an audit row).

The story is built to show the patterns the flags look for, dated relative to ctx.today so they stay
current: a bruise on the non-mobile baby, repeat injuries to Ollie, missed health appointments
across agencies, no-access visits, the mother's new partner never seen, Tia not seen alone in the
last month, domestic abuse with maternal mental ill-health and substance misuse, domestic abuse
incidents getting closer together, a referral with no outcome, "safe and well" with no one seen,
co-sleeping alongside substance use, repeated closures, and two agencies recording the same injury.
Every name and event is invented.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from chronology.services import entry_amend, entry_create, entry_retract
from demo.case import DemoContext
from demo.lifecycle import add_lifecycle
from demo.meetings import BRUISE_DAYS_AGO

# Agency key -> username of the practitioner who records for it.
RECORDER = {
    "csc": "sw.patel",
    "hv": "hv.morgan",
    "midwifery": "mw.quinn",
    "gp": "gp.adeyemi",
    "hospital": "ed.harris",
    "school": "dsl.brooks",
    "early_years": "ey.santos",
    "police": "pc.wright",
    "amh": "amh.novak",
    "substance": "rec.ellis",
    "housing": "housing.reid",
    "probation": "pro.begum",
    "da_service": "da.lowe",
}


class _Writer:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.count = 0
        self.refs: dict[str, int] = {}

    def __call__(self, agency: str, days_ago: int, kind: str, summary: str, **fields):
        ctx = self.ctx
        on = ctx.days_ago(days_ago)
        people = ctx.people
        for name in ("subjects", "present", "seen", "seen_alone"):
            fields[name] = [people[key] for key in fields.get(name, ())]
        # Nothing about a child before they were born.
        if kind not in ("pregnancy", "birth", "safer_sleep", "referral_made", "case_opened"):
            fields["subjects"] = [p for p in fields["subjects"] if not p.date_of_birth or p.date_of_birth <= on]
            for name in ("present", "seen", "seen_alone"):
                fields[name] = [p for p in fields[name] if not p.date_of_birth or p.date_of_birth <= on]
        self.count += 1
        number = self.refs[agency] = self.refs.get(agency, 0) + 1
        recorded = timezone.make_aware(dt.datetime.combine(min(on + dt.timedelta(days=1), ctx.today), dt.time(17)))
        return entry_create(
            acting_user=ctx.users[RECORDER[agency]],
            case=ctx.case,
            occurred_on=on,
            kind=kind,
            summary=summary,
            agency_ref=f"{agency.upper()}-{number:04d}",
            today=ctx.today,
            recorded_at=recorded,
            **fields,
        )


def _story(add: _Writer, ctx: DemoContext) -> dict:
    """The events that make the patterns. Returns a few entries the demo amends or retracts."""
    moved_in = 240  # days ago, as in demo/family.py
    keep = {}

    # Early history: the case opened; its step-down, closures and re-openings are written by
    # demo/lifecycle.py through the lifecycle services, which add their own entries.
    add(
        "csc",
        6 * 365 + 30,
        "case_opened",
        "Referral accepted after police attended a domestic incident",
        significance="medium",
        subjects=["tia"],
        action="Child and family assessment started",
        outcome="Child in need plan",
    )
    add(
        "csc",
        2 * 365 + 30,
        "referral_made",
        "School referral: Tia's attendance and presentation",
        subjects=["tia"],
        significance="medium",
        action="Referral screened by the front door",
    )
    add(
        "csc",
        420,
        "referral_made",
        "Police referral after a domestic abuse incident",
        subjects=["tia", "ollie"],
        significance="high",
        action="Strategy discussion convened",
    )
    add(
        "csc",
        410,
        "referral_outcome",
        "Referral outcome: single assessment opened",
        subjects=["tia", "ollie"],
        significance="medium",
        action="Social worker allocated",
    )

    # The pregnancy and birth of Rowan.
    birth = (ctx.today - ctx.people["baby"].date_of_birth).days
    add(
        "midwifery",
        birth + 210,
        "pregnancy",
        "Late booking at 18 weeks, mother's third pregnancy",
        subjects=["mother", "baby"],
        seen=["mother"],
        significance="medium",
        detail="Mother said the pregnancy was unplanned. Father of the baby named as Craig.",
        action="Referred to the specialist midwife for vulnerable women",
    )
    add(
        "midwifery",
        birth + 120,
        "appointment_missed",
        "Antenatal appointment missed",
        subjects=["mother"],
        significance="medium",
        action="Letter sent with a new appointment",
    )
    add(
        "midwifery",
        birth,
        "birth",
        "Rowan born at 38 weeks, 2.9 kg",
        subjects=["baby", "mother"],
        seen=["baby", "mother"],
        significance="medium",
        action="Routine postnatal care",
    )
    add(
        "hospital",
        birth,
        "safer_sleep",
        "Safer sleep advice given on the postnatal ward",
        subjects=["baby"],
        seen=["baby", "mother"],
        significance="low",
        action="Leaflet given, mother confirmed she has a cot",
    )

    # The new partner: together since 420 days ago, moved in 240 days ago, never seen by anyone.
    add(
        "housing",
        moved_in - 3,
        "household_change",
        "Tenancy record: Craig Ellery added to the household",
        subjects=["mother", "partner"],
        significance="medium",
        source="record",
        action="Tenancy file updated",
    )
    add(
        "police",
        200,
        "domestic_abuse_incident",
        "Neighbour called police about shouting at 14 Alder Close",
        subjects=["mother", "partner"],
        present=["mother", "tia", "ollie"],
        seen=["mother"],
        significance="medium",
        source="third_party",
        detail="Craig had left before officers arrived. Mother said it was an argument about money.",
        action="DASH risk assessment: standard. Notification to children's social care",
    )
    add(
        "police",
        120,
        "domestic_abuse_incident",
        "Mother called police: Craig threw a mug at her",
        subjects=["mother", "partner"],
        present=["mother", "tia", "ollie", "baby"],
        seen=["mother", "tia"],
        significance="high",
        action="Craig arrested and released under investigation; DASH medium",
        outcome="Referral to the domestic abuse service",
    )
    add(
        "police",
        75,
        "domestic_abuse_incident",
        "Third call-out: mother with a cut lip, Craig not present",
        subjects=["mother", "partner"],
        present=["mother", "baby"],
        seen=["mother", "baby"],
        significance="high",
        action="DASH high; referred to MARAC",
        outcome="MARAC listed",
    )
    add(
        "police",
        55,
        "domestic_abuse_incident",
        "Fourth incident: Craig reported kicking the front door in",
        subjects=["mother", "partner"],
        present=["mother", "tia", "ollie", "baby"],
        seen=["mother"],
        significance="high",
        action="Shared with the social worker and the core group",
        restricted=False,
    )
    add(
        "police",
        54,
        "police_contact",
        "Safe and well check after the incident: all fine",
        subjects=["tia", "ollie", "baby"],
        significance="low",
        source="third_party",
        no_action_reason="Mother said over the intercom that the children were asleep",
    )
    add(
        "da_service",
        100,
        "disclosure",
        "Mother disclosed coercive control over money and phone use",
        subjects=["mother"],
        seen=["mother"],
        seen_alone=["mother"],
        significance="high",
        restricted=True,
        action="Safety plan agreed; IDVA allocated",
    )
    add(
        "amh",
        160,
        "parental_mental_health",
        "Mother referred with low mood and poor sleep since the birth",
        subjects=["mother"],
        seen=["mother"],
        significance="medium",
        action="Assessment appointment booked",
    )
    add(
        "amh",
        130,
        "appointment_missed",
        "Mother did not attend her assessment appointment",
        subjects=["mother"],
        significance="medium",
        action="Second appointment offered",
    )
    add(
        "substance",
        140,
        "parental_substance_misuse",
        "Mother self-referred for alcohol use in the evenings",
        subjects=["mother"],
        seen=["mother"],
        significance="medium",
        source="self_reported",
        action="Key worker allocated; weekly sessions",
    )
    add(
        "substance",
        60,
        "parental_substance_misuse",
        "Mother says Craig smokes cannabis in the flat",
        subjects=["mother", "partner"],
        seen=["mother"],
        significance="medium",
        source="self_reported",
        action="Shared with the social worker",
    )
    add(
        "hv",
        60,
        "safer_sleep",
        "Mother said she often falls asleep with Rowan on the sofa after a drink",
        subjects=["baby", "mother"],
        seen=["baby", "mother"],
        significance="high",
        detail="Co-sleeping on the sofa reported, alongside alcohol use in the evenings.",
        action="Safer sleep advice repeated; social worker informed the same day",
    )

    # Missed health appointments for the baby across agencies (was not brought).
    add(
        "gp",
        birth - 56,
        "appointment_missed",
        "Rowan not brought for his 8-week immunisations",
        subjects=["baby"],
        significance="medium",
        action="Re-booked by letter",
    )
    add(
        "hv",
        70,
        "appointment_missed",
        "Rowan not brought to clinic for his weight check",
        subjects=["baby"],
        significance="medium",
        action="Phone call to mother, no answer",
    )
    add(
        "hospital",
        45,
        "appointment_missed",
        "Rowan not brought to the paediatric outpatient clinic",
        subjects=["baby"],
        significance="medium",
        action="Discharged back to the GP",
    )
    add(
        "gp",
        30,
        "appointment_missed",
        "Rowan not brought for his 12-week immunisations",
        subjects=["baby"],
        significance="medium",
        action="Practice nurse to call the health visitor",
    )

    # No-access and cancelled home visits.
    add(
        "csc",
        80,
        "home_visit_no_access",
        "Announced home visit: no answer, curtains closed",
        subjects=["tia"],
        significance="medium",
        action="Card left asking mother to call",
    )
    add(
        "hv",
        50,
        "home_visit_no_access",
        "Home visit: no access, a man's voice heard inside",
        subjects=["baby"],
        significance="medium",
        action="Social worker informed",
    )
    add(
        "csc",
        25,
        "home_visit_cancelled",
        "Mother cancelled the visit by text: 'kids are ill'",
        subjects=["tia", "ollie", "baby"],
        significance="medium",
        action="Visit re-arranged for next week",
    )

    # The injury to the non-mobile baby, ten days old, recorded by two agencies (possible duplicate),
    # and a medical. The strategy discussion, conference and core groups that follow are meetings
    # (demo/meetings.py), whose entries the meetings service writes.
    keep["hv_bruise"] = add(
        "hv",
        BRUISE_DAYS_AGO,
        "injury",
        "Bruise on Rowan's left cheek seen at the new birth visit",
        subjects=["baby"],
        seen=["baby", "mother"],
        significance="high",
        injury_body_site="left cheek",
        injury_type="bruise, 1 cm",
        injury_explanation="Mother said Ollie dropped a toy on him",
        injury_explanation_consistent=False,
        action="Discussed with the social worker; child protection medical",
    )
    add(
        "gp",
        BRUISE_DAYS_AGO,
        "injury",
        "Rowan brought in with a bruise to the face",
        subjects=["baby"],
        seen=["baby", "mother"],
        significance="high",
        injury_body_site="left cheek",
        injury_type="bruise",
        injury_explanation="Sibling dropped a toy",
        injury_explanation_consistent=None,
        action="Referred to the paediatric team under the bruising in non-mobile babies protocol",
    )
    add(
        "hospital",
        BRUISE_DAYS_AGO - 1,
        "hospital_attendance",
        "Child protection medical for Rowan",
        subjects=["baby"],
        seen=["baby", "mother"],
        significance="high",
        action="Skeletal survey and bloods",
        outcome="No fractures; bruise not consistent with the explanation",
    )

    # Repeat injuries to Ollie, seen by two agencies.
    add(
        "early_years",
        250,
        "injury",
        "Bruise on Ollie's shin noticed at nursery",
        subjects=["ollie"],
        seen=["ollie"],
        significance="medium",
        injury_body_site="right shin",
        injury_type="bruise",
        injury_explanation="Fell in the park",
        injury_explanation_consistent=True,
        action="Recorded on the body map; parent informed",
    )
    add(
        "hospital",
        90,
        "injury",
        "Ollie brought to the emergency department with a burn to the hand",
        subjects=["ollie"],
        seen=["ollie", "mother"],
        significance="high",
        injury_body_site="right palm",
        injury_type="superficial burn",
        injury_explanation="Touched the oven door",
        injury_explanation_consistent=None,
        action="Dressing; safeguarding liaison notified",
    )

    # Tia: seen alone 45 days ago, only seen with her mother since.
    add(
        "school",
        45,
        "child_seen",
        "Tia talked with the DSL at lunchtime",
        subjects=["tia"],
        seen=["tia"],
        seen_alone=["tia"],
        source="child_voice",
        significance="medium",
        child_voice="I don't like it when Craig is at home. I stay in my room.",
        action="Shared with the social worker",
    )
    add(
        "csc",
        10,
        "home_visit",
        "Home visit: Tia, Ollie and Rowan seen with their mother",
        subjects=["tia", "ollie", "baby"],
        present=["mother", "tia", "ollie", "baby"],
        seen=["mother", "tia", "ollie", "baby"],
        significance="medium",
        detail="Tia stayed close to her mother and did not want to talk.",
        action="Next visit to include time alone with Tia",
    )
    add(
        "school",
        12,
        "child_seen",
        "Tia in class, quiet and tired",
        subjects=["tia"],
        seen=["tia"],
        significance="low",
        action="Breakfast club place offered",
    )
    add(
        "school",
        40,
        "referral_made",
        "School referral: Tia came in hungry three days running",
        subjects=["tia"],
        significance="medium",
        action="Referral sent to the front door",
    )
    add(
        "hv",
        15,
        "home_visit",
        "Children safe and well according to mother on the doorstep",
        subjects=["tia", "ollie", "baby"],
        present=["mother"],
        seen=["mother"],
        significance="low",
        source="self_reported",
        no_action_reason="Mother would not let the visitor in",
    )
    add(
        "probation",
        20,
        "appointment_attended",
        "Dean attended supervision",
        subjects=["father"],
        seen=["father"],
        significance="low",
        action="Contact arrangements with the children discussed",
    )
    keep["wrong_family"] = add(
        "gp",
        5,
        "appointment_attended",
        "Mother attended a review appointment",
        subjects=["mother"],
        seen=["mother"],
        significance="low",
    )

    # Dates known only to the month or year.
    add(
        "gp",
        4 * 365 + 100,
        "parental_mental_health",
        "History of postnatal depression after Ollie's birth",
        date_precision="year",
        subjects=["mother"],
        significance="medium",
        source="record",
        action="Noted in the GP record",
    )
    add(
        "housing",
        3 * 365,
        "housing",
        "Family moved into 14 Alder Close",
        date_precision="month",
        subjects=["mother", "tia", "ollie"],
        significance="low",
        source="record",
    )
    return keep


def _routine(add: _Writer, ctx: DemoContext, rng: random.Random) -> None:
    """Ordinary contacts over the years: the background against which the patterns stand out."""
    # School: termly contacts and odd absences for Tia from reception.
    start = 5 * 365
    for days in range(start, 90, -30):
        roll = rng.random()
        if roll < 0.45:
            add(
                "school",
                days,
                "child_seen",
                rng.choice(
                    [
                        "Tia read with a volunteer and chose a new book",
                        "Tia joined the lunchtime art club",
                        "Tia's teacher noticed she had no coat in the rain",
                        "Tia talked about a weekend at her nan's",
                    ]
                ),
                subjects=["tia"],
                seen=["tia"],
                significance="low",
                action="Recorded in the pupil file",
            )
        elif roll < 0.75:
            add(
                "school",
                days,
                "school_absence",
                "Absence: " + rng.choice(["illness reported by mother", "no reason given", "family trip"]),
                subjects=["tia"],
                significance="low",
                source="record",
                action="Attendance letter sent",
            )
        else:
            add(
                "school",
                days,
                "appointment_attended",
                "Parents' evening attended by mother",
                subjects=["tia"],
                seen=["mother"],
                significance="low",
                action="Reading plan shared",
            )
    # Nursery for Ollie from age 2.
    ollie_age = (ctx.today - ctx.people["ollie"].date_of_birth).days
    for days in range(ollie_age - 2 * 365, 95, -21):
        add(
            "early_years",
            days,
            "child_seen",
            rng.choice(
                [
                    "Ollie played in the sand tray with two friends",
                    "Ollie's key worker noted new words: 'digger', 'juice'",
                    "Ollie arrived in the same clothes as yesterday",
                    "Ollie settled after a tearful drop-off by his mother",
                ]
            ),
            subjects=["ollie"],
            seen=["ollie"],
            significance="low",
            action="Key worker notes updated",
        )
    # Health visiting reviews for Ollie.
    for months in (1, 2, 9, 12, 24):
        days = ollie_age - months * 30
        if days > 100:
            add(
                "hv",
                days,
                "appointment_attended",
                f"Ollie's {months}-month review",
                subjects=["ollie"],
                seen=["ollie", "mother"],
                significance="low",
                action="Growth and development recorded",
            )
    # GP: the family's ordinary appointments.
    for days in range(6 * 365, 120, -75):
        who = rng.choice(["tia", "ollie", "mother"])
        add(
            "gp",
            days,
            "appointment_attended",
            rng.choice(
                [
                    "Chest infection, antibiotics prescribed",
                    "Ear infection reviewed",
                    "Repeat prescription review",
                    "Rash reviewed, eczema cream given",
                ]
            ),
            subjects=[who],
            seen=[who] + ([] if who == "mother" else ["mother"]),
            significance="low",
            action="Treatment given",
        )
    # Children's social care: child in need visits during the first plan and the current work.
    for days in list(range(6 * 365, 4 * 365, -42)) + list(range(400, 100, -28)):
        alone = ["tia"] if rng.random() < 0.6 else []
        add(
            "csc",
            days,
            "home_visit",
            "Statutory visit: children seen at home",
            subjects=["tia", "ollie"],
            present=["mother", "tia", "ollie"],
            seen=["mother", "tia", "ollie"],
            seen_alone=alone,
            significance="low",
            detail="Home conditions recorded; children's wishes and feelings recorded.",
            action="Plan reviewed with mother",
        )
    for days in range(400, 100, -42):
        add(
            "csc",
            days,
            "core_group",
            "Core group meeting",
            subjects=["tia", "ollie"],
            present=["mother"],
            seen=["mother"],
            significance="medium",
            action="Plan updated",
        )
    # Adult services for the mother.
    for days in range(150, 100, -14):
        kind = "appointment_attended" if rng.random() < 0.6 else "appointment_missed"
        add(
            "amh",
            days,
            kind,
            "Mother's wellbeing appointment" + (" missed" if kind == "appointment_missed" else ""),
            subjects=["mother"],
            seen=["mother"] if kind == "appointment_attended" else [],
            significance="low",
            action="Next appointment booked",
        )
    for days in range(135, 65, -7):
        add(
            "substance",
            days,
            "appointment_attended",
            "Key work session with mother",
            subjects=["mother"],
            seen=["mother"],
            significance="low",
            action="Drinking diary reviewed",
        )
    for days in range(95, 60, -10):
        add(
            "da_service",
            days,
            "appointment_attended",
            "IDVA support call with mother",
            subjects=["mother"],
            seen=["mother"],
            significance="low",
            action="Safety plan reviewed",
        )
    # Probation: the father's supervision.
    for days in range(3 * 365, 30, -60):
        add(
            "probation",
            days,
            "appointment_attended",
            "Dean attended supervision",
            subjects=["father"],
            seen=["father"],
            significance="low",
            action="Sentence plan reviewed",
        )
    # Housing and police contacts over the years.
    for days in (5 * 365, 4 * 365 + 40, 2 * 365 + 300, 500, 300):
        add(
            "housing",
            days,
            "housing",
            "Rent arrears letter sent",
            subjects=["mother"],
            significance="low",
            source="record",
            action="Referred to the money advice service",
        )
    for days in (5 * 365 + 200, 3 * 365 + 20, 700):
        add(
            "police",
            days,
            "police_contact",
            "Police attended a noise complaint at the address",
            subjects=["mother"],
            seen=["mother"],
            significance="low",
            action="Words of advice given",
        )


def add_chronology(ctx: DemoContext) -> int:
    """Write the demo chronology. Returns the number of entries written."""
    changes = add_lifecycle(ctx)
    add = _Writer(ctx)
    keep = _story(add, ctx)
    _routine(add, ctx, random.Random(417))
    # Revisions, never edits: one amended entry and one retracted one, each with its reason.
    bruise = keep["hv_bruise"]
    entry_amend(
        acting_user=ctx.users["hv.morgan"],
        entry=bruise,
        reason="Measured the bruise at the medical: 1.5 cm, not 1 cm",
        expected_revision=bruise.revision,
        injury_type="bruise, 1.5 cm",
        today=ctx.today,
    )
    wrong = keep["wrong_family"]
    entry_retract(
        acting_user=ctx.users["gp.adeyemi"],
        entry=wrong,
        reason="Recorded on the wrong family's record",
        expected_revision=wrong.revision,
    )
    return add.count + changes
