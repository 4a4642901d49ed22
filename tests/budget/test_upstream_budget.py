"""One upstream budget per InvoiceXpress account, shared by every process."""

from __future__ import annotations

import time

import pytest
import time_machine

from invoices.invoicexpress.client import InvoiceXpressClient
from invoices.invoicexpress.errors import Busy, RateLimited
from invoices.upstream_budget import (
    DatabaseBudget,
    RedisBudget,
    budget_from_settings,
    rule,
    waiting_as_a_job,
)
from tests.conftest import UNREACHABLE

BUSY = "InvoiceXpress is busy for this company, try again in a few seconds."


@pytest.fixture
def small_budget(settings):
    """10 a minute, 3 at once: after 3 calls the next unit is 60 / 6 = 10 s away."""
    settings.IXPORTAL_UPSTREAM_BUDGET_PER_MINUTE = 10
    settings.IXPORTAL_UPSTREAM_BURST = 3
    settings.IXPORTAL_UPSTREAM_BUDGET_WINDOW_SECONDS = 60
    settings.IXPORTAL_UPSTREAM_PAGE_WAIT_SECONDS = 2
    return settings


def test_a_burst_goes_at_once_then_requests_are_spaced_out(db, small_budget):
    budget = DatabaseBudget()
    with time_machine.travel(1_900_000_000, tick=False):
        assert [budget.take("acme") for _ in range(3)] == [0.0, 0.0, 0.0]
        wait = budget.take("acme")
        assert wait == pytest.approx(60 / 6, abs=0.01)
        assert budget.take("globex") == 0.0  # each account has its own budget
    with time_machine.travel(1_900_000_000 + wait, tick=False):
        assert budget.take("acme") == 0.0
        assert budget.take("acme") > 0


def test_no_window_ever_lets_more_than_the_budget_through(db, small_budget):
    budget = DatabaseBudget()
    allowed: list[float] = []
    now = 1_900_000_000.0
    while now < 1_900_000_000 + 300:  # five minutes of someone asking every 0.25 s
        with time_machine.travel(now, tick=False):
            if budget.take("acme") == 0.0:
                allowed.append(now)
        now += 0.25
    busiest = max(sum(1 for t in allowed if start <= t < start + 60) for start in allowed)
    assert busiest <= 10
    assert len(allowed) >= 5 * 6  # and it still lets the steady rate through


def test_a_page_waits_briefly_then_says_the_company_is_busy(client, cast, small_budget):
    small_budget.IXPORTAL_UPSTREAM_PAGE_WAIT_SECONDS = 0.2
    with time_machine.travel(1_900_000_000, tick=False):
        for _ in range(3):
            DatabaseBudget().take(UNREACHABLE)
        client.force_login(cast.viewer)
        response = client.get("/c/acme/documents/")
    html = response.content.decode()
    assert response.status_code == 200 and BUSY in html
    assert 'data-error-status="429"' in html


def test_busy_is_raised_before_anything_is_sent(db, small_budget):
    small_budget.IXPORTAL_UPSTREAM_PAGE_WAIT_SECONDS = 0
    client = InvoiceXpressClient(UNREACHABLE, "key")
    with time_machine.travel(1_900_000_000, tick=False):
        for _ in range(3):
            DatabaseBudget().take(UNREACHABLE)
        with pytest.raises(Busy) as caught:
            client.change_state("invoices", 1, "finalized")
    assert client.calls == 0
    assert caught.value.message == BUSY and isinstance(caught.value, RateLimited)
    assert "key" not in str(caught.value)


def test_a_job_waits_for_budget_instead_of_failing(db, settings):
    settings.IXPORTAL_UPSTREAM_BUDGET_PER_MINUTE = 5
    settings.IXPORTAL_UPSTREAM_BURST = 1
    settings.IXPORTAL_UPSTREAM_BUDGET_WINDOW_SECONDS = 0.6  # one unit every 0.2 s
    settings.IXPORTAL_UPSTREAM_PAGE_WAIT_SECONDS = 0
    budget = DatabaseBudget()
    budget.acquire("acme")
    with pytest.raises(Busy):
        budget.acquire("acme")
    started = time.monotonic()
    with waiting_as_a_job():
        budget.acquire("acme")
        budget.acquire("acme")
    assert time.monotonic() - started >= 0.3  # it waited its turn, twice


def test_the_settings_pick_redis_when_the_cache_is_redis(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/4",
        }
    }
    assert isinstance(budget_from_settings(), RedisBudget)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert isinstance(budget_from_settings(), DatabaseBudget)


def test_the_redis_budget_shares_one_counter(small_budget):
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url("redis://127.0.0.1:6379/4")
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    key = f"test-{time.monotonic_ns()}"
    first, second = RedisBudget("redis://127.0.0.1:6379/4"), RedisBudget("redis://127.0.0.1:6379/4")
    assert [first.take(key), second.take(key), first.take(key)] == [0.0, 0.0, 0.0]
    interval, _tolerance = rule()
    assert second.take(key) == pytest.approx(interval, abs=0.5)
    connection.delete(*connection.keys("ixportal:budget:*"))
