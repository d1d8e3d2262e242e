from __future__ import annotations

import datetime as dt

from reporting.flags.base import Flag, Rule, Severity, register
from reporting.flags.dates import say_date
from reporting.flags.snapshot import CaseSnapshot, EntryRecord, MembershipRecord
from reporting.flags.text import join_words

# Structured answers, never words: an adult check with its result, or an assessment, about the
# adult. A check still pending has not answered the question (the explanation names it).
ASSESSMENT_KIND = "assessment"
ADULT_CHECK_KIND = "adult_check"
PENDING = "pending"
CHECK_WORDS = {
    "police": "police",
    "childrens_services": "children's services history",
    "probation": "probation",
    "health": "health",
    "other": "other",
}


def checks_person(entry: EntryRecord, person_id: int) -> bool:
    """An entry that sees the person, or is about them and records a completed adult check or an assessment."""
    if person_id in entry.seen or person_id in entry.seen_alone:
        return True
    if person_id not in entry.subjects:
        return False
    if entry.kind == ADULT_CHECK_KIND:
        return bool(entry.adult_check_result) and entry.adult_check_result != PENDING
    return entry.kind == ASSESSMENT_KIND


def pending_check(entry: EntryRecord, person_id: int) -> bool:
    return entry.kind == ADULT_CHECK_KIND and person_id in entry.subjects and entry.adult_check_result == PENDING


@register
class NewAdultInHousehold(Rule):
    id = "new_adult_in_household"
    title = "New adult in the child's household not assessed"
    severity = Severity.HIGH
    rationale = "A new partner moving in changes the risk to a child; reviews find them unchecked and unassessed."
    defaults = {"days": 30}
    param_help = {
        "days": "Days after the adult joins by which an adult check with its result, an assessment or a sighting "
        "should be recorded."
    }
    # 2: answered by an adult_check entry with a result (not pending) or an assessment entry about the
    # adult, or the adult seen; no longer by words ("check", "assess", "visited") in free text.
    version = 2

    def evaluate(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        days = self.int_param("days")
        subjects = {p.id for p in snapshot.people if p.is_subject}
        flags = []
        for joining in snapshot.memberships:
            person = snapshot.person(joining.person_id)
            joined = joining.from_date
            if person is None or person.is_subject or joined is None or not person.is_adult_on(joined):
                continue
            deadline = joined + dt.timedelta(days=days)
            if deadline >= at:
                continue
            children = self._children_already_there(snapshot, joining, subjects)
            if not children:
                continue
            about = snapshot.entries_about(person.id, at)
            if any(joined <= e.occurred_on <= deadline and checks_person(e, person.id) for e in about):
                continue
            evidence = [e for e in about if joined - dt.timedelta(days=7) <= e.occurred_on <= deadline]
            child_names = join_words([snapshot.name(c) for c in sorted(children)])
            explanation = (
                f"{person.name} joined the household of {child_names} ({joining.household_label}) on "
                f"{say_date(joined)} and no adult check with its result, assessment or sighting of them is "
                f"recorded in the {days} days that followed."
            )
            pending = [e for e in evidence if pending_check(e, person.id)]
            if pending:
                asked = join_words(
                    [
                        f"{CHECK_WORDS.get(e.adult_check_type, 'agency')} checks by {e.agency.name} "
                        f"on {say_date(e.occurred_on)}"
                        for e in pending
                    ]
                )
                explanation += f" The result of {asked} is recorded as pending or not known."
            flags.append(
                self.flag(
                    key=f"person:{person.id}:household:{joining.household_id}",
                    people=[person.id, *children],
                    evidence=evidence,
                    explanation=explanation,
                )
            )
        return flags

    @staticmethod
    def _children_already_there(snapshot: CaseSnapshot, joining: MembershipRecord, subjects: set[int]) -> set[int]:
        """Subject children living in the household when the adult joined, who were there first."""
        assert joining.from_date is not None
        found = set()
        for other in snapshot.memberships:
            if other.household_id != joining.household_id or other.person_id not in subjects:
                continue
            if not other.current_on(joining.from_date):
                continue
            if other.from_date is None or other.from_date < joining.from_date:
                found.add(other.person_id)
        return found
