"""Everything a pack shows, gathered once, as plain values for the template.

The context is built from the case the pack belongs to, for the pack's period and filters. For an
anonymised (review) pack, every string goes through the Redactor here, so the template cannot
print a name by mistake.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
from collections.abc import Callable
from typing import Any

from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from cases import permissions
from cases.models import Case, Person
from cases.selectors import case_agencies, case_people
from chronology.models import ChronologyEntry
from chronology.selectors import EntryView, entries_for_case, people_links
from genogram import graph as fg
from genogram.ecomap_drawing import render_ecomap
from genogram.graph import Family, HouseholdData
from genogram.graphviz import RenderError
from genogram.printing import genogram_print
from genogram.selectors import family_snapshot
from meetings.packs import pack_meeting_context
from reporting.flags.selectors import EvidenceRow, flags_for_case
from reporting.packs.models import SIGNIFICANCE_ORDER, Pack, PackKind
from reporting.packs.pdf.anonymise import Link, PersonNames, Redactor, role_labels
from reporting.packs.pdf.review_section import review_section

MEETING_TITLES = {
    PackKind.STRATEGY: "Strategy discussion",
    PackKind.CORE_GROUP: "Core group meeting",
    PackKind.CONFERENCE: "Child protection conference",
    PackKind.REVIEW: "Practice review",
}
DECISION_ROWS = 8
# The most evidence rows a flag prints in a pack: its latest ones. A long case's flags name thousands
# of entries between them; the rest are counted in one line (the case's flags page lists every one).
PACK_FLAG_EVIDENCE_ROWS = 8
SIGNIFICANCE_WORDS = {
    "low": "of any significance",
    "medium": "of medium or high significance",
    "high": "of high significance",
}


def _age(person: Person, on: dt.date) -> str:
    if person.date_of_birth is None:
        return "Unborn" if person.is_unborn else "Not known"
    if on < person.date_of_birth:
        return "Not yet born"
    months = person.age_in_months_on(on) or 0
    if months < 24:
        return f"{months} month{'s' if months != 1 else ''}"
    return f"{person.age_on(on)} years"


def _dob(person: Person) -> str:
    if person.date_of_birth:
        text = f"{person.date_of_birth.day} {person.date_of_birth:%b %Y}"
        if person.date_of_birth_precision != "day":
            text += f" ({person.get_date_of_birth_precision_display().lower()})"
        return text
    if person.expected_date_of_delivery:
        return f"Due {person.expected_date_of_delivery.day} {person.expected_date_of_delivery:%b %Y}"
    return "Not known"


def _names(person: Person) -> PersonNames:
    return PersonNames(
        id=person.pk,
        given_name=person.given_name,
        family_name=person.family_name,
        known_as=person.known_as,
        sex=person.sex,
        date_of_birth=person.date_of_birth,
        is_subject=person.is_subject,
    )


def _family(case: Case, on: dt.date) -> tuple[Family, list[Link], dict[int, HouseholdData], list[str]]:
    """The case's family (genogram snapshot), its relationships as links, each person's household on
    the date, and every address the case records."""
    family = family_snapshot(case)
    links = [
        Link(from_id=r.from_id, to_id=r.to_id, kind=r.kind)
        for r in family.relationships
        if r.start_date is None or r.start_date <= on
    ]
    by_household = {h.id: h for h in family.households}
    households: dict[int, HouseholdData] = {}
    for person in family.people:
        hid = fg.household_of(family, person.id, on)
        if hid is not None:
            households[person.id] = by_household[hid]
    addresses = sorted({h.address for h in family.households if h.address})
    return family, links, households, addresses


GENERIC_LABEL = re.compile(r"^(Child [A-Z]\d*|Adult \d+|Other child \d+)$")


def _practitioner_names(case: Case, pack: Pack, entries: list[ChronologyEntry]) -> list[str]:
    users = {pack.generated_by}
    if case.lead_professional:
        users.add(case.lead_professional)
    users.update(entry.recorded_by for entry in entries)
    agency_ids = [inv.agency_id for inv in case_agencies(case)]
    users.update(User.objects.filter(agency_id__in=agency_ids))
    names: list[str] = []
    for user in users:
        names += [n for n in (user.full_name, user.get_full_name(), user.username) if n]
    return names


def _entries(pack: Pack) -> list[EntryView]:
    """The period's current entries through the chronology's selector, oldest first.

    A pack is shared beyond whoever generates it, so the policy (`shows_in_full_when_shared`)
    makes each restricted entry a placeholder: only its date and the agency that holds it are
    printed. Restricted entries are kept whatever their significance, so the filter cannot hint at
    what they are about.
    """
    allowed = [level for level, rank in SIGNIFICANCE_ORDER.items() if rank >= SIGNIFICANCE_ORDER[pack.min_significance]]
    queryset = (
        entries_for_case(pack.generated_by, pack.case)
        .filter(occurred_on__gte=pack.date_from, occurred_on__lte=pack.date_to, retracted=False)
        .filter(Q(significance__in=allowed) | Q(restricted=True))
        .order_by("occurred_on", "occurred_time", "sequence", "id")
    )
    agency_ids = list(pack.agencies.values_list("pk", flat=True))
    if agency_ids:
        queryset = queryset.filter(agency_id__in=agency_ids)
    return [
        EntryView(entry=entry, masked=not permissions.shows_in_full_when_shared(restricted=entry.restricted))
        for entry in queryset
    ]


def _say_day(on: dt.date) -> str:
    return f"{on.day} {on:%b %Y}"


def _flag_evidence(
    pack: Pack, rows: tuple[EvidenceRow, ...], r: Callable[[object], str]
) -> tuple[list[dict[str, Any]], str]:
    """A flag's latest PACK_FLAG_EVIDENCE_ROWS evidence rows (oldest first, as the flag lists them) and,
    when there are more, one line counting the earlier ones by their dates and agencies. A restricted
    row is the policy's placeholder (EvidenceRow.summary); the line never says more than a date and an
    agency, which the placeholder shows anyway."""
    earlier, latest = rows[:-PACK_FLAG_EVIDENCE_ROWS], rows[-PACK_FLAG_EVIDENCE_ROWS:]
    printed = [
        {
            "date": _say_day(row.occurred_on),
            "agency": row.agency,
            "summary": r(f"{row.kind_label}: {row.summary}" if not row.restricted else row.summary),
            "outside": not (pack.date_from <= row.occurred_on <= pack.date_to),
        }
        for row in latest
    ]
    if not earlier:
        return printed, ""
    first, last = min(row.occurred_on for row in earlier), max(row.occurred_on for row in earlier)
    span = _say_day(first) if first == last else f"{_say_day(first)} to {_say_day(last)}"
    agencies = ", ".join(sorted({row.agency for row in earlier}))
    count = f"{len(earlier)} earlier {'entry' if len(earlier) == 1 else 'entries'}"
    return printed, r(f"And {count}, {span} ({agencies}): the case's flags page lists every one.")


def _flag_rows(
    pack: Pack, who: Callable[[int], str], r: Callable[[object], str], anonymised: bool
) -> list[dict[str, Any]]:
    flags = flags_for_case(pack.case, pack.date_to)
    rows = []
    for case_flag in sorted(flags, key=lambda f: (not f.needs_review, f.flag.severity.rank)):
        review = case_flag.review
        evidence, earlier = _flag_evidence(pack, case_flag.evidence_rows, r)
        rows.append(
            {
                "id": f"{case_flag.rule}:{case_flag.key}",
                "rule": case_flag.rule,
                "rule_version": case_flag.flag.rule_version,
                "title": case_flag.title,
                "severity": case_flag.severity,
                "severity_label": f"{case_flag.severity} severity",
                "status": {"open": "Not yet reviewed", "reopened": "Open again: new evidence since its review"}.get(
                    case_flag.status, "Reviewed"
                ),
                "needs_review": case_flag.needs_review,
                "explanation": r(case_flag.explanation),
                "people": [who(pid) for pid in case_flag.people],
                "evidence": evidence,
                "evidence_earlier": earlier,
                "new_evidence": r(case_flag.new_evidence_said),
                "review": {
                    "decision": review.decision_label,
                    "rationale": r(review.rationale),
                    "by": "" if anonymised else review.reviewed_by,
                    "at": f"{timezone.localtime(review.reviewed_at):%-d %b %Y}",
                }
                if review is not None
                else None,
            }
        )
    return rows


def _anonymised_family(family: Family, labels: dict[int, str], r: Callable[[object], str]) -> Family:
    """The family with every person named by their role and no address, for a review pack's drawings."""
    return dataclasses.replace(
        family,
        people=tuple(
            dataclasses.replace(p, given_name=labels.get(p.id, "Person"), family_name="", known_as="")
            for p in family.people
        ),
        households=tuple(dataclasses.replace(h, label=r(h.label), address="") for h in family.households),
        ecomap_links=tuple(dataclasses.replace(e, resource_name=r(e.resource_name)) for e in family.ecomap_links),
    )


