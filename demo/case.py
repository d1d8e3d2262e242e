"""A realistic, entirely synthetic demo: agencies, users for each role, and one family's case.

Every name, address and event here is invented. Dates are relative to `today` so the patterns the
demo shows stay current whenever it is loaded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from accounts.models import Role, User
from accounts.services import user_create
from agencies.models import Agency, AgencyKind
from agencies.services import agency_create
from cases import services
from cases.models import Case, LegalStatus, Person

DEMO_PASSWORD = "Demo-chronology-2026"  # noqa: S105 - printed for the demo, never used in production

AGENCIES = {
    "csc": ("Northshire Children's Social Care", AgencyKind.CHILDRENS_SOCIAL_CARE),
    "police": ("Northshire Police", AgencyKind.POLICE),
    "hv": ("Northshire Health Visiting", AgencyKind.HEALTH_VISITING),
    "midwifery": ("Northshire Maternity Service", AgencyKind.MIDWIFERY),
    "gp": ("Larch Road Surgery", AgencyKind.GP),
    "hospital": ("Northshire General Hospital", AgencyKind.HOSPITAL),
    "school": ("Riverside Primary School", AgencyKind.SCHOOL),
    "early_years": ("Little Acorns Nursery", AgencyKind.EARLY_YEARS),
    "amh": ("Northshire Adult Mental Health", AgencyKind.ADULT_MENTAL_HEALTH),
    "substance": ("Northshire Recovery Service", AgencyKind.SUBSTANCE_MISUSE),
    "housing": ("Northshire Housing", AgencyKind.HOUSING),
    "probation": ("Northshire Probation", AgencyKind.PROBATION),
    "da_service": ("Safe Harbour Domestic Abuse Service", AgencyKind.DOMESTIC_ABUSE_SERVICE),
    "elsewhere": ("Southvale Children's Services", AgencyKind.CHILDRENS_SOCIAL_CARE),
}

# username: (full name, agency key, role)
USERS = {
    "sw.patel": ("Priya Patel", "csc", Role.SOCIAL_WORKER),
    "mgr.okafor": ("Grace Okafor", "csc", Role.MANAGER),
    "chair.lindqvist": ("Erik Lindqvist", "csc", Role.CHAIR),
    "hv.morgan": ("Bethan Morgan", "hv", Role.PRACTITIONER),
    "mw.quinn": ("Siobhan Quinn", "midwifery", Role.PRACTITIONER),
    "gp.adeyemi": ("Dr Tunde Adeyemi", "gp", Role.PRACTITIONER),
    "ed.harris": ("Jo Harris", "hospital", Role.PRACTITIONER),
    "dsl.brooks": ("Martin Brooks", "school", Role.PRACTITIONER),
    "ey.santos": ("Ana Santos", "early_years", Role.PRACTITIONER),
    "pc.wright": ("PC Liam Wright", "police", Role.PRACTITIONER),
    "amh.novak": ("Petra Novak", "amh", Role.PRACTITIONER),
    "rec.ellis": ("Sam Ellis", "substance", Role.PRACTITIONER),
    "housing.reid": ("Fiona Reid", "housing", Role.PRACTITIONER),
    "pro.begum": ("Nasreen Begum", "probation", Role.PRACTITIONER),
    "da.lowe": ("Hannah Lowe", "da_service", Role.PRACTITIONER),
    "other.sw": ("Owen Price", "elsewhere", Role.SOCIAL_WORKER),
    "demo.admin": ("Demo Administrator", "", Role.ADMIN),
}

# Agencies involved in the demo case. "elsewhere" is not: its users get 404.
INVOLVED = [
    "police",
    "hv",
    "midwifery",
    "gp",
    "hospital",
    "school",
    "early_years",
    "amh",
    "substance",
    "housing",
    "probation",
    "da_service",
]


@dataclass
class DemoContext:
    today: dt.date
    agencies: dict[str, Agency] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    case: Case | None = None
    people: dict[str, Person] = field(default_factory=dict)

    @property
    def lead(self) -> User:
        return self.users["sw.patel"]

    def days_ago(self, days: int) -> dt.date:
        return self.today - dt.timedelta(days=days)

    def years_ago(self, years: int, days: int = 0) -> dt.date:
        day = min(self.today.day, 28) if self.today.month == 2 else self.today.day
        return self.today.replace(year=self.today.year - years, day=day) - dt.timedelta(days=days)


def _people(ctx: DemoContext) -> dict[str, dict]:
    """The Marlow family: two households, a new partner, grandparents, a half-sister."""
    return {
        "mother": dict(
            given_name="Leanne",
            family_name="Marlow",
            sex="female",
            date_of_birth=ctx.years_ago(29, 40),
            ethnicity="White British",
            first_language="English",
        ),
        "father": dict(
            given_name="Dean",
            family_name="Marlow",
            sex="male",
            date_of_birth=ctx.years_ago(33, 100),
            ethnicity="White British",
            first_language="English",
        ),
        "tia": dict(
            given_name="Tia",
            family_name="Marlow",
            sex="female",
            date_of_birth=ctx.years_ago(9, 75),
            ethnicity="White British",
            first_language="English",
            is_subject=True,
        ),
        "ollie": dict(
            given_name="Ollie",
            family_name="Marlow",
            known_as="Olly",
            sex="male",
            date_of_birth=ctx.years_ago(4, 200),
            ethnicity="White British",
            first_language="English",
            is_subject=True,
        ),
        "baby": dict(
            given_name="Rowan",
            family_name="Marlow",
            sex="male",
            date_of_birth=ctx.days_ago(128),
            ethnicity="",
            first_language="English",
            is_subject=True,
            independently_mobile=False,
        ),
        "partner": dict(
            given_name="Craig",
            family_name="Ellery",
            known_as="Craig Ellis",
            sex="male",
            date_of_birth=ctx.years_ago(35, 10),
            ethnicity="",
        ),
        "maternal_grandmother": dict(
            given_name="Pauline",
            family_name="Stott",
            sex="female",
            date_of_birth=ctx.years_ago(56, 30),
            ethnicity="White British",
        ),
        "maternal_grandfather": dict(
            given_name="Keith",
            family_name="Stott",
            sex="male",
            date_of_birth=ctx.years_ago(58, 90),
            date_of_death=ctx.years_ago(2, 45),
            ethnicity="White British",
        ),
        "paternal_grandmother": dict(
            given_name="Brenda",
            family_name="Marlow",
            sex="female",
            date_of_birth=ctx.years_ago(61, 12),
            ethnicity="White British",
        ),
        "half_sister": dict(
            given_name="Kacey",
            family_name="Dunmore",
            sex="female",
            date_of_birth=ctx.years_ago(12, 20),
            ethnicity="White British",
        ),
        "half_sister_mother": dict(
            given_name="Shona",
            family_name="Dunmore",
            sex="female",
            date_of_birth=ctx.years_ago(34, 150),
            ethnicity="Mixed White and Black Caribbean",
        ),
    }


@transaction.atomic
def build_demo(*, today: dt.date) -> DemoContext:
    """Agencies, users and the Marlow case with its people. Later steps add the rest."""
    ctx = DemoContext(today=today)
    for key, (name, kind) in AGENCIES.items():
        ctx.agencies[key] = agency_create(acting_user=None, name=name, kind=kind, area="Northshire")
    for username, (full_name, agency_key, role) in USERS.items():
        ctx.users[username] = user_create(
            acting_user=None,
            username=username,
            password=DEMO_PASSWORD,
            full_name=full_name,
            agency=ctx.agencies.get(agency_key),
            role=role,
        )
    ctx.users["demo.admin"].is_superuser = True
    ctx.users["demo.admin"].is_staff = True
    ctx.users["demo.admin"].save(update_fields=["is_superuser", "is_staff"])

    ctx.case = services.case_create(
        acting_user=ctx.lead,
        reference="NS-2026-0417",
        title="Marlow family",
        lead_agency=ctx.agencies["csc"],
        # A child in need plan when it opened; demo/lifecycle.py takes it to the plan it is on today.
        legal_status=LegalStatus.CHILD_IN_NEED,
        opened_on=ctx.years_ago(6, 30),
    )
    for key in INVOLVED:
        services.case_agency_involve(acting_user=ctx.lead, case=ctx.case, agency=ctx.agencies[key])
    for key, fields in _people(ctx).items():
        ctx.people[key] = services.person_create(acting_user=ctx.lead, case=ctx.case, **fields)
    return ctx
