"""The demo chronology: hundreds of entries from many agencies that show the patterns the flags detect."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from audit.models import AuditEvent
from chronology.models import ChronologyEntry, EntryRevision
from demo.case import build_demo
from demo.chronology import add_chronology
from demo.family import add_family_structure
from reporting.flags.engine import evaluate
from reporting.flags.loader import load_snapshot

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def demo():
    with freeze_time("2026-06-01 09:00:00"):
        ctx = build_demo(today=TODAY)
        add_family_structure(ctx)
        count = add_chronology(ctx)
    return ctx, count


def test_demo_chronology_has_hundreds_of_entries_from_many_agencies(demo):
    ctx, count = demo
    entries = ChronologyEntry.objects.filter(case=ctx.case)
    assert entries.count() == count
    assert count >= 200
    assert entries.values("agency").distinct().count() >= 8
    first = entries.order_by("occurred_on").first().occurred_on
    assert (TODAY - first).days > 5 * 365
    # Written through the service: every entry has its first revision and an audit row.
    assert EntryRevision.objects.filter(entry__case=ctx.case, number=1).count() == count
    assert AuditEvent.objects.filter(action="entry.created", case=ctx.case).count() == count
    assert entries.filter(amended=True).exists() and entries.filter(retracted=True).exists()
    assert entries.filter(restricted=True).exists()
    assert entries.filter(date_precision="month").exists() and entries.filter(date_precision="year").exists()


def test_demo_chronology_shows_the_patterns_of_the_flags(demo):
    ctx, _ = demo
    fired = {flag.rule for flag in evaluate(load_snapshot(ctx.case, TODAY), at=TODAY)}
    for rule in [
        "nonmobile_injury",
        "repeat_injury",
        "was_not_brought",
        "no_access_visits",
        "unseen_adult",
        "child_not_seen_alone",
        "toxic_trio",
        "escalating_domestic_abuse",
        "referral_no_outcome",
        "vague_language",
        "unsafe_sleep",
        "new_adult_in_household",
        "missing_ethnicity",
    ]:
        assert rule in fired, rule
