from __future__ import annotations

import datetime as dt

from reporting.flags.base import Flag, Rule, Severity, register
from reporting.flags.snapshot import LEGAL_PARENT_KINDS, CaseSnapshot
from reporting.flags.text import join_words

NOT_RECORDED = frozenset({"", "unknown", "not known", "not recorded", "n/k", "-"})


@register
class MissingEthnicity(Rule):
    id = "missing_ethnicity"
    title = "Ethnicity not recorded"
    severity = Severity.LOW
    rationale = "Without a family's ethnicity, culture, faith and language are not considered and bias goes unseen."

    def evaluate(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        roles: dict[int, list[str]] = {}
        for child in snapshot.people:
            if not child.is_subject:
                continue
            roles.setdefault(child.id, []).append("a subject child")
            for parent_id in snapshot.parents_of(child.id, at, LEGAL_PARENT_KINDS):
                roles.setdefault(parent_id, []).append(f"parent of {child.name}")
        flags = []
        for person_id, why in roles.items():
            person = snapshot.person(person_id)
            if person is None or person.ethnicity.strip().casefold() not in NOT_RECORDED:
                continue
            explanation = f"No ethnicity is recorded for {person.name} ({join_words(why)})."
            flags.append(self.flag(key=f"person:{person_id}", people=[person_id], evidence=[], explanation=explanation))
        return flags
