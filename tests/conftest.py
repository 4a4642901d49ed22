"""The tenancy cast every view test uses, and the live sandbox the integration tests use.

cast: company "acme" with a manager, a clerk and a viewer, an outsider who manages another
company ("globex"), and a superuser who is a member of nothing. Passwords are all "pw".
live_company: the same cast, but "acme" is an InvoiceXpress account in the sandbox, served
over real HTTP by `live_server` (seeded like a new account: taxes IVA23/IVA13/IVA6/Isento
and a registered default sequence). `live_company.sandbox` is the SandboxAccount.
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import translation

from invoices.models import Account, Membership, Role
from tests.documents.helpers import spy_on_upstream

# A port nothing listens on: any test that forgets the sandbox fails fast, never hangs.
UNREACHABLE = "http://127.0.0.1:9"


def _user(username: str):
    return get_user_model().objects.create_user(username, password="pw")


def build_cast(base_url: str) -> SimpleNamespace:
    acme = Account.objects.create(
        name="Acme, Lda.", slug="acme", account_name="acme", api_key="acme-key", base_url=base_url
    )
    globex = Account.objects.create(
        name="Globex, S.A.",
        slug="globex",
        account_name="globex",
        api_key="globex-key",
        base_url=UNREACHABLE,
    )
    manager, clerk, viewer, outsider = (
        _user(n) for n in ("manager", "clerk", "viewer", "outsider")
    )
    superuser = get_user_model().objects.create_superuser("root", password="pw")
    Membership.objects.create(user=manager, account=acme, role=Role.MANAGER)
    Membership.objects.create(user=clerk, account=acme, role=Role.CLERK)
    Membership.objects.create(user=viewer, account=acme, role=Role.VIEWER)
    Membership.objects.create(user=outsider, account=globex, role=Role.MANAGER)
    return SimpleNamespace(
        account=acme,
        other_account=globex,
        manager=manager,
        clerk=clerk,
        viewer=viewer,
        outsider=outsider,
        superuser=superuser,
    )


@pytest.fixture(autouse=True)
def isolated_cache():
    """Each test starts and ends with an empty cache (taxes, series, client lists)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request through LocaleMiddleware (a
    Portuguese page in an earlier test) leaves its language active in the thread."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def cast(db):
    return build_cast(UNREACHABLE)


@pytest.fixture
def live_company(transactional_db, live_server):
    from sandbox.models import SandboxAccount

    world = build_cast(f"{live_server.url}/sandbox/acme")
    world.sandbox = SandboxAccount.objects.create(
        account_name="acme", api_key="acme-key", company_name="Acme, Lda."
    )
    world.live_server = live_server
    yield world
    # The shared requests.Session keeps keep-alive connections to live_server's threads;
    # close them while the test database still exists, or the teardown logs errors.
    from invoices.invoicexpress.client import shared_session

    shared_session().close()


@pytest.fixture
def upstream(monkeypatch):
    """Records the query every list/get call sends to InvoiceXpress (see tests/documents/helpers.py)."""
    return spy_on_upstream(monkeypatch)


@pytest.fixture
def fast_failures(settings):
    """No retries and short timeouts, so tests of an unreachable upstream stay fast."""
    settings.IXPORTAL_GET_RETRIES = 0
    settings.IXPORTAL_READ_TIMEOUT = 0.5
    settings.IXPORTAL_CONNECT_TIMEOUT = 0.5


# ---- hypothesis profiles (the property tests in tests/fuzz) ---------------------------------
# "ci" (the default): 300 examples per form, bounded for every run of the suite.
# "fuzz": 5,000 per form, for `make fuzz`. deadline=None: a request's time varies with the
# machine's load, and speed is measured by the benchmarks, never asserted here.
def _hypothesis_profiles() -> None:
    import os

    from hypothesis import HealthCheck, settings

    common = {
        "deadline": None,
        "print_blob": True,
        # The world (database rows, the logged-in client) is built once per test and shared
        # by its examples on purpose: building it per example would cost more than the fuzz.
        "suppress_health_check": [
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    }
    settings.register_profile("ci", max_examples=300, **common)
    settings.register_profile("fuzz", max_examples=5000, **common)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


_hypothesis_profiles()


@pytest.fixture
def two_live_companies(live_company):
    """acme (live_company) and beta, both on the sandbox; the acme manager belongs to both."""
    from sandbox.models import SandboxAccount

    world = live_company
    world.beta_sandbox = SandboxAccount.objects.create(
        account_name="beta", api_key="beta-key", company_name="Beta, Lda."
    )
    world.beta = Account.objects.create(
        name="Beta, Lda.",
        slug="beta",
        account_name="beta",
        api_key="beta-key",
        base_url=f"{world.live_server.url}/sandbox/beta",
    )
    Membership.objects.create(user=world.manager, account=world.beta, role=Role.VIEWER)
    return world
