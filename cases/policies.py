"""The state of a case that every write on its content obeys: a closed case is read-only until
it is reopened. Called by the services that add or change people, entries and the family."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from cases.models import Case, CaseStatus


def case_is_closed(case: Case | int) -> bool:
    """Read from the database, not the caller's copy: another request may have closed it."""
    pk = case if isinstance(case, int) else case.pk
    return bool(Case.objects.filter(pk=pk, status=CaseStatus.CLOSED).exists())


def closed_case_message(what: str) -> str:
    return f"This case is closed, so {what} cannot be added or changed. Reopen the case first."


def refuse_if_closed(case: Case | int, what: str) -> None:
    """A ValidationError (400 in the API, an error summary on pages) when the case is closed."""
    if case_is_closed(case):
        raise ValidationError(closed_case_message(what), code="case_closed")
