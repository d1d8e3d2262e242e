from __future__ import annotations

import datetime as dt

from reporting.flags.base import (
    Flag,
    Rule,
    Severity,
    by_agency_and_date,
    mentions_affirmed,
    phrase_pattern,
    register,
)
from reporting.flags.dates import add_months, say_date
from reporting.flags.rules._pregnancy import (
    PREGNANCY_DAYS,
    TERM_DAYS,
    gestation_in_text,
    mothers_of,
    unborn_on,
    women_in,
)
from reporting.flags.snapshot import LEGAL_PARENT_KINDS, CaseSnapshot, EntryRecord
from reporting.flags.text import join_words

RISK_KINDS = {
    "domestic_abuse_incident": "domestic abuse",
    "parental_mental_health": "parental mental ill-health",
    "parental_substance_misuse": "parental substance misuse",
}
ANSWER_KINDS = ("referral_made", "referral_outcome", "assessment", "strategy_discussion", "cp_conference")
UNBORN_WORDS = phrase_pattern(("unborn", "pre birth", "prebirth", "pregnan", "expected baby"))
REMOVAL_WORDS = phrase_pattern(
    (
        "removed from her care",
        "removed from their care",
        "removed from the family",
        "removed into care",
        "taken into care",
        "care order",
        "placement order",
        "placed for adoption",
        "care proceedings",
    )
)


# Every removal phrase holds one of these: most entries are ruled out by them alone.
REMOVAL_KEYS = ("removed", "into care", "care order", "placement order", "adoption", "care proceedings")
CARER_WORDS = {
    "foster_carer": "a foster carer",
    "kinship_carer": "a kinship carer",
    "adoptive_parent": "adoptive parents",
}


class Pregnancy:
    """One pregnancy: the woman, the unborn child if the genogram records one, the due date,
    and the pregnancy entry it came from (None when the genogram's unborn child is the source)."""

    def __init__(self, women: set[int], unborn: int | None, due: dt.date, source: EntryRecord | None) -> None:
        self.women = women
        self.unborn = unborn
        self.due = due
        self.source = source


def pregnancies(snapshot: CaseSnapshot, at: dt.date) -> list[Pregnancy]:
    """Pregnancies current on the date: unborn children with a due date, and pregnancy entries whose
    gestation is stated (the due date follows from it) when the genogram has no unborn child for them."""
    found = []
    covered: set[int] = set()
    for person in snapshot.people:
        if person.expected_date_of_delivery is not None and unborn_on(person, at):
            women = mothers_of(snapshot, person.id, at)
            found.append(Pregnancy(women, person.id, person.expected_date_of_delivery, None))
            covered |= women
    last_of: dict[int, dt.date] = {}
    births = snapshot.entries_of(at, ["birth"])
    for entry in snapshot.entries_of(at, ["pregnancy"]):
        women = women_in(snapshot, entry)
        if not women or any(p in entry.subjects for p in (pr.unborn for pr in found)):
            continue
        day = entry.occurred_on
        earlier = [last_of[w] for w in women if w in last_of]
        for w in women:
            last_of[w] = day
        if women & covered or (earlier and (day - max(earlier)).days <= PREGNANCY_DAYS):
            continue
        gestation = gestation_in_text(entry.text)
        if gestation is None:
            continue
        due = day + dt.timedelta(days=TERM_DAYS - gestation)
        if at > due or any(b.occurred_on > day and b.subjects & women for b in births):
            continue
        found.append(Pregnancy(women, None, due, entry))
    return found