SVG_TEXT = re.compile(r">([^<>]+)<")
DATE_CAPTION = re.compile(r"^\s*(b\.|due)\s.*$")
DEATH_CAPTION = re.compile(r"^\s*d\.\s.*$")


def _scrub_svg(svg: str, r: Callable[[object], str]) -> str:
    """Every text node of a drawing through the redactor; birth dates out, a death said without its date."""

    def one(match: re.Match[str]) -> str:
        text = html.unescape(match.group(1))
        if DATE_CAPTION.match(text):
            text = ""
        elif DEATH_CAPTION.match(text):
            text = "died"
        return ">" + html.escape(r(text), quote=False) + "<"

    return SVG_TEXT.sub(one, svg)


SVG_ID = re.compile(r'\bid="([^"]+)"')


def _drawing_svg(svg: bytes, prefix: str) -> str:
    """SVG for inline use: no XML prolog or doctype, and ids prefixed so two drawings on one page
    never share an anchor."""
    text = svg.decode("utf-8")
    start = text.find("<svg")
    if start < 0:
        return ""
    text = text[start:]
    ids = set(SVG_ID.findall(text))
    text = SVG_ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', text)
    for name in ids:
        text = text.replace(f"url(#{name})", f"url(#{prefix}-{name})").replace(f'"#{name}"', f'"#{prefix}-{name}"')
    return text


