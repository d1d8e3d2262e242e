import pytest

from agencies.models import AgencyKind
from tests.factories import AgencyFactory, CaseFactory, PersonFactory


@pytest.fixture
def other_case(db):
    """A case led by another authority's social care: no persona's agency is involved in it."""
    southshire = AgencyFactory(name="Southshire Children's Social Care", kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
    other = CaseFactory(reference="SS-0500", title="Otherfamily", lead_agency=southshire)
    PersonFactory(case=other, given_name="Quinn", family_name="Otherfamily")
    return other