@register
class PrebirthAssessmentMissing(Rule):
    id = "prebirth_assessment_missing"
    title = "Pregnancy in a household with risk and no pre-birth assessment"
    severity = Severity.HIGH
    rationale = (
        "Babies are most at risk in their first months; where there is domestic abuse, parental mental ill-health "
        "or substance misuse, or an older child was removed, the plan must be made before the birth, not after."
    )
    defaults = {"weeks_before_due": 20, "risk_window_months": 12}
    param_help = {
        "weeks_before_due": "Weeks before the due date by which a referral or pre-birth assessment about the "
        "unborn child should be recorded.",
        "risk_window_months": "Domestic abuse, mental ill-health or substance misuse recorded within this many "
        "months counts as a risk.",
    }

    def evaluate(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        weeks = self.int_param("weeks_before_due")
        flags = []
        saying: list[EntryRecord] | None = None
        for pregnancy in pregnancies(snapshot, at):
            deadline = pregnancy.due - dt.timedelta(weeks=weeks)
            if at <= deadline:
                continue
            risks = self._risks(snapshot, pregnancy, add_months(deadline, -self.int_param("risk_window_months")), at)
            if saying is None:
                # Only entries holding a key word can affirm a removal: one pass over the text per key.
                saying = [
                    e
                    for e in snapshot.entries_containing(REMOVAL_KEYS, at)
                    if mentions_affirmed(snapshot.flat_text(e), REMOVAL_WORDS, flat=True)
                ]
            removed = self._removals(snapshot, pregnancy, saying)
            placed = self._placed(snapshot, pregnancy, at)
            if not risks and not removed and not placed:
                continue
            answers = self._answers(snapshot, pregnancy, at)
            if answers and answers[0].occurred_on <= deadline:
                continue
            women = join_words([snapshot.name(w) for w in sorted(pregnancy.women)]) or "The mother"
            unborn = f" ({snapshot.name(pregnancy.unborn)})" if pregnancy.unborn is not None else ""
            said = []
            for kind, words in RISK_KINDS.items():
                of_kind = [e for e in risks if e.kind == kind]
                if of_kind:
                    said.append(f"{words} ({by_agency_and_date(of_kind)})")
            if removed:
                said.append(f"an older child removed from the family ({by_agency_and_date(removed)})")
            for child_id, carer_kind in placed:
                said.append(f"{snapshot.name(child_id)}, an older child, placed with {CARER_WORDS[carer_kind]}")
            explanation = (
                f"{women} is pregnant, due {say_date(pregnancy.due)}{unborn}, with {join_words(said)} recorded; "
                f"no referral or pre-birth assessment about the unborn child is recorded by {say_date(deadline)}, "
                f"{weeks} weeks before the due date"
            )
            if answers:
                first = answers[0]
                explanation += f". The first was recorded by {first.agency.name} on {say_date(first.occurred_on)}."
            else:
                explanation += f", nor since, to {say_date(at)}."
            people = set(pregnancy.women) | ({pregnancy.unborn} if pregnancy.unborn is not None else set())
            people |= {child_id for child_id, _ in placed}
            source = [pregnancy.source] if pregnancy.source is not None else []
            key = f"person:{pregnancy.unborn}" if pregnancy.unborn is not None else f"entry:{source[0].id}"
            flags.append(
                self.flag(
                    key=key, people=people, evidence=[*source, *risks, *removed, *answers[:1]], explanation=explanation
                )
            )
        return flags

    @staticmethod
    def _household(snapshot: CaseSnapshot, pregnancy: Pregnancy, day: dt.date) -> set[int]:
        """The woman, her partners, the unborn child's other parents, and whoever lives with her on the day."""
        people = set(pregnancy.women)
        for woman in pregnancy.women:
            people |= snapshot.partners_of(woman, day)
            for household in snapshot.households_of(woman, day):
                people |= snapshot.members_on(household, day)
        if pregnancy.unborn is not None:
            people |= snapshot.parents_of(pregnancy.unborn, day, LEGAL_PARENT_KINDS)
        return people

    def _risks(self, snapshot: CaseSnapshot, pregnancy: Pregnancy, since: dt.date, at: dt.date) -> list[EntryRecord]:
        found = []
        household: dict[dt.date, set[int]] = {}
        for entry in snapshot.entries_of(at, RISK_KINDS):
            if entry.occurred_on < since:
                continue
            named = entry.subjects | entry.present | entry.seen
            if not named:
                found.append(entry)  # about nobody in particular: about the household
                continue
            day = entry.occurred_on
            if day not in household:
                household[day] = self._household(snapshot, pregnancy, day)
            if named & household[day]:
                found.append(entry)
        return found

    @staticmethod
    def _removals(snapshot: CaseSnapshot, pregnancy: Pregnancy, saying: list[EntryRecord]) -> list[EntryRecord]:
        """Entries about the woman or an older child of hers saying that a child was removed (`saying`: the
        entries that say so, found once for every pregnancy)."""
        older = {
            r.to_person
            for r in snapshot.relationships
            if r.from_person in pregnancy.women and r.kind in LEGAL_PARENT_KINDS and r.to_person != pregnancy.unborn
        }
        people = older | pregnancy.women
        return [e for e in saying if (e.subjects | e.present | e.seen) & people]

    @staticmethod
    def _placed(snapshot: CaseSnapshot, pregnancy: Pregnancy, at: dt.date) -> list[tuple[int, str]]:
        """Older children of the woman the genogram shows with foster, kinship or adoptive carers by the date."""
        older = {
            r.to_person
            for r in snapshot.relationships
            if r.from_person in pregnancy.women and r.kind in LEGAL_PARENT_KINDS and r.to_person != pregnancy.unborn
        }
        found: dict[int, str] = {}
        for r in snapshot.relationships:
            if r.to_person not in older or r.kind not in CARER_WORDS or r.from_person in pregnancy.women:
                continue
            if r.start_date is None or r.start_date <= at:
                found.setdefault(r.to_person, r.kind)
        return sorted(found.items())

    @staticmethod
    def _answers(snapshot: CaseSnapshot, pregnancy: Pregnancy, at: dt.date) -> list[EntryRecord]:
        """Referrals, assessments and pre-birth meetings about the unborn child, from early in the pregnancy."""
        start = pregnancy.due - dt.timedelta(days=TERM_DAYS)
        found = []
        for entry in snapshot.entries_of(at, ANSWER_KINDS):
            if entry.occurred_on < start:
                continue
            about_unborn = pregnancy.unborn is not None and pregnancy.unborn in entry.subjects
            if about_unborn or (
                entry.subjects & pregnancy.women
                and mentions_affirmed(snapshot.flat_text(entry), UNBORN_WORDS, flat=True)
            ):
                found.append(entry)
        return found
