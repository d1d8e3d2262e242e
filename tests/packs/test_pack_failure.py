import pytest

from audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def store_blocked(settings, tmp_path):
    """MEDIA_ROOT is a plain file, so the pack store cannot be created: a real OS failure."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("in the way")
    settings.MEDIA_ROOT = blocker
    return blocker


def test_failed_build_records_reason_and_offers_no_file(build, users, case, store_blocked):
    pack = build(users.sw, case)
    assert pack.status == "failed"
    assert "cannot be written" in pack.error
    assert not pack.file
    assert pack.sha256 == ""
    assert AuditEvent.objects.filter(action="pack.failed", object_id=str(pack.pk)).exists()


def test_failed_pack_has_no_download_url_and_download_is_404(build, users, case, store_blocked, api_as):
    pack = build(users.sw, case)
    client = api_as(users.sw)
    body = client.get(f"/api/v1/packs/{pack.pk}/").json()
    assert body["status"] == "failed"
    assert body["download_url"] is None
    assert "cannot be written" in body["error"]
    assert client.get(f"/api/v1/packs/{pack.pk}/download/").status_code == 404


def test_packs_tab_shows_the_failure_reason(build, users, case, store_blocked, web_as):
    pack = build(users.sw, case)
    page = web_as(users.sw).get(f"/cases/{case.pk}/packs/").content.decode()
    assert "Failed" in page
    assert pack.error.split("(")[0].strip() in page


def test_store_leaves_no_partial_file_when_the_move_fails(build, users, case, settings):
    import hashlib

    from reporting.packs.services import _store_atomically, pack_storage_dir

    pack = build(users.sw, case)
    content = b"%PDF-1.7 synthetic"
    final = pack_storage_dir(case.pk) / f"pack-{pack.pk}-{hashlib.sha256(content).hexdigest()[:12]}.pdf"
    final.mkdir(parents=True)  # a folder where the file should go: the move into place fails
    with pytest.raises(OSError):
        _store_atomically(pack, content)
    assert not list(pack_storage_dir(case.pk).glob("*.partial"))


def test_pack_without_graphviz_still_builds_and_says_why_the_drawings_are_missing(
    build, users, case, people, settings, tmp_path
):
    from tests.packs.conftest import pack_text, squash

    settings.GRAPHVIZ_DOT_PATH = str(tmp_path / "no-such-dot")
    pack = build(users.sw, case)
    assert pack.status == "done", pack.error
    assert "The genogram and ecomap could not be drawn for this pack" in squash(pack_text(pack))
