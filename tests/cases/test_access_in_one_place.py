"""Access is decided in cases/permissions.py and case data is reached from a case the user can see.

Two checks on the source, so that a new endpoint or rule that goes round the policy fails the
suite instead of leaking:

- no module outside cases/permissions.py (and accounts/, which defines roles and users) reads a
  role, the administrator flag or the lead professional to decide something;
- views and API modules never query a case-scoped model directly (`Person.objects...`): they
  take the case from `cases.selectors.case_for_user` (or `CaseScopedMixin`) and read through the
  selectors, which take the case (and the user). Services, selectors and loaders are not views.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["agencies", "audit", "cases", "chronology", "core", "config", "demo", "genogram", "reporting"]

ACCESS_DECISION = re.compile(r"is_admin|has_role\(|\bRole\.|lead_professional_id|\.role\s*[!=]=|is_superuser")
# The demo loader creates its users with their roles; that is data, not a decision.
ACCESS_ALLOWED = {"cases/permissions.py", "demo/case.py"}

CASE_SCOPED = (
    "Case|CaseAgency|Person|ChronologyEntry|EntryRevision|Relationship|Household|HouseholdMember|"
    "EcomapLink|PersonGedcom|Pack|FlagReview|RuleSetting|AuditEvent"
)
DIRECT_QUERY = re.compile(rf"\b({CASE_SCOPED})\.objects\.(?!none\(\))")
# (module, line fragment) pairs allowed to query directly, each with its reason.
DIRECT_ALLOWED = {
    # The choices of a relation field, limited to the case the scoped view put in the context.
    ("genogram/api/serializers.py", "Person.objects.live().filter(case=case)"),
    ("genogram/api/serializers.py", "Household.objects.filter(case=case)"),
}


def _modules(patterns):
    for app in APPS:
        for pattern in patterns:
            for path in sorted((ROOT / app).glob(pattern)):
                if "migrations" not in path.parts:
                    yield path


def test_no_access_decision_outside_the_policy():
    found = []
    for path in _modules(["**/*.py"]):
        rel = path.relative_to(ROOT).as_posix()
        if rel in ACCESS_ALLOWED:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if ACCESS_DECISION.search(line):
                found.append(f"{rel}:{number}: {line.strip()}")
    assert not found, "access decided outside cases/permissions.py (call a function there instead):\n" + "\n".join(
        found
    )


def test_templates_ask_the_policy_not_the_role():
    found = []
    for path in sorted((ROOT / "templates").glob("**/*.html")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"user\.(is_admin|role|is_superuser)\b", line) and "{% if" in line:
                found.append(f"{path.relative_to(ROOT)}:{number}")
    assert not found, f"templates deciding access from the role (use cases.context_processors): {found}"


def test_views_and_api_modules_never_query_case_data_directly():
    found = []
    for path in _modules(["**/views*.py", "**/api/*.py"]):
        rel = path.relative_to(ROOT).as_posix()
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if DIRECT_QUERY.search(line) and not any(rel == m and frag in line for m, frag in DIRECT_ALLOWED):
                found.append(f"{rel}:{number}: {line.strip()}")
    assert not found, (
        "views and API views reach case data through cases.selectors (case_for_user, CaseScopedMixin) and "
        "the selectors that take the case and the user, never by querying a model:\n" + "\n".join(found)
    )


def test_the_checks_can_fail():
    assert ACCESS_DECISION.search("if user.is_admin or case.lead_professional_id == user.pk:")
    assert DIRECT_QUERY.search("entries = ChronologyEntry.objects.filter(case_id=case_id)")
    assert not DIRECT_QUERY.search("return AuditEvent.objects.none()")


def test_the_audit_trail_depends_on_no_case_app():
    """audit/ sits under the case apps: it stores and pages rows; which rows a user may read, and
    what of them, is decided by the policy and composed by the case apps' listings."""
    found = []
    for path in sorted((ROOT / "audit").glob("**/*.py")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.match(r"\s*(from|import) (cases|chronology|genogram|reporting|demo)\b", line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)