def _case_summary(case: Case, *, anonymised: bool, redact: Callable[[object], str]) -> dict[str, Any]:
    """The front of every pack: the case summary, the legal status over time, closures and the team
    around the child (names of practitioners left out of an anonymised pack)."""
    from cases.selectors import case_closures, case_status_history, case_summary, case_team
    from cases.services import status_words

    current = case_summary(case)
    history = [
        {
            "status": status_words(row.legal_status, row.protection_category).capitalize(),
            "effective_from": row.effective_from,
            "effective_to": row.effective_to,
            "reason": redact(row.reason),
        }
        for row in case_status_history(case)
    ]
    closures = [
        {
            "closed_on": c.closed_on,
            "outcome": c.get_outcome_display(),
            "reason": redact(c.reason),
            "reopened_on": c.reopened_on,
            "reopen_reason": redact(c.reopen_reason),
        }
        for c in case_closures(case)
    ]
    team = [
        {
            "name": "[practitioner]" if anonymised else m.user.display_name,
            "agency": m.user.agency.name if m.user.agency is not None else "",
            "role": redact(m.role_in_case),
            "since": m.started_on,
        }
        for m in case_team(case)
    ]
    return {
        "case_summary": redact(current.text) if current is not None else "",
        "case_summary_revision": current.revision if current is not None else 0,
        "case_summary_at": current.recorded_at if current is not None else None,
        "case_summary_by": (
            "" if anonymised or current is None or current.recorded_by is None else current.recorded_by.display_name
        ),
        "status_history": history,
        "closures": closures,
        "team": team,
    }


