"""factory_boy factories for test data. Every name here is synthetic."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import factory

from accounts.models import Role, User
from agencies.models import Agency, AgencyKind
from cases.models import Case, CaseAgency, LegalStatus, LegalStatusChange, Person, TeamMember

PASSWORD = "Synthetic-pass-4821"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = AgencyKind.OTHER
    area = "Northshire"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.LazyAttribute(lambda u: u.username.replace("_", " ").title())
    agency = factory.SubFactory(AgencyFactory)
    role = Role.PRACTITIONER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"CASE-{n:04d}")
    title = factory.Sequence(lambda n: f"Family {n}")
    lead_agency = factory.SubFactory(AgencyFactory, kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
    legal_status = LegalStatus.CHILD_IN_NEED
    opened_on = dt.date(2024, 1, 10)

    @factory.post_generation
    def involve(obj, create, extracted, **kwargs):  # noqa: N805
        """Involve the lead agency, plus any agencies passed as involve=[...]."""
        if not create:
            return
        CaseAgency.objects.get_or_create(case=obj, agency=obj.lead_agency)
        for agency in extracted or []:
            CaseAgency.objects.get_or_create(case=obj, agency=agency)
        # As case_create does: the first row of the legal-status history and the lead in the team.
        LegalStatusChange.objects.get_or_create(
            case=obj,
            effective_from=obj.opened_on,
            defaults={"legal_status": obj.legal_status, "protection_category": obj.protection_category},
        )
        if obj.lead_professional is not None:
            TeamMember.objects.get_or_create(
                case=obj,
                user=obj.lead_professional,
                defaults={"role_in_case": "Lead professional", "started_on": obj.opened_on},
            )


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    case = factory.SubFactory(CaseFactory)
    given_name = factory.Sequence(lambda n: f"Sam{n}")
    family_name = "Testfamily"
    sex = "unknown"
    date_of_birth = dt.date(2020, 3, 1)
    ethnicity = "White British"


# GEDCOM files written by other software, kept beside the repository in shared/fixtures/gedcom.
GEDCOM_FIXTURES = Path(__file__).resolve().parent.parent.parent / "shared" / "fixtures" / "gedcom"
