"""Entries are revised, never edited in place or deleted; revisions never change."""

from __future__ import annotations

import pytest

from chronology.models import ChronologyEntry, EntryNotDeletable, EntryRevision, ImmutableRevisionError

pytestmark = pytest.mark.django_db


def test_an_entry_cannot_be_deleted(make_entry, frozen_today):
    entry = make_entry()
    with pytest.raises(EntryNotDeletable):
        entry.delete()
    with pytest.raises(EntryNotDeletable):
        ChronologyEntry.objects.filter(pk=entry.pk).delete()
    assert ChronologyEntry.objects.filter(pk=entry.pk).exists()


def test_a_revision_cannot_be_changed_or_deleted(make_entry, frozen_today):
    revision = make_entry(summary="As first recorded").revisions.get()
    revision.summary = "Rewritten"
    with pytest.raises(ImmutableRevisionError):
        revision.save()
    with pytest.raises(ImmutableRevisionError):
        EntryRevision.objects.filter(pk=revision.pk).update(summary="Rewritten")
    with pytest.raises(ImmutableRevisionError):
        revision.delete()
    with pytest.raises(ImmutableRevisionError):
        EntryRevision.objects.all().delete()
    assert EntryRevision.objects.get(pk=revision.pk).summary == "As first recorded"


def test_amend_keeps_previous_revision_content_and_people(make_entry, people, users, frozen_today):
    from chronology.services import entry_amend

    entry = make_entry(summary="Visit", seen=[people.child])
    entry_amend(
        acting_user=users.hv,
        entry=entry,
        reason="Mother was there too",
        expected_revision=1,
        seen=[people.child, people.mother],
        summary="Visit, mother present",
    )
    first, second = EntryRevision.objects.filter(entry=entry).order_by("number")
    assert (first.summary, first.seen, first.reason) == ("Visit", [people.child.pk], "")
    assert second.summary == "Visit, mother present"
    assert second.seen == sorted([people.child.pk, people.mother.pk])
    assert second.reason == "Mother was there too" and second.revised_by == users.hv
