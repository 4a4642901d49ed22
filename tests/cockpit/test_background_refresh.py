"""The cockpit read again in the workers' periodic job: at most once per interval, however
many workers tick, for every active company."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.utils import timezone

from invoices.cockpit import services
from invoices.cockpit.services import REFRESH_SLOT, refresh_cockpit_if_due
from invoices.jobs.models import PeriodicSlot
from invoices.jobs.runner import _every_tick, periodic_run
from invoices.models import Account


def companies_read(upstream) -> set[str]:
    return {call.path.split("/")[2] for call in upstream if call.path.startswith("/sandbox/")}


def test_it_is_registered_for_the_periodic_job():
    assert refresh_cockpit_if_due in _every_tick  # by InvoicesConfig.ready


def test_every_active_company_is_read_once_per_interval(live_company, upstream, settings):
    settings.IXPORTAL_COCKPIT_REFRESH_SECONDS = 300
    settings.IXPORTAL_GET_RETRIES = 0
    acme = live_company.account
    Account.objects.create(
        name="Dormant",
        slug="dormant",
        account_name="dormant",
        api_key="k",
        base_url=f"{live_company.live_server.url}/sandbox/dormant",
        is_active=False,
    )

    # globex's address answers nothing: its failure is kept too, and it holds nobody up.
    assert refresh_cockpit_if_due() == "2 companies read, 1 failed"

    assert companies_read(upstream) == {"acme"}  # never the inactive company
    cached = cache.get(services._key(acme.pk))
    assert cached is not None and cached.figures is not None
    slot = PeriodicSlot.objects.get(name=REFRESH_SLOT)
    assert slot.due_at > timezone.now() + dt.timedelta(seconds=290)

    # Every other tick within the interval, from this worker or any other: nothing read.
    upstream.clear()
    assert refresh_cockpit_if_due() == "not due"
    assert refresh_cockpit_if_due() == "not due"
    assert upstream == []

    # Due again: one worker reads, the next one to tick does not.
    PeriodicSlot.objects.filter(name=REFRESH_SLOT).update(due_at=timezone.now())
    done = periodic_run()
    key = "invoices.cockpit.services.refresh_cockpit_if_due"
    assert done[key] == "2 companies read, 1 failed"
    assert companies_read(upstream) == {"acme"}
    assert periodic_run()[key] == "not due"
