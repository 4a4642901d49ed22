import pytest

from invoices.invoicexpress import client as client_module


@pytest.fixture(autouse=True)
def budget_needs_a_database(request):
    """The client's own tests run without a database, hence without the shared budget
    (which lives in it; tests/budget covers it). Tests with a database keep it."""
    if {"db", "transactional_db", "live_company", "cast"} & set(request.fixturenames):
        yield
        return
    previous = client_module._budget
    client_module.set_budget(None)
    yield
    client_module.set_budget(previous)