def build_pack_context(pack: Pack, *, progress: Callable[[int], None] = lambda value: None) -> dict[str, Any]:
    case = pack.case
    at = pack.date_to
    anonymised = pack.is_anonymised
    # Everyone ever recorded names and redacts old entries; the people section shows those standing.
    everyone = list(case_people(case, include_entered_in_error=True))
    people = [p for p in everyone if not p.is_entered_in_error]
    involvements = list(case_agencies(case))
    family, links, households, addresses = _family(case, at)
    views = _entries(pack)
    progress(15)

    labels = role_labels([_names(p) for p in everyone], links, on=at)
    if anonymised:
        redact = Redactor.for_case(
            people=[_names(p) for p in everyone],
            labels=labels,
            practitioner_names=_practitioner_names(case, pack, [v.entry for v in views]),
            addresses=addresses,
        )
    else:
        redact = Redactor()
    r = redact.text
    names_by_id = {p.pk: p.full_name for p in everyone}

    def who_id(person_id: int) -> str:
        return labels.get(person_id, "[person]") if anonymised else names_by_id.get(person_id, "Unknown person")

    def who(person: Person) -> str:
        return who_id(person.pk)

    legal = case.get_legal_status_display() + (
        f" ({case.get_protection_category_display()})" if case.protection_category else ""
    )
    person_rows = []
    for person in people:
        household = households.get(person.pk)
        label = labels.get(person.pk, "")
        if person.is_subject:
            relationship = "Subject child"
        elif GENERIC_LABEL.match(label):
            relationship = "Not recorded"
        else:
            relationship = label
        person_rows.append(
            {
                "name": who(person),
                "known_as": "" if anonymised else person.known_as,
                "is_subject": person.is_subject,
                "sex": person.get_sex_display(),
                "relationship": relationship,
                "dob": "" if anonymised else _dob(person),
                "age": _age(person, at),
                "died": bool(person.date_of_death and person.date_of_death <= at),
                "ethnicity": person.ethnicity or "Not recorded",
                "language": person.first_language + (" (interpreter needed)" if person.interpreter_needed else ""),
                "household": r(household.label) if household else "Not recorded",
                "address": "" if anonymised or household is None else household.address,
                "legal_status": legal if person.is_subject else "",
            }
        )

    lead_name = case.lead_professional.display_name if case.lead_professional else ""
    agency_rows = [
        {
            "name": inv.agency.name,
            "kind": inv.agency.get_kind_display(),
            "is_lead": inv.agency_id == case.lead_agency_id,
            "lead_professional": ("[practitioner]" if anonymised else lead_name)
            if inv.agency_id == case.lead_agency_id
            else "",
            "involved_on": inv.involved_on,
        }
        for inv in involvements
    ]

    # Who each entry names, as ids (one query, ordered by id as the people are), named through who_id.
    linked = people_links([view.entry.pk for view in views if not view.masked])
    nobody: dict[str, list[int]] = {}
    entry_rows = []
    for view in views:
        entry = view.entry
        if view.masked:
            entry_rows.append(
                {
                    "date": view.date_display,
                    "occurred_on": entry.occurred_on,
                    "agency": entry.agency.name,
                    "restricted": True,
                }
            )
            continue
        roles = linked.get(entry.pk, nobody)
        injury = ""
        if entry.has_injury:
            injury = ", ".join(x for x in (entry.injury_type, entry.injury_body_site) if x)
            if entry.injury_explanation:
                injury += f". Explanation given: {entry.injury_explanation}"
            if entry.injury_explanation_consistent is not None:
                injury += " (consistent)" if entry.injury_explanation_consistent else " (not consistent)"
        entry_rows.append(
            {
                "date": view.date_display + (f" {entry.occurred_time:%H:%M}" if entry.occurred_time else ""),
                "occurred_on": entry.occurred_on,  # which chunk of the chronology it is in
                "agency": entry.agency.name,
                "restricted": False,
                "kind": entry.get_kind_display(),
                "summary": r(entry.summary),
                "detail": r(entry.detail),
                "child_voice": r(entry.child_voice),
                "injury": r(injury),
                "action": r(entry.action),
                "outcome": r(entry.outcome),
                "subjects": [who_id(i) for i in roles.get("subjects", ())],
                "seen": [who_id(i) for i in roles.get("seen", ())],
                "seen_alone": [who_id(i) for i in roles.get("seen_alone", ())],
                "significance": entry.get_significance_display(),
                "significance_code": entry.significance,
                "amended": entry.amended,
                "recorded_by": "" if anonymised else entry.recorded_by.display_name,
            }
        )
    progress(25)

    flag_rows = _flag_rows(pack, who_id, r, anonymised)
    progress(35)

    drawn = _anonymised_family(family, labels, r) if anonymised else family
    drawing_problem = ""
    try:
        # names at 7 pt or more: a big family is split over pages, the legend printed once
        printed = genogram_print(drawn, at)
        genogram_pages = [_drawing_svg(part.encode(), f"genogram{i}") for i, part in enumerate(printed.pages)]
        genogram_legend = _drawing_svg(printed.legend.encode(), "genogram-legend") if printed.legend else ""
        genogram_svg = genogram_pages[0] if genogram_pages else ""
        ecomap_svg = _drawing_svg(render_ecomap(drawn, at, "svg"), "ecomap")
    except (RenderError, OSError) as exc:
        # A pack without its drawings is still worth handing out; it says why they are missing.
        genogram_svg = ecomap_svg = genogram_legend = ""
        genogram_pages = []
        from reporting.packs.services import public_error

        drawing_problem = public_error(f"The genogram and ecomap could not be drawn for this pack ({exc}).")
    if anonymised:
        genogram_svg, ecomap_svg = _scrub_svg(genogram_svg, r), _scrub_svg(ecomap_svg, r)
        genogram_pages = [_scrub_svg(part, r) for part in genogram_pages]
    progress(45)

    generated_at = timezone.localtime(timezone.now())
    generator = pack.generated_by
    if anonymised:
        agency_name = generator.agency.name if generator.agency else "administrator"
        generated_by = f"{generator.get_role_display()}, {agency_name}"
        running_title = f"Practice review pack R-{pack.pk}"
        case_title = "Anonymised case"
        reference = f"R-{pack.pk}"
    else:
        generated_by = generator.display_name
        running_title = f"{case.reference} {MEETING_TITLES[pack.kind]}"
        case_title = case.title
        reference = case.reference

    summary = _case_summary(case, anonymised=anonymised, redact=r)
    return {
        **summary,
        "pack": pack,
        "anonymised": anonymised,
        "meeting_title": MEETING_TITLES[pack.kind],
        "reference": reference,
        "case_title": case_title,
        "legal_status": legal,
        "lead_agency": case.lead_agency.name,
        "lead_professional": "[practitioner]" if anonymised else (lead_name or "Not recorded"),
        "generated_by": generated_by,
        "generated_at": generated_at,
        "running_title": running_title,
        "period_from": pack.date_from,
        "period_to": pack.date_to,
        "min_significance": SIGNIFICANCE_WORDS[pack.min_significance],
        "agency_filter": [a.name for a in pack.agencies.all()],
        "people": person_rows,
        "agencies": agency_rows,
        "entries": entry_rows,
        "flags": flag_rows,
        # A review pack's first section: the review analysis, people by role (review_section.py).
        "review_analysis": review_section(pack, who_id, r),
        "flags_to_review": sum(1 for f in flag_rows if f["needs_review"]),
        "genogram_svg": genogram_svg,
        "genogram_pages": genogram_pages,
        "genogram_legend": genogram_legend,
        "ecomap_svg": ecomap_svg,
        "drawing_problem": r(drawing_problem),
        "decisions_table": pack.kind in (PackKind.CORE_GROUP, PackKind.CONFERENCE),
        # The last meeting of the pack's kind, its decisions and the actions since (meetings/packs.py).
        **({} if anonymised else pack_meeting_context(case, pack.kind, at)),
        "decision_rows": range(DECISION_ROWS),
        "provenance": {
            "rule_versions": {f["rule"]: f["rule_version"] for f in flag_rows},
            "flag_ids": [f["id"] for f in flag_rows],
            "entry_count": len(entry_rows),
            # The role labels stay with the case; they are never printed with the names they replace.
            "role_labels": {str(pid): label for pid, label in labels.items()} if anonymised else {},
        },
    }
