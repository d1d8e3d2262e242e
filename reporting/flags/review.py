"""Review mode: for each flag of a period, when it could have been known, by whom, and what followed.

The questions every rapid review and child safeguarding practice review asks (DESIGN.md, "Review
mode"): the first day the events themselves would have raised a flag (`first_occurred_on`, from
today's records of what happened by then), the first day it would have shown from what had been
recorded by then (`first_knowable_on`: the gap is late recording), which agencies held its evidence
and when each recorded its first piece, when a user first saw it (the audit trail of the flags page
and API), its first review, and what followed.

Efficiently, not one full evaluation per day: the history is read once (reporting/flags/
recorded_loader.py, fixed queries) and snapshots are built in memory. Flags are found on a grid of
change points (the days on which what had been recorded, or what had happened, changed), then
each flag's first day is narrowed between the last grid day without it and the first with it: the
days its own evidence was recorded (or happened) first, then by halving, evaluating only that
flag's rule. `max_evaluations` caps the work, counted in full evaluations (every rule over one
snapshot; one rule over one snapshot is a fraction of one); past it, a flag's first day is the
earliest day it was seen showing and the analysis says it is not exact (`complete` false).
A flag that shows and goes again between two grid days is not found: the grid is the change points
themselves when there are no more of them than `grid_points`.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from django.core.exceptions import PermissionDenied

from audit.models import AuditEvent
from cases import permissions
from cases.models import Case
from chronology.models import EntryKind
from core.collector import collector_paused
from meetings.models import MeetingKind
from reporting.flags.base import Flag, Rule
from reporting.flags.engine import RULE_ORDER, build_rules, evaluate
from reporting.flags.models import FlagDecision, FlagReview
from reporting.flags.recorded_loader import FOREVER, RecordedHistory, day_of, end_of_day, load_recorded_history
from reporting.flags.selectors import CaseFlag, effective_params, present_flags
from reporting.flags.snapshot import CaseSnapshot

Mode = Literal["recorded", "occurred"]
FlagId = tuple[str, str]

# Reads of the flags (page and API) and of one flag (its review page): "seen" in the audit trail.
SEEN_ACTIONS = ("flags.viewed", "flag.viewed")
# What counts as action after a flag became knowable, besides meetings and actions set.
FOLLOW_ENTRY_KINDS = {"referral_made": "referral", "strategy_discussion": "strategy_discussion"}
FOLLOWED_BY_LIMIT = 10
# Eight grid days per mode are sixteen full evaluations; the rest of the cap narrows first days,
# the most severe flags first.
DEFAULT_GRID_POINTS = 8
DEFAULT_MAX_EVALUATIONS = 24
KIND_LABELS = dict(EntryKind.choices)
MEETING_LABELS = dict(MeetingKind.choices)


@dataclass(frozen=True, slots=True)
class AgencyEvidence:
    agency_id: int
    agency: str
    first_recorded_on: dt.date


@dataclass(frozen=True, slots=True)
class FirstReview:
    on: dt.date
    decision: str
    decision_label: str


@dataclass(frozen=True, slots=True)
class FollowUp:
    kind: str  # meeting, action, referral or strategy_discussion
    on: dt.date
    what: str  # no free text: kind and agency only, so an anonymised pack can print it as it is


@dataclass(frozen=True)
class FlagStory:
    rule: str
    title: str
    severity: str
    key: str
    people: tuple[int, ...]
    evidence: tuple[int, ...]
    first_occurred_on: dt.date | None
    first_knowable_on: dt.date | None
    agencies: tuple[AgencyEvidence, ...]
    first_seen_on: dt.date | None
    first_review: FirstReview | None
    followed_by: tuple[FollowUp, ...]
    days_to_first_action: int | None
    people_names: tuple[str, ...] = ()

    @property
    def late_recording_days(self) -> int | None:
        if self.first_occurred_on is None or self.first_knowable_on is None:
            return None
        return (self.first_knowable_on - self.first_occurred_on).days

    def timeline(self) -> list[tuple[str, dt.date | None, str]]:
        """The five moments of the flag's story in order, each with how long after the one it
        follows from: recorded after it occurred; seen, reviewed and acted after it was knowable."""
        acted = self.followed_by[0].on if self.followed_by else None
        reviewed = self.first_review.on if self.first_review else None

        def after(day: dt.date | None, since: dt.date | None, what: str) -> str:
            if day is None or since is None:
                return ""
            days = (day - since).days
            return f"same day as {what}" if days == 0 else f"{days} day{'s' if abs(days) != 1 else ''} after {what}"

        return [
            ("Occurred", self.first_occurred_on, ""),
            ("Recorded", self.first_knowable_on, after(self.first_knowable_on, self.first_occurred_on, "it occurred")),
            ("Seen", self.first_seen_on, after(self.first_seen_on, self.first_knowable_on, "it was recorded")),
            ("Reviewed", reviewed, after(reviewed, self.first_knowable_on, "it was recorded")),
            ("Acted", acted, after(acted, self.first_knowable_on, "it was recorded")),
        ]


@dataclass
class ReviewAnalysis:
    date_from: dt.date
    date_to: dt.date
    flags: list[FlagStory] = field(default_factory=list)
    evaluations: int = 0
    complete: bool = True


class _Evaluator:
    """Rules run on in-memory snapshots, memoised per (mode, day, rule); counts the snapshots built."""

    def __init__(self, history: RecordedHistory, rules: list[Rule], max_evaluations: int) -> None:
        self.history = history
        self.rules = {rule.id: rule for rule in rules}
        self.rule_ids = [rule_id for rule_id in RULE_ORDER if rule_id in self.rules]
        self.max_runs = max_evaluations * max(len(rules), 1)
        self.runs = 0  # rule.evaluate calls
        self.snapshots: OrderedDict[tuple[Mode, dt.date], CaseSnapshot] = OrderedDict()
        self.found: dict[tuple[Mode, dt.date, str], dict[str, Flag]] = {}

    @property
    def exhausted(self) -> bool:
        return self.runs >= self.max_runs

    @property
    def evaluations(self) -> int:
        """The work done, in full evaluations (rounded up)."""
        return -(-self.runs // max(len(self.rules), 1))

    def _snapshot(self, mode: Mode, day: dt.date) -> CaseSnapshot:
        snap = self.snapshots.get((mode, day))
        if snap is None:
            snap = self.history.snapshot(day, recorded_by=day if mode == "recorded" else None)
            self.snapshots[(mode, day)] = snap
            if len(self.snapshots) > 4:  # a full snapshot with its indexes is large: keep a few
                self.snapshots.popitem(last=False)
        else:
            self.snapshots.move_to_end((mode, day))
        return snap

    def flags(self, mode: Mode, day: dt.date, rule_ids: Iterable[str]) -> dict[FlagId, Flag]:
        shown: dict[FlagId, Flag] = {}
        for rule_id in rule_ids:
            memo = self.found.get((mode, day, rule_id))
            if memo is None:
                snap = self._snapshot(mode, day)
                memo = {flag.key: flag for flag in self.rules[rule_id].evaluate(snap, day)}
                self.runs += 1
                self.found[(mode, day, rule_id)] = memo
            shown.update({(rule_id, key): flag for key, flag in memo.items()})
        return shown

    def shows(self, mode: Mode, day: dt.date, flag: FlagId) -> bool:
        return flag in self.flags(mode, day, [flag[0]])


def _grid(days: list[dt.date], date_from: dt.date, date_to: dt.date, points: int) -> list[dt.date]:
    inside = sorted({d for d in days if date_from <= d <= date_to} | {date_from, date_to})
    if len(inside) <= points:
        return inside
    last = len(inside) - 1
    return sorted({inside[round(i * last / (points - 1))] for i in range(points)})


def _first_day(
    evaluator: _Evaluator,
    mode: Mode,
    flag: FlagId,
    absent: dt.date,
    present: dt.date,
    hints: Iterable[dt.date],
) -> tuple[dt.date, bool]:
    """The first day in (absent, present] the flag shows, assuming it stays once it shows there:
    first the days of its own evidence, then the day before, then halving. False when the budget
    ran out first (the day returned is then the earliest seen showing)."""
    for day in sorted({d for d in hints if absent < d < present}):
        if evaluator.exhausted:
            return present, False
        if evaluator.shows(mode, day, flag):
            present = day
            break
        absent = day
    if (present - absent).days > 1:
        # Evidence usually raises a flag on its own day: one look at the day before settles most.
        if evaluator.exhausted:
            return present, False
        probe = present - dt.timedelta(days=1)
        if not evaluator.shows(mode, probe, flag):
            return present, True
        present = probe
    while (present - absent).days > 1:
        if evaluator.exhausted:
            return present, False
        middle = absent + dt.timedelta(days=(present - absent).days // 2)
        if evaluator.shows(mode, middle, flag):
            present = middle
        else:
            absent = middle
    return present, True


def _sweep(
    evaluator: _Evaluator,
    mode: Mode,
    grid: list[dt.date],
    hints: Callable[[Flag], Iterable[dt.date]],
) -> tuple[dict[FlagId, dt.date], dict[FlagId, Flag], bool]:
    """Each flag's first day in the period in one mode, and its latest instance."""
    first_grid: dict[FlagId, int] = {}
    latest: dict[FlagId, Flag] = {}
    for index, day in enumerate(grid):
        for flag_id, flag in evaluator.flags(mode, day, evaluator.rule_ids).items():
            first_grid.setdefault(flag_id, index)
            latest[flag_id] = flag
    exact = True
    first: dict[FlagId, dt.date] = {}
    # The most severe flags are narrowed first, so the cap leaves the least important approximate.
    for flag_id, index in sorted(first_grid.items(), key=lambda item: (latest[item[0]].severity.rank, item[1])):
        if index == 0:
            first[flag_id] = grid[0]
            continue
        day, done = _first_day(evaluator, mode, flag_id, grid[index - 1], grid[index], hints(latest[flag_id]))
        first[flag_id] = day
        exact = exact and done
    return first, latest, exact


