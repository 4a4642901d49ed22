"""The stand-in stays out of production: no demo users with DEBUG off unless forced, no
sandbox admin pages unless the sandbox is on."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sandbox.models import SandboxAccount

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_load_demo_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo")
    assert not SandboxAccount.objects.exists()


def registered_admin_models(sandbox: str) -> str:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "IXPORTAL"))},
        "DEBUG": "false",
        "SECRET_KEY": "x" * 60,
        "IXPORTAL_ENCRYPTION_KEYS": "dGVzdC1rZXktb25lLWZvci1peHBvcnRhbC10ZXN0cyE=",
        "IXPORTAL_SANDBOX": sandbox,
        "DJANGO_SETTINGS_MODULE": "ixportal.settings",
    }
    code = (
        "import django; django.setup(); from django.contrib import admin; "
        "print(sorted(m._meta.label for m in admin.site._registry))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_sandbox_admin_pages_exist_only_when_the_sandbox_is_on():
    off = registered_admin_models("false")
    assert "sandbox." not in off and "invoices.Account" in off
    on = registered_admin_models("true")
    assert "sandbox.SandboxAccount" in on and "sandbox.SandboxDocument" in on
