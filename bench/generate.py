"""A large, entirely synthetic case for the benchmarks: 15 years, 10,000 entries, 12 agencies.

Every name, address and event is invented. The case is built through the services (case_create,
person_create, relationship_create, household_member_add, entry_create, entry_amend,
entry_retract), so it holds exactly what the product would hold.

Entries have two paths:

- `via="services"` calls entry_create for every entry (about 12 queries each, with a pending
  audit row): faithful and slow, roughly a few minutes for 10,000 rows on two cores.
- `via="bulk"` (the default) writes exactly what entry_create writes, in batches: the entry
  with its current-revision fields and untimed `sequence` numbered as the service numbers them,
  its people links (anyone seen alone is also seen), revision 1 with the people as sorted id
  lists, and one pending `entry.created` audit row with the same detail, chained at the end
  by the audit sealer. The data is valid by construction (subjects born by the entry date, injury
  details on injuries, an action on high-significance entries), so the per-entry validation
  queries are skipped. tests/perf/test_generator.py checks that a bulk-written entry matches a
  service-written one field for field. Amendments and retractions always go through the services.

A 200-person family for the genogram benchmark is built separately by `generate_family`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from accounts.services import user_create
from agencies.models import Agency, AgencyKind
from agencies.services import agency_create
from audit.models import AuditEvent
from audit.sealer import audit_seal
from bench.meetings import add_meetings
from bench.wave2 import WAVE2_ENTRIES, wave2_specs
from cases import services as case_services
from cases.models import Case, LegalStatus, Person
from chronology.models import CONTENT_FIELDS, PRE_BIRTH_KINDS, ChronologyEntry, EntryKind, EntryRevision
from chronology.services import UNTIMED_SEQUENCE_START, entry_amend, entry_create, entry_retract
from genogram import services as family_services

BENCH_PASSWORD = "Bench-chronology-2026"  # noqa: S105 - synthetic benchmark logins only
END = dt.date(2026, 6, 30)
YEARS = 15

# key: (name, kind, weight of its share of the entries, kinds it records with their weights)
AGENCIES: dict[str, tuple[str, str, int, dict[str, int]]] = {
    "csc": (
        "Eastmere Children's Social Care",
        AgencyKind.CHILDRENS_SOCIAL_CARE,
        16,
        {
            "home_visit": 30,
            "child_seen": 20,
            "home_visit_no_access": 6,
            "strategy_discussion": 4,
            "cp_conference": 3,
            "core_group": 6,
            "referral_outcome": 4,
            "note": 10,
            "stepped_up": 1,
            "stepped_down": 1,
            "case_opened": 1,
            "case_closed": 1,
        },
    ),
    "police": (
        "Eastmere Police",
        AgencyKind.POLICE,
        7,
        {"police_contact": 10, "domestic_abuse_incident": 6, "missing_episode": 2, "referral_made": 2},
    ),
    "hv": (
        "Eastmere Health Visiting",
        AgencyKind.HEALTH_VISITING,
        14,
        {"home_visit": 12, "appointment_attended": 10, "appointment_missed": 5, "safer_sleep": 2, "note": 3},
    ),
    "midwifery": (
        "Eastmere Maternity Service",
        AgencyKind.MIDWIFERY,
        4,
        {"pregnancy": 3, "appointment_attended": 6, "appointment_missed": 3, "birth": 1},
    ),
    "gp": (
        "Fenwick Street Surgery",
        AgencyKind.GP,
        9,
        {"appointment_attended": 10, "appointment_missed": 5, "appointment_cancelled": 2, "parental_mental_health": 2},
    ),
    "hospital": (
        "Eastmere General Hospital",
        AgencyKind.HOSPITAL,
        6,
        {"hospital_attendance": 8, "injury": 2, "self_harm": 1, "referral_made": 1},
    ),
    "school": (
        "Millbrook Primary School",
        AgencyKind.SCHOOL,
        15,
        {"school_absence": 14, "child_seen": 6, "note": 6, "school_exclusion": 1, "disclosure": 1},
    ),
    "early_years": (
        "Bluebell Day Nursery",
        AgencyKind.EARLY_YEARS,
        6,
        {"note": 6, "child_seen": 4, "injury": 1, "appointment_missed": 2},
    ),
    "amh": (
        "Eastmere Adult Mental Health",
        AgencyKind.ADULT_MENTAL_HEALTH,
        6,
        {"parental_mental_health": 6, "appointment_missed": 3, "appointment_attended": 4},
    ),
    "substance": (
        "Eastmere Recovery Service",
        AgencyKind.SUBSTANCE_MISUSE,
        6,
        {"parental_substance_misuse": 6, "appointment_attended": 4, "appointment_missed": 3},
    ),
    "housing": (
        "Eastmere Housing",
        AgencyKind.HOUSING,
        5,
        {"housing": 6, "household_change": 2, "home_visit_no_access": 2},
    ),
    "probation": (
        "Eastmere Probation",
        AgencyKind.PROBATION,
        6,
        {"note": 4, "home_visit": 3, "police_contact": 1, "appointment_missed": 2},
    ),
}

GIVEN_F = ["Ariella", "Brynne", "Calla", "Delphine", "Elowen", "Fenna", "Greer", "Hollis", "Isolde", "Jessamy"]
GIVEN_M = ["Alder", "Bram", "Corin", "Dashiell", "Evander", "Finnick", "Gideon", "Hale", "Ivo", "Jory"]
FAMILY = ["Quillon", "Marrowby", "Tessaly", "Vantrell", "Ormsley", "Pelbrook", "Wyndle", "Corvath"]

OPENINGS = [
    "Visit completed as planned and the family were spoken with together in the front room.",
    "Information received by telephone from a colleague in another service this morning.",
    "The practitioner recorded the contact on the same day it took place.",
    "Contact followed the plan agreed at the last multi-agency meeting.",
    "A short contact took place at the family home in the late afternoon.",
]
MIDDLES = [
    "The child appeared tired and was quieter than usual during the conversation.",
    "Mother said that things had been difficult at home since the last contact.",
    "The home conditions were observed to be cluttered with little food in the kitchen.",
    "The child said they liked school but did not want to talk about home.",
    "A new adult was present in the house and gave only a first name.",
    "The parent declined to discuss the concerns raised by the school.",
    "The child was seen and spoken to alone in their bedroom for ten minutes.",
    "The baby was asleep in a moses basket and was seen by the practitioner.",
    "Concerns were shared about missed health appointments over the last two months.",
    "The family reported rent arrears and a letter about possible eviction.",
]
CLOSINGS = [
    "Next contact booked and the plan shared with the lead professional.",
    "Information shared with the social worker by secure email.",
    "No further action by this service at present; to review at the next core group.",
    "Advice given and a follow-up visit arranged within two weeks.",
    "Concerns to be raised at the next strategy discussion.",
]
ACTIONS = [
    "Shared with the lead professional the same day.",
    "Referral made to children's social care with parental knowledge.",
    "Safety plan reviewed with the parent and the child.",
    "Follow-up appointment offered and a letter sent.",
]
BODY_SITES = ["left forearm", "right cheek", "upper back", "left ear", "shin"]
INJURY_TYPES = ["bruise", "graze", "small burn", "scratch"]


def words(rng: random.Random, low: int = 20, high: int = 90) -> str:
    """Detail text of `low` to `high` words, made of plausible, invented recording sentences."""
    target = rng.randint(low, high)
    sentences = [rng.choice(OPENINGS)]
    count = len(sentences[0].split())
    while count < target:
        sentence = rng.choice(MIDDLES + CLOSINGS)
        sentences.append(sentence)
        count += len(sentence.split())
    text = " ".join(sentences).split()
    return " ".join(text[:target]).rstrip(".,;") + "."


@dataclass
class BenchCase:
    case: Case
    lead: User
    admin: User
    users: dict[str, User]
    agencies: dict[str, Agency]
    children: list[Person] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)


def _agencies_and_users(admin: User, prefix: str = "") -> tuple[dict[str, Agency], dict[str, User]]:
    agencies: dict[str, Agency] = {}
    users: dict[str, User] = {}
    for key, (name, kind, _, _) in AGENCIES.items():
        agencies[key] = agency_create(acting_user=admin, name=f"{prefix}{name}", kind=kind)
        role = Role.SOCIAL_WORKER if key == "csc" else Role.PRACTITIONER
        users[key] = user_create(
            acting_user=admin,
            username=f"{prefix.lower().replace(' ', '')}bench.{key}",
            password=BENCH_PASSWORD,
            full_name=f"{key.upper()} Practitioner",
            agency=agencies[key],
            role=role,
        )
    return agencies, users


def _admin(username: str = "bench.admin") -> User:
    existing = User.objects.filter(username=username).first()
    if existing:
        return existing
    return user_create(
        acting_user=None,
        username=username,
        password=BENCH_PASSWORD,
        full_name="Bench Administrator",
        agency=None,
        role=Role.ADMIN,
    )


def _years_before(day: dt.date, years: int) -> dt.date:
    return day.replace(year=day.year - years)


def _family(bench: BenchCase, rng: random.Random, start: dt.date, end: dt.date, people_count: int = 60) -> None:
    """Four households over the years: a mother, partners coming and going, children, relatives."""
    lead, case = bench.lead, bench.case
    span = (end - start).days
    made = 0

    def person(**fields) -> Person:
        nonlocal made
        made += 1
        p = case_services.person_create(acting_user=lead, case=case, **fields)
        bench.people.append(p)
        return p

    per_household = people_count // 4
    for h in range(4):
        family = FAMILY[h]
        household = family_services.household_create(
            acting_user=lead, case=case, label=f"{family} household", address=f"{10 + h} Orchard Row, Eastmere"
        )
        mother = person(
            given_name=GIVEN_F[h],
            family_name=family,
            sex="female",
            date_of_birth=_years_before(start, 24 + h),
            ethnicity="White British" if h % 2 else "Mixed White and Black Caribbean",
            first_language="English",
        )
        family_services.household_member_add(acting_user=lead, household=household, person=mother, from_date=start)
        grandmother = person(
            given_name=GIVEN_F[h + 5], family_name=family, sex="female", date_of_birth=_years_before(start, 50 + h)
        )
        family_services.relationship_create(
            acting_user=lead, case=case, kind="biological_parent", from_person=grandmother, to_person=mother
        )
        # Partners, one after another, each for a stretch of the fifteen years.
        partners = []
        cuts = sorted(rng.sample(range(200, span - 200), 2))
        periods = [(0, cuts[0]), (cuts[0], cuts[1]), (cuts[1], None)]
        for i, (a, b) in enumerate(periods):
            joined = start + dt.timedelta(days=a)
            left = start + dt.timedelta(days=b) if b is not None else None
            partner = person(
                given_name=GIVEN_M[(h * 3 + i) % len(GIVEN_M)],
                family_name=FAMILY[(h + i + 1) % len(FAMILY)],
                sex="male",
                date_of_birth=_years_before(start, 22 + i * 2 + h),
                ethnicity="" if i == 2 else "White British",
            )
            family_services.relationship_create(
                acting_user=lead,
                case=case,
                kind="partner",
                from_person=mother,
                to_person=partner,
                start_date=joined,
                end_date=left,
            )
            family_services.household_member_add(
                acting_user=lead, household=household, person=partner, from_date=joined, to_date=left
            )
            partners.append((partner, joined, left))
        # Children: two born before the case starts, the rest spread over the years; one lodger.
        remaining = per_household - 6
        births = sorted(
            [start - dt.timedelta(days=rng.randint(400, 2500)) for _ in range(2)]
            + [start + dt.timedelta(days=rng.randint(30, span - 60)) for _ in range(max(remaining - 2, 0))]
        )
        for n, born in enumerate(births):
            father = next((p for p, a, b in partners if a <= born and (b is None or born < b)), partners[0][0])
            child = person(
                given_name=(GIVEN_F if n % 2 else GIVEN_M)[(n + h) % 10],
                family_name=family,
                sex="female" if n % 2 else "male",
                date_of_birth=born,
                is_subject=True,
                ethnicity="Mixed White and Black Caribbean" if h % 2 == 0 else "White British",
            )
            bench.children.append(child)
            for parent in (mother, father):
                family_services.relationship_create(
                    acting_user=lead, case=case, kind="biological_parent", from_person=parent, to_person=child
                )
            family_services.household_member_add(
                acting_user=lead, household=household, person=child, from_date=max(born, start)
            )
        lodger = person(
            given_name=GIVEN_M[(h + 7) % 10],
            family_name=FAMILY[(h + 4) % len(FAMILY)],
            known_as="lodger",
            sex="male",
            date_of_birth=_years_before(start, 30),
        )
        joined = start + dt.timedelta(days=rng.randint(100, span - 400))
        family_services.household_member_add(
            acting_user=lead,
            household=household,
            person=lodger,
            from_date=joined,
            to_date=joined + dt.timedelta(days=365),
        )


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def entry_specs(bench: BenchCase, rng: random.Random, count: int, start: dt.date, end: dt.date) -> list[dict]:
    """The entries as entry_create keyword arguments, oldest first, valid by construction."""
    span = (end - start).days
    agency_keys = list(AGENCIES)
    agency_weights = [AGENCIES[k][2] for k in agency_keys]
    specs = []
    refs: dict[str, int] = defaultdict(int)
    for _ in range(count):
        key = rng.choices(agency_keys, weights=agency_weights)[0]
        kind = _pick(rng, AGENCIES[key][3])
        on = start + dt.timedelta(days=rng.randint(0, span))
        born = [c for c in bench.children if c.date_of_birth <= on]
        if not born:
            born = bench.children[:1]
            on = max(on, born[0].date_of_birth)
        near = [c for c in bench.children if abs((c.date_of_birth - on).days) < 270]
        if kind in PRE_BIRTH_KINDS and near:
            subjects = [rng.choice(near)]
        else:
            subjects = rng.sample(born, k=min(len(born), rng.choice((1, 1, 1, 2))))
        seen = subjects if kind in ("home_visit", "child_seen", "appointment_attended") else []
        seen_alone = subjects[:1] if kind == "child_seen" and rng.random() < 0.5 else []
        significance = rng.choices(["low", "medium", "high"], weights=[5, 4, 1])[0]
        timed = rng.random() < 0.4
        refs[key] += 1
        spec = {
            "agency_key": key,
            "agency_ref": f"{key.upper()}-{refs[key]:06d}",
            "occurred_on": on,
            "occurred_time": dt.time(rng.randint(8, 19), rng.choice((0, 15, 30, 45))) if timed else None,
            "date_precision": "day",
            "kind": kind,
            "summary": f"{EntryKind(kind).label}: {rng.choice(MIDDLES)}"[:300],
            "detail": words(rng),
            "significance": significance,
            "source": rng.choice(["observed", "observed", "self_reported", "third_party", "record"]),
            "subjects": subjects,
            "present": subjects if seen else [],
            "seen": seen,
            "seen_alone": seen_alone,
            "action": rng.choice(ACTIONS) if significance == "high" or rng.random() < 0.3 else "",
            "recorded_at": timezone.make_aware(
                dt.datetime.combine(on + dt.timedelta(days=rng.randint(0, 3)), dt.time(17, 0))
            ),
        }
        if kind == "injury":
            spec.update(
                injury_body_site=rng.choice(BODY_SITES),
                injury_type=rng.choice(INJURY_TYPES),
                injury_explanation="Parent said the child fell while playing.",
                injury_explanation_consistent=rng.choice([True, False, None]),
            )
        specs.append(spec)
    specs.sort(key=lambda s: (s["occurred_on"], s["recorded_at"]))
    return specs


def _create_via_service(bench: BenchCase, spec: dict, today: dt.date) -> ChronologyEntry:
    spec = dict(spec)
    spec.pop("wave2", None)
    key = spec.pop("agency_key")
    return entry_create(acting_user=bench.users[key], case=bench.case, agency=bench.agencies[key], today=today, **spec)


def bulk_create_entries(bench: BenchCase, specs: list[dict], batch: int = 1000) -> list[int]:
    """Write what entry_create writes (entry, people links, revision 1, audit row) in batches."""
    case = bench.case
    top: dict[dt.date, int] = dict(
        ChronologyEntry.objects.filter(case=case, sequence__gte=UNTIMED_SEQUENCE_START)
        .values_list("occurred_on", "sequence")
        .order_by("occurred_on", "sequence")
    )
    ids: list[int] = []
    for offset in range(0, len(specs), batch):
        chunk = specs[offset : offset + batch]
        with transaction.atomic():
            entries = []
            for spec in chunk:
                user = bench.users[spec["agency_key"]]
                content = {name: spec[name] for name in CONTENT_FIELDS if name in spec}
                for name, value in content.items():
                    if isinstance(value, str):
                        content[name] = value.strip()
                entry = ChronologyEntry(
                    case=case,
                    agency=bench.agencies[spec["agency_key"]],
                    recorded_by=user,
                    agency_ref=spec.get("agency_ref", "").strip(),
                    revision=1,
                    recorded_at=spec["recorded_at"],
                    **content,
                )
                if entry.occurred_time is not None:
                    entry.sequence = entry.occurred_time.hour * 60 + entry.occurred_time.minute
                else:
                    prev = top.get(entry.occurred_on)
                    entry.sequence = UNTIMED_SEQUENCE_START if prev is None else prev + 1
                    top[entry.occurred_on] = entry.sequence
                entries.append(entry)
            ChronologyEntry.objects.bulk_create(entries)
            links: dict[str, list] = defaultdict(list)
            revisions = []
            now = timezone.now()
            for entry, spec in zip(entries, chunk, strict=True):
                people = {
                    "subjects": list(dict.fromkeys(spec.get("subjects", []))),
                    "present": list(dict.fromkeys(spec.get("present", []))),
                    "seen": list(dict.fromkeys(spec.get("seen", []))),
                    "seen_alone": list(dict.fromkeys(spec.get("seen_alone", []))),
                }
                seen_ids = {p.pk for p in people["seen"]}
                people["seen"] += [p for p in people["seen_alone"] if p.pk not in seen_ids]
                for name, persons in people.items():
                    through = getattr(ChronologyEntry, name).through
                    links[name] += [through(chronologyentry_id=entry.pk, person_id=p.pk) for p in persons]
                revisions.append(
                    EntryRevision(
                        entry=entry,
                        number=1,
                        reason="",
                        retracted=False,
                        revised_by=entry.recorded_by,
                        revised_at=now,
                        **{name: getattr(entry, name) for name in CONTENT_FIELDS},
                        **{name: sorted(p.pk for p in persons) for name, persons in people.items()},
                    )
                )
            for name, rows in links.items():
                getattr(ChronologyEntry, name).through.objects.bulk_create(rows)
            EntryRevision.objects.bulk_create(revisions)
            events = []
            for entry in entries:
                user = entry.recorded_by
                event = AuditEvent(
                    actor=user,
                    actor_username=user.get_username(),
                    actor_agency=entry.agency.name,
                    action="entry.created",
                    case=case,
                    object_type=ChronologyEntry._meta.label_lower,
                    object_id=str(entry.pk),
                    detail={
                        "kind": entry.kind,
                        "occurred_on": entry.occurred_on.isoformat(),
                        "agency": entry.agency_id,
                    },
                    at=timezone.now(),
                )
                events.append(event)
            AuditEvent.objects.bulk_create(events)
        ids += [e.pk for e in entries]
    # Pending, as audit_record appends them: chained by the sealer, as in production.
    audit_seal()
    return ids


def generate_case(
    *,
    entries: int = 10_000,
    years: int = YEARS,
    end: dt.date = END,
    people: int = 60,
    seed: int = 2026,
    via: str = "bulk",
    reference: str = "BENCH-15Y",
    amend_share: float = 0.02,
    retract_share: float = 0.005,
    progress=lambda message: None,
) -> BenchCase:
    """The 15-year case: 12 agencies, 60 people in 4 households, `entries` entries."""
    rng = random.Random(seed)
    start = _years_before(end, years)
    admin = _admin()
    agencies, users = _agencies_and_users(admin, prefix="" if not Agency.objects.exists() else f"{reference} ")
    lead = users["csc"]
    case = case_services.case_create(
        acting_user=lead,
        reference=reference,
        title="Quillon, Marrowby, Tessaly and Vantrell families (synthetic)",
        lead_agency=agencies["csc"],
        legal_status=LegalStatus.CHILD_PROTECTION,
        protection_category="neglect",
        opened_on=start,
    )
    for key, agency in agencies.items():
        if key != "csc":
            case_services.case_agency_involve(acting_user=lead, case=case, agency=agency)
    bench = BenchCase(case=case, lead=lead, admin=admin, users=users, agencies=agencies)
    _family(bench, rng, start, end, people)
    progress(f"family: {len(bench.people)} people")
    # The wave-2 rules' scenes (bench/wave2.py) are part of the entries asked for, placed among the random ones.
    scenes = WAVE2_ENTRIES if entries >= 10 * WAVE2_ENTRIES else 0
    specs = entry_specs(bench, rng, entries - scenes, start, end)
    if scenes:
        specs = sorted(
            specs + wave2_specs(bench, specs, start, end), key=lambda s: (s["occurred_on"], s["recorded_at"])
        )
    if via == "services":
        created = [_create_via_service(bench, spec, end).pk for spec in specs]
    elif via == "bulk":
        created = bulk_create_entries(bench, specs)
    else:
        raise ValueError(f"via must be 'services' or 'bulk', not {via!r}")
    progress(f"entries: {len(created)} ({via})")
    progress(f"meetings: {add_meetings(bench, random.Random(seed + 1), start, end)} with their actions")
    # A realistic share of amendments and retractions, always through the services (not of the scenes).
    ordinary = [pk for pk, spec in zip(created, specs, strict=True) if not spec.get("wave2")]
    for pk in rng.sample(ordinary, int(len(created) * amend_share)):
        entry = ChronologyEntry.objects.get(pk=pk)
        entry_amend(
            acting_user=users[_agency_key(bench, entry.agency_id)],
            entry=entry,
            reason="Corrected after checking the agency's own record.",
            expected_revision=entry.revision,
            today=end,
            summary=(entry.summary + " (corrected)")[:300],
        )
    for pk in rng.sample(ordinary, int(len(created) * retract_share)):
        entry = ChronologyEntry.objects.get(pk=pk)
        if entry.retracted:
            continue
        entry_retract(
            acting_user=users[_agency_key(bench, entry.agency_id)],
            entry=entry,
            reason="Recorded on the wrong case.",
            expected_revision=entry.revision,
        )
    audit_seal()  # the audit rows the services appended pending, chained as the sealer would
    progress("amendments and retractions done")
    return bench


def _agency_key(bench: BenchCase, agency_id: int) -> str:
    return next(k for k, a in bench.agencies.items() if a.pk == agency_id)


def generate_family(*, size: int = 200, seed: int = 7, reference: str = "BENCH-GENO", end: dt.date = END) -> Case:
    """A 200-person family over six generations, for the genogram benchmark (through the services)."""
    rng = random.Random(seed)
    admin = _admin()
    agency = Agency.objects.filter(kind=AgencyKind.CHILDRENS_SOCIAL_CARE).order_by("id").first()
    if agency is None:
        agency = agency_create(acting_user=admin, name="Eastmere Children's Social Care", kind="childrens_social_care")
    case = case_services.case_create(
        acting_user=admin,
        reference=reference,
        title="A large extended family (synthetic)",
        lead_agency=agency,
        legal_status=LegalStatus.CHILD_IN_NEED,
        opened_on=end - dt.timedelta(days=400),
    )
    made: list[Person] = []

    def person(sex: str, born: dt.date, family: str) -> Person:
        names = GIVEN_F if sex == "female" else GIVEN_M
        p = case_services.person_create(
            acting_user=admin,
            case=case,
            given_name=f"{names[len(made) % 10]}",
            family_name=family,
            known_as=f"G{len(made)}",
            sex=sex,
            date_of_birth=born,
            is_subject=born > end - dt.timedelta(days=18 * 365),
            ethnicity="White British",
        )
        made.append(p)
        return p

    couples: list[tuple[Person, Person, dt.date]] = []
    for i in range(4):
        born = dt.date(1900 + i, 3, 1 + i)
        a = person("male", born, FAMILY[i])
        b = person("female", born + dt.timedelta(days=400), FAMILY[(i + 4) % 8])
        married = born + dt.timedelta(days=22 * 365)
        family_services.relationship_create(
            acting_user=admin, case=case, kind="married", from_person=a, to_person=b, start_date=married
        )
        couples.append((a, b, married))
    households = 0
    while len(made) < size and couples:
        next_couples = []
        for father, mother, married in couples:
            for n in range(rng.randint(2, 4)):
                if len(made) >= size:
                    break
                born = married + dt.timedelta(days=365 * (n + 1) + rng.randint(0, 200))
                if born > end:
                    break
                sex = "female" if rng.random() < 0.5 else "male"
                child = person(sex, born, father.family_name)
                for parent in (father, mother):
                    family_services.relationship_create(
                        acting_user=admin, case=case, kind="biological_parent", from_person=parent, to_person=child
                    )
                wed = born + dt.timedelta(days=25 * 365)
                if len(made) < size and wed < end:
                    spouse = person(
                        "male" if sex == "female" else "female",
                        born + dt.timedelta(days=rng.randint(-700, 700)),
                        FAMILY[len(made) % 8],
                    )
                    family_services.relationship_create(
                        acting_user=admin,
                        case=case,
                        kind="married",
                        from_person=child,
                        to_person=spouse,
                        start_date=wed,
                    )
                    pair = (child, spouse) if sex == "male" else (spouse, child)
                    next_couples.append((pair[0], pair[1], wed))
                    if wed > end - dt.timedelta(days=30 * 365) and households < 8:
                        households += 1
                        home = family_services.household_create(
                            acting_user=admin, case=case, label=f"Household {households}"
                        )
                        for member in pair:
                            family_services.household_member_add(
                                acting_user=admin, household=home, person=member, from_date=wed
                            )
        couples = next_couples
    return case
