"""The timeline shows the legal status over time and closed periods as bands behind the lanes."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from cases.services import case_close, case_reopen, case_status_change

pytestmark = pytest.mark.django_db


@freeze_time("2026-06-30")
def test_timeline_draws_a_band_for_each_status_and_closure_in_the_window(case, people, users, web_as):
    case_status_change(
        acting_user=users.sw,
        case=case,
        legal_status="child_protection",
        protection_category="neglect",
        effective_from=dt.date(2026, 3, 2),
        reason="Initial conference",
    )
    case_close(acting_user=users.sw, case=case, closed_on=dt.date(2026, 5, 1), outcome="other", reason="Closed")
    case_reopen(acting_user=users.sw, case=case, reopened_on=dt.date(2026, 5, 20), reason="Re-referral")
    html = (
        web_as(users.hv)
        .get(f"/cases/{case.pk}/chronology/timeline/?date_from=2026-01-01&date_to=2026-06-30")
        .content.decode()
    )
    assert "app-timeline-band--child-in-need" in html
    assert "<title>Child in need from 10 January 2024 until 2 March 2026</title>" in html
    assert "<title>Child protection plan (neglect) from 2 March 2026</title>" in html
    assert "<title>Case closed from 1 May 2026 until 20 May 2026 (other)</title>" in html


@freeze_time("2026-06-30")
def test_timeline_key_names_each_band_in_words(case, people, users, web_as):
    case_status_change(
        acting_user=users.sw,
        case=case,
        legal_status="child_protection",
        protection_category="neglect",
        effective_from=dt.date(2026, 3, 2),
        reason="Initial conference",
    )
    html = (
        web_as(users.hv)
        .get(f"/cases/{case.pk}/chronology/timeline/?date_from=2026-01-01&date_to=2026-06-30")
        .content.decode()
    )
    key = html.split('id="timeline-bands"', 1)[1].split("</ul>", 1)[0]
    assert "Child in need from 10 January 2024 until 2 March 2026</li>" in key
    assert "Child protection plan (neglect) from 2 March 2026</li>" in key
    assert 'class="app-timeline-band app-timeline-band--child-protection"' in key


@freeze_time("2026-06-30")
def test_timeline_leaves_out_bands_outside_the_window(case, people, users, web_as):
    case_status_change(
        acting_user=users.sw,
        case=case,
        legal_status="early_help",
        effective_from=dt.date(2026, 3, 2),
        reason="Stepped down",
    )
    html = (
        web_as(users.hv)
        .get(f"/cases/{case.pk}/chronology/timeline/?date_from=2026-04-01&date_to=2026-06-30")
        .content.decode()
    )
    assert "app-timeline-band--early-help" in html
    assert "app-timeline-band--child-in-need" not in html
