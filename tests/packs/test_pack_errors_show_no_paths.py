"""A failure message shown for a pack (on the pack, in the API, on the Packs tab, in the audit
trail and printed in the pack) never shows a server path."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from reporting.packs.services import public_error
from tests.packs.conftest import pack_text, squash

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("The pack store /srv/app/media/packs/3 cannot be written to", "The pack store [path] cannot be written to"),
        ("[Errno 2] No such file or directory: '/usr/local/bin/dot'", "[Errno 2] No such file or directory: [path]"),
        ("refused file:///etc/passwd", "refused [path]"),
        (r"C:\srv\media\pack-1.pdf is locked", "[path] is locked"),
        ("Seen on 1/2/2026 and/or later", "Seen on 1/2/2026 and/or later"),
    ],
)
def test_public_error_removes_server_paths_and_keeps_the_rest(raw, shown):
    assert public_error(raw) == shown


@pytest.fixture
def store_blocked(settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("in the way")
    settings.MEDIA_ROOT = blocker
    return blocker


def test_failed_pack_shows_no_server_path_anywhere(build, users, case, store_blocked, api_as, web_as):
    pack = build(users.sw, case)
    assert pack.status == "failed"
    assert "cannot be written to" in pack.error
    body = api_as(users.sw).get(f"/api/v1/packs/{pack.pk}/").content.decode()
    page = web_as(users.sw).get(f"/cases/{case.pk}/packs/").content.decode()
    audit = AuditEvent.objects.get(action="pack.failed", object_id=str(pack.pk)).detail["error"]
    for shown in (pack.error, body, page, audit):
        assert str(store_blocked) not in shown
        assert str(store_blocked.parent) not in shown


def test_pack_without_graphviz_says_why_without_the_path_to_dot(build, users, case, people, settings, tmp_path):
    settings.GRAPHVIZ_DOT_PATH = str(tmp_path / "no-such-dot")
    pack = build(users.sw, case)
    assert pack.status == "done", pack.error
    text = squash(pack_text(pack))
    assert "The genogram and ecomap could not be drawn for this pack" in text
    assert "no-such-dot" not in text
    assert str(tmp_path) not in text