def _seen_days(case: Case, date_to: dt.date) -> tuple[list[dt.date], dict[FlagId, dt.date]]:
    """Days anyone read the case's flags (page or API), and the first day each flag's own page was read."""
    days: list[dt.date] = []
    own: dict[FlagId, dt.date] = {}
    rows = (
        AuditEvent.objects.filter(case=case, action__in=SEEN_ACTIONS, actor__isnull=False)
        .order_by("at", "id")
        .values_list("at", "action", "detail")
    )
    for at, action, detail in rows:
        day = day_of(at)
        if day > date_to:
            break
        if action == "flag.viewed" and isinstance(detail, dict):
            own.setdefault((str(detail.get("rule", "")), str(detail.get("key", ""))), day)
        elif not days or days[-1] != day:
            days.append(day)
    return days, own


def _follow_ups(history: RecordedHistory, date_to: dt.date) -> list[FollowUp]:
    """Meetings held or booked (not cancelled), actions set, referrals and strategy discussions, by date."""
    found: list[FollowUp] = []
    meeting_entries: set[int] = set()
    for row in history.meetings:
        meeting = row.record
        if meeting.entry_id is not None:
            meeting_entries.add(meeting.entry_id)
        if meeting.status == "cancelled" or meeting.held_on > date_to:
            continue
        kind = "strategy_discussion" if meeting.kind == MeetingKind.STRATEGY_DISCUSSION else "meeting"
        found.append(FollowUp(kind, meeting.held_on, MEETING_LABELS.get(meeting.kind, meeting.kind)))
    for row in history.actions:
        action = row.record
        if action.status != "cancelled" and action.created_on <= date_to:
            found.append(FollowUp("action", action.created_on, f"Action for {action.owner_agency.name}"))
    for version in history.versions:
        entry = version.record
        if (
            version.until_day == FOREVER
            and not entry.retracted
            and entry.kind in FOLLOW_ENTRY_KINDS
            and entry.id not in meeting_entries
            and entry.occurred_on <= date_to
        ):
            label = f"{KIND_LABELS.get(entry.kind, entry.kind)} ({entry.agency.name})"
            found.append(FollowUp(FOLLOW_ENTRY_KINDS[entry.kind], entry.occurred_on, label))
    found.sort(key=lambda f: (f.on, f.kind, f.what))
    return found


