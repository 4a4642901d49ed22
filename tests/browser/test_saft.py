"""A manager requests a SAF-T and watches its row turn ready, without reloading; then downloads it."""

import hashlib

import pytest
from playwright.sync_api import expect

from saft.models import SaftExport


@pytest.mark.browser
def test_a_requested_export_turns_ready_in_place_and_downloads(live_company, login, settings, tmp_path):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IXPORTAL_SAFT_POLL_SECONDS = 1
    world = live_company
    world.sandbox.saft_pending_calls = 3  # the request's call and two polls get 202
    world.sandbox.save()

    page = login(world.manager)
    page.goto(f"{world.live_server.url}/c/acme/saft/")
    page.locator("#saft-request-form").get_by_role("button", name="Request").click()
    row = page.locator("#saft-exports tbody tr")
    expect(row).to_have_attribute("data-status", "pending")
    expect(row).to_have_attribute("hx-trigger", "every 1s")
    expect(row).to_have_attribute("data-poll-when-visible", "")
    page.evaluate("window.stillTheSamePage = true")

    expect(row).to_have_attribute("data-status", "ready", timeout=20_000)
    assert page.evaluate("window.stillTheSamePage") is True  # swapped in place, not reloaded
    expect(row).not_to_have_attribute("hx-trigger", "every 1s")
    export = SaftExport.objects.get()
    expect(row).to_contain_text(export.sha256[:12])

    with page.expect_download() as download_info:
        row.get_by_role("link", name="Download").click()
    download = download_info.value
    assert download.suggested_filename == export.download_name
    with open(download.path(), "rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == export.sha256
