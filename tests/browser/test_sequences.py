"""A manager creates a series on the Sequences page and sees its validation codes, the
table updating in place (htmx), against the sandbox on the live server."""

import pytest
from playwright.sync_api import expect

from sandbox.models import SandboxSequence

pytestmark = pytest.mark.browser


def test_a_manager_creates_a_series_and_sees_its_validation_codes(live_company, login):
    page = login(live_company.manager)
    page.goto(f"{live_company.live_server.url}/c/acme/sequences/")
    expect(page.locator("#sequence-table section.card")).to_have_count(1)

    page.get_by_label("Series name").fill("B2027")
    page.get_by_role("button", name="Create and register").click()
    # Registering cannot be undone: not without the confirmation.
    expect(page.locator("#sequence-form")).to_contain_text(
        "Tick the confirmation: registering a series cannot be undone."
    )
    assert not SandboxSequence.objects.filter(serie="B2027").exists()
    page.get_by_label("I understand this cannot be undone", exact=False).check()
    page.get_by_role("button", name="Create and register").click()

    created = page.locator("#sequence-created")
    expect(created).to_contain_text("Series “B2027” created.")
    series = SandboxSequence.objects.get(account=live_company.sandbox, serie="B2027")
    code = series.counters.get(kind="invoice").validation_code
    expect(page.locator(f"#created-series-{series.pk} tr[data-type=invoice]")).to_contain_text(
        f"{code}-1"
    )
    # The table reloaded itself on the sequencesChanged event: the new series is listed.
    expect(page.locator(f"#series-{series.pk}")).to_contain_text(code)
    expect(page.locator("#sequence-table section.card")).to_have_count(2)
    # Still the same page: htmx swapped fragments, nothing reloaded.
    assert page.url.endswith("/c/acme/sequences/")
