"""The SAF-T tests' shared fixtures: media in a temporary folder, and a month issued live."""

import pytest

from sandbox.models import SandboxAccount
from sandbox.testing import SandboxApi
from tests.saft.corpus import issue_month


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def october(live_company, client):
    """The corpus month issued in the live sandbox; its file is made valid there too."""
    sandbox = live_company.sandbox
    SandboxAccount.objects.filter(pk=sandbox.pk).update(fiscal_id="508025338")
    sandbox.refresh_from_db()
    live_company.documents = issue_month(SandboxApi(client, sandbox))
    live_company.account.nif = "508025338"
    live_company.account.save()
    return live_company
