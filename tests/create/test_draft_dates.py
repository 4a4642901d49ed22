"""Against the sandbox: a draft dated before its series' last finalized document of its type,
or after today, is warned about before it is created (and refused at finalize, see
tests/lifecycle/test_state_changes.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from invoices.models.submissions import Submission
from sandbox.models import SandboxDocument
from tests.create.helpers import URL, fresh_form, fresh_live_cache
from tests.create.helpers import live_form_data as form_data
from tests.lifecycle.helpers import create_draft


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    yield from fresh_live_cache(settings)


@pytest.fixture
def clerk(client, live_company):
    client.force_login(live_company.clerk)
    return client


def pt(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


@pytest.fixture
def finalized_today(live_company):
    """An invoice finalized today on the default series."""
    draft = create_draft(live_company, date=timezone.localdate())
    return live_company.account.client().change_state("invoices", draft.id, "finalized")


def drafts():
    return SandboxDocument.objects.filter(status="draft")


def test_a_date_before_the_series_last_invoice_is_warned_before_sending(
    clerk, live_company, finalized_today
):
    today = timezone.localdate()
    earlier = today - dt.timedelta(days=3)
    token, series, _ = fresh_form(clerk)
    data = form_data(token, series, date=pt(earlier), due_date=pt(today + dt.timedelta(days=9)))
    html = clerk.post(URL, data).content.decode()
    serie = finalized_today.inverted_sequence_number.split("/")[0]
    assert "Nothing was sent yet." in html
    assert (
        f"Dated {pt(earlier)}, before {pt(today)}, the date of the last finalized invoice on "
        f"series {serie}"
    ) in html
    assert 'name="accept_date"' in html
    assert not drafts().exists() and not Submission.objects.exists()
    # The clerk may still keep the draft (to change its date later).
    response = clerk.post(URL, {**data, "accept_date": "on"})
    assert response.status_code == 302
    assert drafts().get().date == earlier


def test_another_type_on_the_series_does_not_count(clerk, live_company, finalized_today):
    earlier = timezone.localdate() - dt.timedelta(days=3)
    token, series, _ = fresh_form(clerk)
    data = form_data(
        token, series, doc_type="invoice_receipts", date=pt(earlier), due_date=pt(earlier)
    )
    assert clerk.post(URL, data).status_code == 302
    assert drafts().get().doc_type == "InvoiceReceipt"


def test_a_date_after_today_is_warned_before_sending(clerk, live_company):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    token, series, _ = fresh_form(clerk)
    data = form_data(token, series, date=pt(tomorrow), due_date=pt(tomorrow))
    html = clerk.post(URL, data).content.decode()
    assert f"Dated {pt(tomorrow)}, after today: a document cannot be finalized" in html
    assert not drafts().exists()


def test_todays_date_needs_no_look_up(clerk, live_company, finalized_today, upstream):
    today = timezone.localdate()
    token, series, _ = fresh_form(clerk)
    upstream.clear()
    clerk.post(URL, form_data(token, series, date=pt(today), due_date=pt(today)))
    assert [call.method for call in upstream] == ["POST"]
