"""The real static storage, not the test settings' plain one: a vendored file that points
at a missing source map broke collectstatic once and only production noticed."""

import json

import pytest
from django.core.management import call_command
from django.test import override_settings

MANIFEST_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.fixture
def collected(tmp_path):
    with override_settings(
        STATIC_ROOT=tmp_path, STORAGES=MANIFEST_STORAGE, WHITENOISE_USE_FINDERS=False
    ):
        call_command("collectstatic", "--noinput", verbosity=0)
        yield tmp_path


def test_collectstatic_with_the_manifest_storage_succeeds(collected):
    paths = json.loads((collected / "staticfiles.json").read_text())["paths"]
    for name in (
        "vendor/bootstrap/bootstrap.bundle.min.js",
        "vendor/bootstrap/bootstrap.min.css",
        "css/app.css",
        "js/app.js",
        "django_htmx/htmx-2.min.js",
        "sandbox/control_panel.css",
    ):
        assert name in paths
        assert (collected / paths[name]).exists()
        assert (collected / (paths[name] + ".gz")).exists()  # compressed too


def test_no_collected_file_points_at_a_missing_source_map(collected):
    for path in collected.rglob("*"):
        if path.suffix not in (".js", ".css"):
            continue
        text = path.read_text(errors="replace")
        for line in text.splitlines()[-3:]:
            if "sourceMappingURL=" in line and "data:" not in line:
                target = line.split("sourceMappingURL=")[1].strip(" */")
                assert (path.parent / target).exists(), f"{path} -> {target}"


@pytest.mark.django_db
def test_the_login_page_renders_hashed_urls_from_the_manifest(collected, client):
    with override_settings(STATIC_ROOT=collected, STORAGES=MANIFEST_STORAGE, DEBUG=False):
        response = client.get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/vendor/bootstrap/bootstrap.bundle.min." in html
    assert 'bootstrap.bundle.min.js"' not in html  # the hashed name, not the plain one


def test_the_500_page_renders_even_without_a_manifest(tmp_path, rf):
    from django.views.defaults import server_error

    # The failure this page most needs to survive: a missing or stale static manifest.
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=MANIFEST_STORAGE, DEBUG=False):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
