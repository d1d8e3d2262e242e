"""Requesting a pack in headless Chromium on the embedded default (no broker): the page comes back
at once showing the pack in a status box (role=status) that updates itself, then the download link."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from reporting.packs import local_worker
from reporting.packs.models import Pack

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _local_worker_finishes():
    yield
    assert local_worker.wait_until_idle(timeout=120)


def _fill_date(page, legend: str, iso: str) -> None:
    """Fill a GOV.UK date input (day, month and year boxes in a fieldset)."""
    year, month, day = iso.split("-")
    group = page.locator("fieldset", has_text=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def test_pack_request_returns_at_once_shows_progress_then_the_download_link(
    case, users, signed_in_page, assert_accessible
):
    page = signed_in_page(users.chair)
    page.goto(f"/cases/{case.pk}/packs/")
    page.get_by_label("Strategy discussion").check()
    _fill_date(page, "Period from", "2026-01-01")
    _fill_date(page, "Period to", "2026-03-31")
    started = time.monotonic()
    page.get_by_role("button", name="Request pack").click()
    page.wait_for_load_state()
    returned_after = time.monotonic() - started

    pack = Pack.objects.get()
    status = page.get_by_role("status")
    expect(status).to_contain_text("Packs being built")
    expect(status).to_contain_text("Strategy discussion pack, 1 Jan 2026 to 31 Mar 2026")
    assert returned_after < 5, f"the request took {returned_after:.1f} s"
    assert_accessible(page)

    download = page.get_by_role("link", name="Download PDF")
    expect(download).to_be_visible(timeout=90_000)
    expect(page.get_by_role("status")).to_have_count(0)
    pack.refresh_from_db()
    assert pack.status == "done"
    assert download.get_attribute("href") == f"/api/v1/packs/{pack.pk}/download/"
    assert_accessible(page)
