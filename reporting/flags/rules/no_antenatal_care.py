from __future__ import annotations

import bisect
import datetime as dt

from reporting.flags.base import Flag, Rule, Severity, mentions_affirmed, phrase_pattern, register
from reporting.flags.dates import add_months, say_date
from reporting.flags.rules._pregnancy import (
    PREGNANCY_DAYS,
    TERM_DAYS,
    gestation_in_text,
    gestation_on,
    likely_adult,
    mothers_of,
    say_gestation,
    women_in,
)
from reporting.flags.snapshot import CaseSnapshot, EntryRecord
from reporting.flags.text import join_words

ANTENATAL_WORDS = phrase_pattern(("antenatal", "ante natal", "midwife", "midwifery", "booking", "scan", "pregnan"))


def antenatal(snapshot: CaseSnapshot, entry: EntryRecord) -> bool:
    """An attended appointment that is antenatal care: with midwifery, or saying so."""
    if entry.agency.kind == "midwifery":
        return True
    return mentions_affirmed(snapshot.flat_text(entry), ANTENATAL_WORDS, flat=True)


@register
class NoAntenatalCare(Rule):
    id = "no_antenatal_care"
    title = "Birth with no antenatal care, or a late-booked pregnancy"
    severity = Severity.HIGH
    rationale = (
        "A concealed, denied or late-booked pregnancy means no midwife has met the family and no pre-birth "
        "planning was possible; babies in those families are at greater risk."
    )
    defaults = {"months_before_birth": 6, "late_booking_weeks": 24}
    param_help = {
        "months_before_birth": "Months before a birth in which a pregnancy or antenatal appointment "
        "should be recorded about the mother.",
        "late_booking_weeks": "A pregnancy first recorded after this many weeks of gestation is flagged.",
    }

    def evaluate(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        return self._births_without_care(snapshot, at) + self._late_bookings(snapshot, at)

    def _births_without_care(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        months = self.int_param("months_before_birth")
        flags = []
        care_entries = snapshot.entries_of(at, ["pregnancy", "appointment_attended"])
        care_days = [e.occurred_on for e in care_entries]
        for birth in snapshot.entries_of(at, ["birth"]):
            day = birth.occurred_on
            babies = {
                p
                for p in birth.subjects
                if (person := snapshot.person(p)) is not None and not likely_adult(person, day)
            }
            mothers = women_in(snapshot, birth)
            for baby in babies:
                mothers |= mothers_of(snapshot, baby, day)
            since = add_months(day, -months)
            people = mothers | babies
            # With no mother known (not named, not in the genogram), any pregnancy or antenatal care
            # recorded in the case in those months is given the benefit of the doubt.
            care = [
                e
                for e in care_entries[bisect.bisect_left(care_days, since) : bisect.bisect_left(care_days, day)]
                if (not mothers or e.subjects & people) and (e.kind == "pregnancy" or antenatal(snapshot, e))
            ]
            if care:
                continue
            baby_names = join_words([snapshot.name(p) for p in sorted(babies)]) or "a baby"
            mother_names = join_words([snapshot.name(p) for p in sorted(mothers)]) or "the mother"
            explanation = (
                f"{birth.agency.name} recorded the birth of {baby_names} on {say_date(day)}, and no pregnancy "
                f"or antenatal appointment for {mother_names} is recorded in the {months} months before: "
                "the pregnancy may have been concealed or the mother may have had no antenatal care."
            )
            flags.append(self.flag(key=f"entry:{birth.id}", people=people, evidence=[birth], explanation=explanation))
        return flags

    def _late_bookings(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        limit = self.int_param("late_booking_weeks") * 7
        unborn = [p for p in snapshot.people if p.expected_date_of_delivery is not None]
        last_of: dict[int, dt.date] = {}
        flags = []
        for entry in snapshot.entries_of(at, ["pregnancy"]):
            day = entry.occurred_on
            babies = {p.id: p for p in unborn if p.id in entry.subjects}
            women = women_in(snapshot, entry)
            for baby_id in babies:
                women |= mothers_of(snapshot, baby_id, day)
            if not babies:  # the due date of the woman's unborn child, when the genogram holds one
                babies = {
                    p.id: p
                    for p in unborn
                    if women & mothers_of(snapshot, p.id, day)
                    and p.expected_date_of_delivery is not None
                    and day < p.expected_date_of_delivery <= day + dt.timedelta(days=PREGNANCY_DAYS + 14)
                }
            keys = women or set(babies)
            if not keys:
                continue
            first = all(k not in last_of or (day - last_of[k]).days > PREGNANCY_DAYS for k in keys)
            for k in keys:
                last_of[k] = day
            if not first:
                continue
            due = next((p.expected_date_of_delivery for p in babies.values() if p.expected_date_of_delivery), None)
            gestation = gestation_on(due, day) if due is not None else gestation_in_text(entry.text)
            if gestation is None or not limit < gestation <= TERM_DAYS + 21:  # after birth is not a booking
                continue
            names = join_words([snapshot.name(p) for p in sorted(women)]) or join_words(
                [snapshot.name(p) for p in sorted(babies)]
            )
            explanation = (
                f"The first record of {names}'s pregnancy is by {entry.agency.name} on {say_date(day)}, at "
                f"{say_gestation(gestation)} of pregnancy{f' (due {say_date(due)})' if due else ''}: after "
                f"{self.int_param('late_booking_weeks')} weeks, which can mean a concealed or denied pregnancy "
                "or antenatal care that started late."
            )
            flags.append(
                self.flag(
                    key=f"entry:{entry.id}", people=women | set(babies), evidence=[entry], explanation=explanation
                )
            )
        return flags
