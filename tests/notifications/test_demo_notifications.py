"""After the demo loads, its personas have notifications to read: hv.morgan and sw.patel have unread
ones, and nothing in them is told to anyone outside the team around the child."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from cases.models import TeamMember
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_demo_personas_have_unread_notifications_from_the_team_only():
    call_command("load_demo")

    unread = {
        username: Notification.objects.filter(user__username=username, read_at__isnull=True).count()
        for username in ("hv.morgan", "sw.patel")
    }
    assert all(count > 0 for count in unread.values()), unread
    team = set(TeamMember.objects.values_list("user__username", flat=True))
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert told <= team
