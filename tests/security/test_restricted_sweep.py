"""A restricted entry's content reaches nobody who may not read it, through any GET of the service.

A unique marker is planted in every text of a restricted entry (summary, detail, action, outcome,
injury explanation) and in its amendment reason; then every GET URL pattern of the service is
requested, with every id it takes, as each user who may not read the entry (and as the outsider),
following every next page. The marker must never appear: not in pages, API answers, exports
(CSV, XLSX, JSON), drawings, flags, packs (the PDF text) or the audit trail.

New endpoints are swept automatically: a URL pattern with an argument this test cannot fill fails
the test until a value is given below.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from pypdf import PdfReader

from audit.services import audit_record
from chronology.services import entry_amend, entry_create
from genogram.services import household_create, household_member_add
from reporting.packs.services import pack_request
from tests.helpers_urls import paths_for, url_patterns

pytestmark = pytest.mark.django_db

MARKER = "ZQXMARKER7"
TODAY = dt.date(2026, 6, 1)

# URL patterns that are not about case data, or that would end the sweeping user's session.
SKIPPED_NAMES = {"logout", "api-logout", "api-schema", "two-factor-setup", "two-factor-verify", "login"}


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if body.startswith(b"%PDF-"):
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
    if body.startswith(b"PK") or "spreadsheetml" in kind:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    return body.decode("utf-8", "replace")


def _next_links(response, text: str) -> list[str]:
    links = []
    if "json" in response.get("Content-Type", ""):
        try:
            data = response.json()
        except ValueError:
            data = None
        if isinstance(data, dict) and isinstance(data.get("next"), str):
            links.append(data["next"])
    else:
        for anchor in re.findall(r"<a\b[^>]*>", text):
            if 'rel="next"' in anchor:
                href = re.search(r'href="([^"]+)"', anchor)
                if href:
                    links.append(href.group(1).replace("&amp;", "&"))
    return links


@pytest.fixture
def planted(case, people, users, agencies, django_capture_on_commit_callbacks, settings, tmp_path):
    """A restricted injury entry by the school, full of the marker, amended with a marked reason;
    a household, packs built by the chair and the manager, and enough audit rows for two pages."""
    settings.MEDIA_ROOT = tmp_path / "media"
    entry = entry_create(
        acting_user=users.teacher,
        case=case,
        occurred_on=dt.date(2026, 5, 2),
        kind="injury",
        summary=f"{MARKER} summary: baby safe and well",
        detail=f"{MARKER} detail of the bruise",
        action=f"{MARKER} action taken",
        outcome=f"{MARKER} outcome",
        significance="high",
        subjects=[people.baby],
        injury_body_site="cheek",
        injury_type="bruise",
        injury_explanation=f"{MARKER} explanation given",
        injury_explanation_consistent=False,
        restricted=True,
        today=TODAY,
    )
    entry = entry_amend(
        acting_user=users.teacher,
        entry=entry,
        detail=f"{MARKER} amended detail",
        reason=f"{MARKER} reason for the amendment",
        expected_revision=1,
        today=TODAY,
    )
    household = household_create(acting_user=users.sw, case=case, label="Testfamily home", address="1 Test Row")
    household_member_add(acting_user=users.sw, household=household, person=people.baby, from_date=dt.date(2025, 11, 1))
    packs = []
    for user, kind in ((users.chair, "conference"), (users.manager, "strategy"), (users.manager, "review")):
        with django_capture_on_commit_callbacks(execute=True):
            packs.append(
                pack_request(
                    acting_user=user,
                    case=case,
                    kind=kind,
                    date_from=dt.date(2026, 1, 1),
                    date_to=dt.date(2026, 6, 30),
                    min_significance="low",
                )
            )
    for _ in range(120):  # the entry's own audit rows fall to an older page of the trail
        audit_record(actor=users.sw, action="case.viewed", case=case)
    return entry, household, packs


def _values(case, people, entry, household, packs) -> dict[str, list[str]]:
    return {
        "case_id": [str(case.pk)],
        "entry_id": [str(entry.pk)],
        "person_id": [str(p.pk) for p in (people.child, people.baby, people.mother)],
        "household_id": [str(household.pk)],
        "member_id": [str(m.pk) for m in household.members.all()],
        "relationship_id": ["1"],
        "link_id": ["1"],
        "team_member_id": ["1"],
        "pack_id": [str(p.pk) for p in packs],
        "fmt": ["csv", "xlsx", "json"],
        "meeting_id": ["1"],
        "action_id": ["1"],
        "rule_id": ["nonmobile_injury", "vague_language", "repeat_injury"],
        "name": ["chronology-template.csv"],
        "notification_id": ["1"],
    }


# Query strings that change what a page shows: filters, highlights, dates, sorting.
EXTRA_QUERIES = {
    "chronology": ["?kind=injury", "?significance=high", "?highlight={entry}", "?person={baby}"],
    "api-entries": ["?kind=injury", "?person={baby}"],
    "case-flags": ["?at=2026-06-01"],
    "api-case-flags": ["?at=2026-06-01"],
    "chronology-timeline": ["?from=2026-01-01&to=2026-06-30"],
}


PAGES_PER_PATH = 10


def sweep(client, case, people, entry, household, packs) -> dict[str, int]:
    values = _values(case, people, entry, household, packs)
    seen: dict[str, int] = {}
    leaks: list[str] = []
    for route, pattern in url_patterns():
        if pattern.name in SKIPPED_NAMES:
            continue
        for path in paths_for(route, values):
            queue = [path] + [
                path + q.format(entry=entry.pk, baby=people.baby.pk) for q in EXTRA_QUERIES.get(pattern.name, [])
            ]
            followed = 0  # each path follows at most PAGES_PER_PATH of its page links
            while queue and followed <= PAGES_PER_PATH:
                url = queue.pop(0)
                if url in seen:
                    continue
                followed += 1
                response = client.get(url)
                seen[url] = response.status_code
                assert response.status_code < 500, f"{url} answered {response.status_code}"
                text = _text(response)
                if MARKER in text:
                    leaks.append(url)
                for link in _next_links(response, text):
                    queue.append(link if link.startswith(("/", "http")) else url.split("?")[0] + link)
    assert not leaks, f"the restricted entry's content reached a user who may not read it at: {leaks}"
    return seen


@pytest.mark.parametrize("persona", ["hv", "manager", "chair"])
def test_restricted_content_reaches_no_involved_user_who_may_not_read_it(
    persona, case, people, users, planted, api_as, web_as
):
    entry, household, packs = planted
    user = getattr(users, persona)

    api_seen = sweep(api_as(user), case, people, entry, household, packs)
    page_seen = sweep(web_as(user), case, people, entry, household, packs)

    # The sweep really read the case: the entries list, the audit trail (for the manager, over
    # more than one page) and the packs answered.
    assert api_seen[f"/api/v1/cases/{case.pk}/entries/"] == 200
    assert page_seen[f"/cases/{case.pk}/chronology/"] == 200
    if persona == "manager":
        audit_pages = [url for url in page_seen if url.startswith(f"/cases/{case.pk}/audit/")]
        assert len(audit_pages) >= 2
        assert api_seen[f"/api/v1/cases/{case.pk}/audit/"] == 200


def test_restricted_content_reaches_no_outsider(case, people, users, planted, api_as, web_as):
    entry, household, packs = planted

    sweep(api_as(users.outsider), case, people, entry, household, packs)
    sweep(web_as(users.outsider), case, people, entry, household, packs)


def test_the_sweep_finds_the_marker_for_a_user_who_may_read_it(case, people, users, planted, api_as):
    """The recording agency reads the entry in full, so the marker is there to be found: the sweep
    could fail."""
    entry, household, packs = planted

    with pytest.raises(AssertionError, match="reached a user who may not read it"):
        sweep(api_as(users.teacher), case, people, entry, household, packs)


def test_audit_rows_of_a_restricted_entry_say_only_what_when_and_which_agency(case, users, planted, api_as):
    entry, _, _ = planted
    client = api_as(users.manager)

    rows, url = [], f"/api/v1/cases/{case.pk}/audit/"
    while url:
        page = client.get(url).json()
        rows += page["results"]
        url = page["next"]

    about_entry = [r for r in rows if r["object_id"] == str(entry.pk) and r["object_type"].endswith("entry")]
    assert {r["action"] for r in about_entry} == {"entry.created", "entry.amended"}
    for row in about_entry:
        assert row["detail"] == {"restricted": True, "agency": "Riverside Primary School"}
        assert row["actor_agency"] == "Riverside Primary School"
        assert row["at"]


def test_audit_rows_of_a_restricted_entry_keep_their_content_for_the_lead(case, users, planted, api_as):
    entry, _, _ = planted
    lead_manager = users.manager
    case.lead_professional = lead_manager
    case.save(update_fields=["lead_professional"])

    rows, url = [], f"/api/v1/cases/{case.pk}/audit/"
    while url:
        page = api_as(lead_manager).get(url).json()
        rows += page["results"]
        url = page["next"]

    created = next(r for r in rows if r["action"] == "entry.created" and r["object_id"] == str(entry.pk))
    amended = next(r for r in rows if r["action"] == "entry.amended" and r["object_id"] == str(entry.pk))
    assert created["detail"]["kind"] == "injury"
    assert amended["detail"]["reason"] == f"{MARKER} reason for the amendment"
