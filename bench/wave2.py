"""The wave-2 pattern rules' scenes in the synthetic benchmark case: a fixed set of entries, written
with the random ones, that make every wave-2 rule (DESIGN.md "Wave-2 pattern rules") and the four
rules that read structured fields (new_adult_in_household, unsafe_sleep, child_not_seen_alone,
repeat_injury) fire on the generated case, so the benchmark measures them on real work.

Every name and event is invented. The scenes are placed where the random entries leave room (a
child nobody sees in the weeks that matter), read from the random specs before they are written,
so the flags follow whatever seed made the case. WAVE2_ENTRIES entries are made, always: the
generator takes them out of the entries it asks for, so the case holds exactly that many.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from cases.models import Person
from genogram.models import Relationship

WAVE2_ENTRIES = 24
# Every scene's detail ends with this, so each is 20 to 90 words like the random entries' details.
RECORDED = (
    "Recorded on the day by the practitioner from their own notes. Information shared with the lead "
    "professional by secure email, and the family told what was shared and why."
)


def _spec(
    key: str,
    n: int,
    on: dt.date,
    kind: str,
    summary: str,
    *,
    about: Iterable[Person] = (),
    seen: Iterable[Person] = (),
    present: Iterable[Person] = (),
    **fields,
) -> dict:
    seen = list(seen)
    return {
        "agency_key": key,
        "agency_ref": f"W2-{key.upper()}-{n:03d}",
        "occurred_on": on,
        "occurred_time": None,
        "date_precision": "day",
        "kind": kind,
        "summary": summary,
        "detail": f"{fields.pop('detail', '')} {RECORDED}".strip(),
        "significance": "medium",
        "source": fields.pop("source", "observed"),
        "subjects": list(about),
        "present": list(present) or seen,
        "seen": seen,
        "seen_alone": [],
        "action": "",
        "recorded_at": timezone.make_aware(dt.datetime.combine(on, dt.time(17, 0))),
        "wave2": True,
        **fields,
    }


def _seen_days(specs: list[dict]) -> dict[int, list[dt.date]]:
    days: dict[int, list[dt.date]] = {}
    for spec in specs:
        for person in [*spec.get("seen", []), *spec.get("seen_alone", [])]:
            days.setdefault(person.pk, []).append(spec["occurred_on"])
    return days


def _unseen(days: dict[int, list[dt.date]], person: Person, since: dt.date, until: dt.date) -> bool:
    return not any(since <= day <= until for day in days.get(person.pk, []))


def _weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def wave2_specs(bench, specs: list[dict], start: dt.date, end: dt.date) -> list[dict]:
    """The scenes' entries as entry specs (see bench.generate.entry_specs), WAVE2_ENTRIES of them."""
    seen = _seen_days(specs)
    households: dict[str, list[Person]] = {}
    for child in bench.children:
        households.setdefault(child.family_name, []).append(child)
    families = list(households)
    mothers: dict[str, Person] = {}
    # The mothers are the younger women of each family (the grandmothers are 50 and over).
    for family in families:
        women = [p for p in bench.people if p.sex == "female" and p.family_name == family and not p.is_subject]
        mothers[family] = max(women, key=lambda p: p.date_of_birth)
    out: list[dict] = []

    def grown(children: list[Person], on: dt.date, low: int, high: int = 17) -> list[Person]:
        """Children aged `low` to `high` on the date, or else the oldest born by then."""
        found = [c for c in children if low * 366 <= (on - c.date_of_birth).days <= high * 365]
        born = sorted((c for c in children if c.date_of_birth <= on), key=lambda c: c.date_of_birth)
        return found or born[:1] or children[:1]

    # 1. A disclosure by an older child, with a brother or sister at home not seen in the ten working
    #    days after, and no strategy discussion recorded: disclosure_without_strategy, siblings_not_seen.
    #    A child nobody records in the three months before the end: child_voice_absent, child_not_seen_alone.
    family = families[0]
    day = _weekday(end - dt.timedelta(days=40))
    older = grown(households[family], day, 6, 15)
    teller = older[0]
    sibling = next(
        (c for c in households[family] if c != teller and c.date_of_birth <= day and _unseen(seen, c, day, end)),
        next(c for c in households[family] if c != teller and c.date_of_birth <= day),
    )
    out.append(
        _spec(
            "school",
            1,
            day,
            "disclosure",
            f"{teller.given_name} told the class teacher that an adult at home hits them",
            about=[teller],
            source="child_voice",
            detail="Said at the end of the school day, in the child's own words; shared with the designated lead.",
        )
    )
    out.append(
        _spec(
            "school",
            2,
            day - dt.timedelta(days=150),
            "allegation",
            f"Allegation by a neighbour about {teller.given_name}'s care",
            about=[teller],
            source="third_party",
        )
    )
    # 2. Three hospital attendances in a year for one child, two for injuries (one explanation not
    #    consistent): repeat_hospital_attendance, repeat_injury, disclosure_without_strategy.
    patient = grown(households[families[1]], end - dt.timedelta(days=300), 2, 12)[0]
    for n, (back, summary, injury) in enumerate(
        (
            (300, "Attended the emergency department with a burn to the hand", None),
            (200, "Attended the emergency department with croup", None),
            (90, "Attended the emergency department: fracture of the left wrist", "fracture"),
        ),
        start=3,
    ):
        on = _weekday(end - dt.timedelta(days=back))
        fields = {}
        if injury:
            fields = {
                "injury_body_site": "left wrist",
                "injury_type": injury,
                "injury_explanation": "Parent said the child fell from the sofa.",
                "injury_explanation_consistent": False,
            }
        out.append(_spec("hospital", n, on, "hospital_attendance", summary, about=[patient], seen=[patient], **fields))
    # 3. Two missing episodes in six weeks for a teenager: missing_episodes.
    runaway = grown([c for f in families for c in households[f]], end - dt.timedelta(days=80), 12, 17)[0]
    for n, back in enumerate((80, 40), start=6):
        out.append(
            _spec(
                "police",
                n,
                end - dt.timedelta(days=back),
                "missing_episode",
                f"{runaway.given_name} reported missing overnight, returned the next afternoon",
                about=[runaway],
            )
        )
    # 4. Elective home education, then no one sees the child, and three absences before it:
    #    education_unseen.
    school_age = [
        c for f in families[2:] + families[:2] for c in grown(households[f], end - dt.timedelta(days=150), 6, 15)
    ]
    pupil = next((c for c in school_age if _unseen(seen, c, end - dt.timedelta(days=150), end)), school_age[0])
    for n, back in enumerate((170, 160, 152), start=8):
        out.append(
            _spec(
                "school", n, end - dt.timedelta(days=back), "school_absence", "Absent, no reason given", about=[pupil]
            )
        )
    out.append(
        _spec(
            "school",
            11,
            end - dt.timedelta(days=150),
            "elective_home_education",
            f"Parent wrote to deregister {pupil.given_name} for elective home education",
            about=[pupil],
        )
    )
    # 5. A pregnancy booked at 10 weeks in a household with domestic abuse and no pre-birth
    #    referral or assessment; another first recorded at 28 weeks: prebirth_assessment_missing,
    #    no_antenatal_care (late booking).
    mum = mothers[families[0]]
    out.append(
        _spec(
            "midwifery",
            12,
            end - dt.timedelta(days=100),
            "pregnancy",
            "Booking appointment: 10 weeks pregnant",
            about=[mum],
            seen=[mum],
        )
    )
    out.append(
        _spec(
            "police",
            13,
            end - dt.timedelta(days=130),
            "domestic_abuse_incident",
            "Police called to a row at the family home; mother had a cut lip",
            about=[mum],
        )
    )
    late = mothers[families[1]]
    out.append(
        _spec(
            "midwifery",
            14,
            end - dt.timedelta(days=50),
            "pregnancy",
            "First contact with maternity: 28 weeks pregnant, not booked before",
            about=[late],
            seen=[late],
        )
    )
    # 6. Domestic abuse before the first partner left, then contact with the children after it:
    #    post_separation_risk.
    partner_link = (
        Relationship.objects.filter(case=bench.case, kind="partner", from_person=mothers[families[2]])
        .exclude(end_date=None)
        .order_by("start_date")
        .first()
    )
    assert partner_link is not None and partner_link.end_date is not None
    partner, left = partner_link.to_person, partner_link.end_date
    kids = [c for c in households[families[2]] if c.date_of_birth < left - dt.timedelta(days=30)]
    out.append(
        _spec(
            "police",
            15,
            left - dt.timedelta(days=45),
            "domestic_abuse_incident",
            f"{partner.given_name} arrested after an assault on his partner",
            about=[partner],
        )
    )
    out.append(
        _spec(
            "csc",
            16,
            left + dt.timedelta(days=21),
            "home_visit",
            f"Visit: {partner.given_name} at the house for contact with the children",
            about=kids[:1],
            seen=kids[:1],
            present=[partner, *kids[:1]],
        )
    )
    # 7. An adult check with its result after a partner joins, and one still pending:
    #    new_adult_in_household reads both.
    later = (
        Relationship.objects.filter(case=bench.case, kind="partner", from_person=mothers[families[3]])
        .order_by("-start_date")
        .first()
    )
    assert later is not None and later.start_date is not None
    out.append(
        _spec(
            "police",
            17,
            later.start_date + dt.timedelta(days=10),
            "adult_check",
            f"Police checks on {later.to_person.given_name}",
            about=[later.to_person],
            adult_check_type="police",
            adult_check_result="no_concerns",
        )
    )
    out.append(
        _spec(
            "csc",
            18,
            later.start_date + dt.timedelta(days=12),
            "adult_check",
            f"Children's services history of {later.to_person.given_name} requested",
            about=[later.to_person],
            adult_check_type="childrens_services",
            adult_check_result="pending",
        )
    )
    # 8. A baby of three months co-sleeping (structured), with parental drug use a month before:
    #    unsafe_sleep.
    baby = next(
        (c for c in bench.children if start < c.date_of_birth and c.date_of_birth + dt.timedelta(days=100) <= end),
        bench.children[0],
    )
    baby_mum = mothers[baby.family_name]
    out.append(
        _spec(
            "substance",
            19,
            baby.date_of_birth + dt.timedelta(days=60),
            "parental_substance_misuse",
            "Mother disclosed using cannabis most evenings",
            about=[baby_mum],
        )
    )
    out.append(
        _spec(
            "hv",
            20,
            baby.date_of_birth + dt.timedelta(days=90),
            "safer_sleep",
            "Safer sleep discussed at the new birth review follow-up",
            about=[baby],
            seen=[baby],
            safer_sleep_advice_given=True,
            safer_sleep_co_sleeping=True,
            safer_sleep_space="seen_unsafe",
        )
    )
    # 9. A birth with no pregnancy or antenatal care recorded before it: no_antenatal_care.
    cared = {p.pk: s["occurred_on"] for s in specs if s["kind"] == "pregnancy" for p in s.get("subjects", [])}
    births = [
        c
        for c in bench.children
        if start + dt.timedelta(days=200) < c.date_of_birth < end - dt.timedelta(days=200) and c != baby
    ] or [baby]
    newborn = next((c for c in births if c.pk not in cared), births[0])
    out.append(
        _spec(
            "hospital",
            21,
            newborn.date_of_birth,
            "birth",
            f"{newborn.given_name} born at home, brought in by ambulance",
            about=[newborn, mothers[newborn.family_name]],
        )
    )
    # 10. Injuries to the teller weeks apart, the second's explanation not consistent: repeat_injury,
    #     disclosure_without_strategy, siblings_not_seen.
    for n, back in enumerate((120, 70), start=22):
        out.append(
            _spec(
                "early_years" if n == 22 else "hospital",
                n,
                _weekday(end - dt.timedelta(days=back)),
                "injury",
                f"Bruising seen on {teller.given_name}",
                about=[teller],
                seen=[teller],
                injury_body_site="upper arm",
                injury_type="bruise",
                injury_explanation="Said they bumped into a door.",
                injury_explanation_consistent=None if n == 22 else False,
            )
        )
    # 11. The brother or sister was seen at the GP long before the disclosure: seen, just not after it.
    out.append(
        _spec(
            "gp",
            24,
            end - dt.timedelta(days=200),
            "appointment_attended",
            f"Routine GP review for {sibling.given_name}",
            about=[sibling],
            seen=[sibling],
        )
    )
    assert len(out) == WAVE2_ENTRIES, len(out)
    return out