def review_analysis(
    case: Case,
    date_from: dt.date,
    date_to: dt.date,
    *,
    grid_points: int = DEFAULT_GRID_POINTS,
    max_evaluations: int = DEFAULT_MAX_EVALUATIONS,
) -> ReviewAnalysis:
    """The review analysis of a case the caller holds through the access selector, for a period.

    Queries: the recorded history's ten, the rule settings, the flag reviews and the audit reads
    of the flags: thirteen, whatever the size of the case or the period."""
    with collector_paused():
        history = load_recorded_history(case)
        rules = build_rules(effective_params(case))
        reviews = list(
            FlagReview.objects.filter(case=case)
            .order_by("reviewed_at", "id")
            .values_list("rule", "flag_key", "reviewed_at", "decision")
        )
        seen_days, seen_own = _seen_days(case, date_to)
        return _analyse(history, rules, reviews, seen_days, seen_own, date_from, date_to, grid_points, max_evaluations)


def _analyse(
    history: RecordedHistory,
    rules: list[Rule],
    reviews: list[tuple[str, str, dt.datetime, str]],
    seen_days: list[dt.date],
    seen_own: dict[FlagId, dt.date],
    date_from: dt.date,
    date_to: dt.date,
    grid_points: int,
    max_evaluations: int,
) -> ReviewAnalysis:
    evaluator = _Evaluator(history, rules, max_evaluations)
    recorded_on = history.first_recorded()
    occurred_on: dict[int, dt.date] = {}
    agency_of: dict[int, tuple[int, str]] = {}
    for version in history.versions:
        occurred_on.setdefault(version.record.id, version.record.occurred_on)
        agency_of[version.record.id] = (version.record.agency.id, version.record.agency.name)
        if version.until_day == FOREVER:
            occurred_on[version.record.id] = version.record.occurred_on

    def recorded_hints(flag: Flag) -> list[dt.date]:
        return [recorded_on[e] for e in flag.evidence if e in recorded_on]

    def occurred_hints(flag: Flag) -> list[dt.date]:
        return [occurred_on[e] for e in flag.evidence if e in occurred_on]

    knowable, latest_recorded, exact_recorded = _sweep(
        evaluator, "recorded", _grid(history.recorded_days(), date_from, date_to, grid_points), recorded_hints
    )
    occurred, latest_occurred, exact_occurred = _sweep(
        evaluator, "occurred", _grid(history.occurred_days(), date_from, date_to, grid_points), occurred_hints
    )
    follow_ups = _follow_ups(history, date_to)
    labels = dict(FlagDecision.choices)
    first_review: dict[FlagId, FirstReview] = {}
    for rule_id, key, reviewed_at, decision in reviews:
        day = day_of(reviewed_at)
        if day <= date_to and (rule_id, key) not in first_review:
            first_review[(rule_id, key)] = FirstReview(day, decision, labels.get(decision, decision))
    analysis = ReviewAnalysis(date_from=date_from, date_to=date_to)
    names = {row.record.id: row.record.name for row in history.people}
    order = {rule_id: index for index, rule_id in enumerate(RULE_ORDER)}
    for flag_id in sorted(set(knowable) | set(occurred), key=lambda f: (order.get(f[0], 99), f[1])):
        flag = latest_recorded.get(flag_id) or latest_occurred[flag_id]
        evidence = sorted(set(flag.evidence) | set(getattr(latest_occurred.get(flag_id), "evidence", ())))
        holders: dict[int, AgencyEvidence] = {}
        for entry_id in evidence:
            if entry_id not in agency_of:
                continue
            agency_id, name = agency_of[entry_id]
            day = recorded_on[entry_id]
            held = holders.get(agency_id)
            if held is None or day < held.first_recorded_on:
                holders[agency_id] = AgencyEvidence(agency_id, name, day)
        knowable_on = knowable.get(flag_id)
        seen_on = None
        if knowable_on is not None:
            own = seen_own.get(flag_id)
            seen_on = own if own is not None and own >= knowable_on else None
            for day in seen_days:
                if day < knowable_on:
                    continue
                if seen_on is not None and day >= seen_on:
                    break
                if evaluator.exhausted:
                    seen_on = day  # the first read after it became knowable, not checked that it still showed
                    analysis.complete = False
                    break
                if evaluator.shows("recorded", day, flag_id):
                    seen_on = day
                    break
        followed = (
            tuple(f for f in follow_ups if f.on >= knowable_on)[:FOLLOWED_BY_LIMIT] if knowable_on is not None else ()
        )
        analysis.flags.append(
            FlagStory(
                rule=flag.rule,
                title=flag.title,
                severity=flag.severity.value,
                key=flag.key,
                people=flag.people,
                evidence=tuple(evidence),
                first_occurred_on=occurred.get(flag_id),
                first_knowable_on=knowable_on,
                agencies=tuple(sorted(holders.values(), key=lambda a: (a.first_recorded_on, a.agency))),
                first_seen_on=seen_on,
                first_review=first_review.get(flag_id),
                followed_by=followed,
                days_to_first_action=(followed[0].on - knowable_on).days if followed and knowable_on else None,
                people_names=tuple(names.get(p, "an unnamed person") for p in flag.people),
            )
        )
    analysis.evaluations = evaluator.evaluations
    analysis.complete = analysis.complete and exact_recorded and exact_occurred
    return analysis


