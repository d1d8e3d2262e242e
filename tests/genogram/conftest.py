import datetime as dt
from types import SimpleNamespace

import pytest

from tests.factories import PersonFactory


@pytest.fixture
def family(case, people):
    """The shared personas' people plus a father, a new partner and a maternal grandmother."""
    return SimpleNamespace(
        child=people.child,
        baby=people.baby,
        mother=people.mother,
        father=PersonFactory(case=case, given_name="Jordan", sex="male", date_of_birth=dt.date(1990, 5, 5)),
        partner=PersonFactory(case=case, given_name="Casey", sex="male", date_of_birth=dt.date(1992, 8, 8)),
        nan=PersonFactory(case=case, given_name="Pat", sex="female", date_of_birth=dt.date(1965, 1, 1)),
    )
