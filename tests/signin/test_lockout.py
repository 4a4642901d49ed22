"""Login throttling (django-axes): a username from one address is locked after 5 wrong
passwords for 15 minutes, in the database, so every host refuses it."""

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

LOGIN = "/accounts/login/"


def attempt(client, password, username="viewer", address="10.0.0.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail_five_times(client, **kwargs):
    for _ in range(5):
        response = attempt(client, "wrong", **kwargs)
    return response


def test_the_sixth_attempt_is_locked_out_even_with_the_right_password(client, cast):
    fail_five_times(client)
    response = attempt(client, "pw")
    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    assert b'id="locked-out"' in response.content
    assert b"locked for 15 minutes" in response.content
    assert b"ask an administrator to unlock it" in response.content


def test_four_wrong_passwords_then_the_right_one_still_signs_in(client, cast):
    for _ in range(4):
        assert attempt(client, "wrong").status_code == 200
    response = attempt(client, "pw")
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(cast.viewer.pk)


def test_the_lock_is_kept_in_the_database(client, cast):
    fail_five_times(client)
    record = AccessAttempt.objects.get(username="viewer", ip_address="10.0.0.7")
    assert record.failures_since_start == 5


def test_the_lock_is_per_username_and_address(client, cast):
    fail_five_times(client)
    assert attempt(client, "pw", address="10.0.0.8").status_code == 302  # same user, elsewhere
    client.logout()
    assert attempt(client, "pw", username="clerk").status_code == 302  # same address, other user


def test_the_lock_ends_after_the_cool_off(client, cast):
    fail_five_times(client)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        assert attempt(client, "pw").status_code == 302


def test_limit_and_cool_off_come_from_settings(client, cast, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=30)
    attempt(client, "wrong")
    attempt(client, "wrong")
    response = attempt(client, "pw")
    assert response.status_code == 429
    assert b"locked for 30 minutes" in response.content


def test_behind_a_proxy_the_forwarded_address_is_locked(client, cast, settings):
    settings.IXPORTAL_TRUSTED_PROXIES = 1
    for _ in range(5):
        client.post(
            LOGIN,
            {"username": "viewer", "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.9",  # the first part is the client's own
        )
    assert AccessAttempt.objects.get(username="viewer").ip_address == "198.51.100.9"


@pytest.mark.parametrize("how", ["user action", "access attempt delete"])
def test_a_superuser_unlocks_in_the_admin(client, cast, how):
    fail_five_times(client)
    admin = client.__class__()
    admin.force_login(cast.superuser)
    if how == "user action":
        response = admin.post(
            "/admin/auth/user/",
            {"action": "unlock_sign_in", "_selected_action": [cast.viewer.pk]},
            follow=True,
        )
        assert b"Unlocked 1 user" in response.content
    else:
        record = AccessAttempt.objects.get(username="viewer")
        admin.post(f"/admin/axes/accessattempt/{record.pk}/delete/", {"post": "yes"})
    assert not AccessAttempt.objects.filter(username="viewer").exists()
    assert attempt(client, "pw").status_code == 302