def require_review_access(user: object, case: Case) -> None:
    """Refuse (403) anyone the policy does not let read the case's review analysis."""
    if not permissions.can_read_review(user, case):
        raise PermissionDenied("Only managers and administrators read the review analysis.")


def case_review_analysis(user: object, case: Case, date_from: dt.date, date_to: dt.date) -> ReviewAnalysis:
    """The analysis for a user who holds the case through case_for_user, if the policy lets them."""
    require_review_access(user, case)
    return review_analysis(case, date_from, date_to)


def flags_as_recorded(case: Case, at: dt.date) -> list[CaseFlag]:
    """The flags a case showed from what had been recorded by the end of `at`, each with the latest
    review made by then. The caller holds the case through the access selector. Fixed queries: the
    recorded history's ten, the rule settings and the reviews."""
    with collector_paused():
        snapshot = load_recorded_history(case).snapshot(at, recorded_by=at)
        flags = evaluate(snapshot, at, effective_params(case))
        latest: dict[FlagId, FlagReview] = {}
        for review in (
            FlagReview.objects.filter(case=case, reviewed_at__lt=end_of_day(at))
            .select_related("reviewed_by")
            .order_by("reviewed_at", "id")
        ):
            latest[(review.rule, review.flag_key)] = review
        shown = present_flags(snapshot, flags, latest)
        del snapshot
    return shown
