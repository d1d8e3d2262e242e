"""Reads of flags for a case the caller already holds through the access selector.

`flags_for_case(case, at)` is the one entry point pages, the API and packs use: it loads the
snapshot (fixed queries), applies the case's rule settings, runs the engine, and attaches the
latest review of each flag, saying whether new evidence has opened it again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from cases import permissions
from cases.models import Case
from chronology.models import EntryKind
from core.collector import collector_paused
from reporting.flags.base import REGISTRY, Flag, ParamValue
from reporting.flags.dates import say_date
from reporting.flags.engine import default_params, evaluate
from reporting.flags.loader import load_snapshot
from reporting.flags.models import FlagReview, RuleSetting
from reporting.flags.snapshot import CaseSnapshot, EntryRecord
from reporting.flags.text import join_words

KIND_LABELS: dict[str, str] = dict(EntryKind.choices)


class EvidenceRow(NamedTuple):
    """An entry as a flag cites it. A named tuple: a big case's flags cite thousands (see EntryRecord)."""

    id: int
    occurred_on: dt.date
    agency: str
    kind: str
    kind_label: str
    summary: str
    restricted: bool


@dataclass(frozen=True, slots=True)
class ReviewView:
    id: int
    decision: str
    decision_label: str
    rationale: str
    reviewed_by: str
    reviewed_at: dt.datetime
    evidence: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class CaseFlag:
    """A flag as a case shows it: the engine's flag, who and what it names, and its review state."""

    flag: Flag
    rationale: str
    people_names: tuple[str, ...]
    evidence_rows: tuple[EvidenceRow, ...]
    review: ReviewView | None
    new_evidence: tuple[int, ...]
    new_evidence_said: str

    @property
    def rule(self) -> str:
        return self.flag.rule

    @property
    def title(self) -> str:
        return self.flag.title

    @property
    def severity(self) -> str:
        return self.flag.severity.value

    @property
    def key(self) -> str:
        return self.flag.key

    @property
    def people(self) -> tuple[int, ...]:
        return self.flag.people

    @property
    def evidence(self) -> tuple[int, ...]:
        return self.flag.evidence

    @property
    def explanation(self) -> str:
        return self.flag.explanation

    @property
    def status(self) -> str:
        """'open' (never reviewed), 'reviewed', or 'reopened' (reviewed, then given new evidence)."""
        if self.review is None:
            return "open"
        return "reopened" if self.new_evidence else "reviewed"

    @property
    def needs_review(self) -> bool:
        return self.status != "reviewed"


def case_rule_settings(case: Case) -> dict[str, RuleSetting]:
    """The latest setting per rule for a case (one query)."""
    latest: dict[str, RuleSetting] = {}
    for setting in RuleSetting.objects.filter(case=case).select_related("changed_by").order_by("changed_at", "id"):
        if setting.rule in REGISTRY:
            latest[setting.rule] = setting
    return latest


def effective_params(case: Case, settings: dict[str, RuleSetting] | None = None) -> dict[str, dict[str, ParamValue]]:
    """Each rule's parameters for this case: defaults overlaid with the case's latest setting."""
    chosen = case_rule_settings(case) if settings is None else settings
    params = default_params()
    for rule_id, setting in chosen.items():
        params[rule_id].update({k: v for k, v in setting.params.items() if k in params[rule_id]})
    return params


def latest_reviews(case: Case) -> dict[tuple[str, str], FlagReview]:
    latest: dict[tuple[str, str], FlagReview] = {}
    for review in FlagReview.objects.filter(case=case).select_related("reviewed_by").order_by("reviewed_at", "id"):
        latest[(review.rule, review.flag_key)] = review
    return latest


def _evidence_row(entry: EntryRecord) -> EvidenceRow:
    in_full = permissions.shows_in_full_when_shared(restricted=entry.restricted)
    summary = entry.summary if in_full else f"Restricted entry held by {entry.agency.name}"
    return EvidenceRow(
        id=entry.id,
        occurred_on=entry.occurred_on,
        agency=entry.agency.name,
        kind=entry.kind,
        kind_label=KIND_LABELS.get(entry.kind, entry.kind),
        summary=summary,
        restricted=not in_full,
    )


def _review_view(review: FlagReview) -> ReviewView:
    return ReviewView(
        id=review.pk,
        decision=review.decision,
        decision_label=review.get_decision_display(),
        rationale=review.rationale,
        reviewed_by=review.reviewed_by.display_name,
        reviewed_at=review.reviewed_at,
        evidence=tuple(int(i) for i in review.evidence),
    )


def present_flags(
    snapshot: CaseSnapshot, flags: list[Flag], reviews: dict[tuple[str, str], FlagReview]
) -> list[CaseFlag]:
    entries = {e.id: e for e in snapshot.entries}
    rows: dict[int, EvidenceRow] = {}  # one immutable row per entry, shared by every flag citing it

    def evidence_row(entry_id: int) -> EvidenceRow:
        row = rows.get(entry_id)
        if row is None:
            row = rows[entry_id] = _evidence_row(entries[entry_id])
        return row

    shown = []
    for flag in flags:
        review = reviews.get((flag.rule, flag.key))
        new: tuple[int, ...] = ()
        said = ""
        if review is not None:
            seen = {int(i) for i in review.evidence}
            new = tuple(i for i in flag.evidence if i not in seen)
            if new:
                said = (
                    f"New since the review on {say_date(review.reviewed_at.date())}: "
                    + join_words(
                        [
                            f"{entries[i].agency.name} {say_date(entries[i].occurred_on)} "
                            f"({KIND_LABELS.get(entries[i].kind, entries[i].kind).lower()})"
                            for i in new
                        ]
                    )
                    + "."
                )
        shown.append(
            CaseFlag(
                flag=flag,
                rationale=REGISTRY[flag.rule].rationale,
                people_names=tuple(snapshot.name(p) for p in flag.people),
                evidence_rows=tuple(map(evidence_row, flag.evidence)),
                review=_review_view(review) if review is not None else None,
                new_evidence=new,
                new_evidence_said=said,
            )
        )
    return shown


def flags_for_case(case: Case, at: dt.date) -> list[CaseFlag]:
    """Flags for a case as of a date, most severe first, each with its latest review.

    The caller must already have checked access (case_for_user / cases_visible_to). Runs a fixed
    number of queries: the snapshot's five, the rule settings and the reviews.
    """
    with collector_paused():
        snapshot = load_snapshot(case, at)
        flags = evaluate(snapshot, at, effective_params(case))
        shown = present_flags(snapshot, flags, latest_reviews(case))
        del snapshot  # freed here, by reference counting, before the collector runs again
    return shown
