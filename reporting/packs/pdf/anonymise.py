"""Anonymising a pack for a practice review: people become role labels, practitioners and addresses go.

Every string that reaches an anonymised pack passes through Redactor.text(): full names, given and
family names, and every known-as name or alias of every person in the case are replaced,
case-insensitively and only as whole words, by the person's role label ("Child A", "Mother",
"Mother's partner"...). Practitioners' names become "[practitioner]" and addresses "[address]".
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

TITLES = frozenset({"dr", "pc", "ps", "dc", "ds", "di", "mr", "mrs", "ms", "miss", "mx", "prof", "rev", "sgt", "nurse"})
PARENT_KINDS = frozenset({"biological_parent", "adoptive_parent", "step_parent", "foster_carer", "kinship_carer"})
PARTNER_KINDS = frozenset({"married", "cohabiting", "partner"})
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)


@dataclass(frozen=True)
class PersonNames:
    id: int
    given_name: str
    family_name: str
    known_as: str
    sex: str
    date_of_birth: dt.date | None
    is_subject: bool

    def aliases(self) -> list[str]:
        return [part.strip() for part in re.split(r"[,;/]", self.known_as or "") if part.strip()]


@dataclass(frozen=True)
class Link:
    """A relationship: from_id -> to_id of a kind (parent kinds run adult -> child)."""

    from_id: int
    to_id: int
    kind: str


def _adult_on(person: PersonNames, on: dt.date) -> bool:
    if person.date_of_birth is None:
        return True
    dob = person.date_of_birth
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day)) >= 18


def role_labels(people: Sequence[PersonNames], links: Iterable[Link] = (), *, on: dt.date) -> dict[int, str]:
    """A role label for each person: relative to the subject children where relationships say so,
    otherwise Child A, B... for the subjects and Adult 1, 2... (or Other child 1...) for the others."""
    links = list(links)
    by_id = {p.id: p for p in people}
    subjects = sorted((p for p in people if p.is_subject), key=lambda p: (p.date_of_birth or dt.date.max, p.id))
    labels: dict[int, str] = {}
    for index, child in enumerate(subjects):
        labels[child.id] = f"Child {LETTERS[index % 26]}{'' if index < 26 else index // 26}"
    subject_ids = {p.id for p in subjects}

    parents_of: dict[int, set[int]] = defaultdict(set)
    partners_of: dict[int, set[int]] = defaultdict(set)
    for link in links:
        if link.kind in PARENT_KINDS:
            parents_of[link.to_id].add(link.from_id)
        elif link.kind in PARTNER_KINDS:
            partners_of[link.from_id].add(link.to_id)
            partners_of[link.to_id].add(link.from_id)

    def gendered(person: PersonNames, female: str, male: str, neutral: str) -> str:
        return female if person.sex == "female" else male if person.sex == "male" else neutral

    parents = {pid for sid in subject_ids for pid in parents_of.get(sid, ()) if pid in by_id and pid not in subject_ids}
    candidates: dict[int, str] = {}
    for pid in sorted(parents):
        candidates[pid] = gendered(by_id[pid], "Mother", "Father", "Parent")
    # Grandparents: parents of a parent, named by that parent's side.
    for pid in sorted(parents):
        side = {"Mother": "Maternal", "Father": "Paternal"}.get(candidates[pid], "")
        for gid in sorted(parents_of.get(pid, ())):
            if gid in by_id and gid not in candidates and gid not in subject_ids:
                base = gendered(by_id[gid], "grandmother", "grandfather", "grandparent")
                candidates[gid] = f"{side} {base}" if side else base.capitalize()
    # Partners of a parent who are not themselves a parent of the subjects.
    for pid in sorted(parents):
        for qid in sorted(partners_of.get(pid, ())):
            if qid in by_id and qid not in candidates and qid not in subject_ids:
                candidates[qid] = f"{candidates[pid]}'s partner"
    # Siblings and half-siblings of the subjects who are not subjects themselves.
    subject_parents = {sid: parents_of.get(sid, set()) for sid in subject_ids}
    for person in people:
        if person.id in subject_ids or person.id in candidates:
            continue
        own = parents_of.get(person.id, set())
        shared = [sid for sid, ps in subject_parents.items() if own and ps and own & ps]
        if shared:
            full = any(subject_parents[sid] == own for sid in shared)
            base = gendered(person, "sister", "brother", "sibling")
            candidates[person.id] = base.capitalize() if full else f"Half-{base}"
        elif own & parents:
            candidates[person.id] = "Sibling"
    # Anyone left related to a labelled person as that person's parent or partner.
    for person in people:
        if person.id in subject_ids or person.id in candidates:
            continue
        for child_id in sorted(cid for cid, ps in parents_of.items() if person.id in ps):
            if child_id in candidates:
                candidates[person.id] = f"{candidates[child_id]}'s {gendered(person, 'mother', 'father', 'parent')}"
                break

    # Make labels unique: a second "Mother" becomes "Mother 2".
    seen: dict[str, int] = defaultdict(int)
    for pid in [p.id for p in people if p.id in candidates]:
        label = candidates[pid]
        seen[label] += 1
        labels[pid] = label if seen[label] == 1 else f"{label} {seen[label]}"
    adult_n = other_child_n = 0
    for person in people:
        if person.id in labels:
            continue
        if _adult_on(person, on):
            adult_n += 1
            labels[person.id] = f"Adult {adult_n}"
        else:
            other_child_n += 1
            labels[person.id] = f"Other child {other_child_n}"
    return labels


@dataclass
class Redactor:
    """Replaces known names and addresses in free text. An identity redactor when not anonymising."""

    active: bool = False
    replacements: dict[str, str] = field(default_factory=dict)
    # Single words of practitioners' names, matched only as written (capitalised): "Grace" the
    # practitioner is removed, "grace" the word is not.
    exact: dict[str, str] = field(default_factory=dict)
    _pattern: re.Pattern[str] | None = None
    _exact_pattern: re.Pattern[str] | None = None

    @classmethod
    def for_case(
        cls,
        *,
        people: Sequence[PersonNames],
        labels: dict[int, str],
        practitioner_names: Iterable[str] = (),
        addresses: Iterable[str] = (),
    ) -> Redactor:
        replacements: dict[str, str] = {}
        ambiguous: set[str] = set()

        def add(term: str, label: str) -> None:
            key = _key(term)
            if len(key) < 2:
                return
            if key in replacements and replacements[key] != label:
                ambiguous.add(key)
            replacements.setdefault(key, label)

        for person in people:
            label = labels[person.id]
            names = [person.given_name, person.family_name, *person.aliases()]
            full = " ".join(n for n in (person.given_name, person.family_name) if n)
            for term in [full, *names]:
                if term:
                    add(term, label)
            for alias in person.aliases():
                for word in alias.split():
                    add(word, label)
        # A name part two people share (a family name) cannot say which one is meant.
        for key in ambiguous:
            replacements[key] = "[name]"
        exact: dict[str, str] = {}
        for name in practitioner_names:
            words = [w for w in re.split(r"\s+", name.strip()) if w]
            if not words:
                continue
            replacements.setdefault(_key(name), "[practitioner]")
            if len(words) > 1:
                for word in words:
                    if word.casefold().rstrip(".") not in TITLES and len(word) > 1 and _key(word) not in replacements:
                        exact[word[:1].upper() + word[1:]] = "[practitioner]"
        for address in addresses:
            if address.strip():
                replacements[_key(address)] = "[address]"
                # The first line and the postcode on their own, as people write them in notes.
                parts = [part.strip() for part in address.split(",") if part.strip()]
                if parts and len(parts[0]) > 4:
                    replacements.setdefault(_key(parts[0]), "[address]")
                for postcode in POSTCODE.findall(address):
                    replacements.setdefault(_key(postcode), "[address]")
        redactor = cls(active=True, replacements=replacements, exact=exact)
        redactor._compile()
        return redactor

    def _compile(self) -> None:
        self._pattern = _alternation(self.replacements, re.IGNORECASE)
        self._exact_pattern = _alternation(self.exact, 0)

    def text(self, value: object) -> str:
        text = "" if value is None else str(value)
        if not self.active or not text:
            return text
        if self._pattern is not None:
            text = self._pattern.sub(lambda m: self.replacements[_key(m.group(0))], text)
        if self._exact_pattern is not None:
            text = self._exact_pattern.sub(lambda m: self.exact[m.group(0)], text)
        return text


def _alternation(terms: dict[str, str], flags: int) -> re.Pattern[str] | None:
    if not terms:
        return None
    ordered = sorted(terms, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(re.escape(w) for w in term.split()) for term in ordered)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", flags)


def _key(term: str) -> str:
    return " ".join(term.split()).casefold()
