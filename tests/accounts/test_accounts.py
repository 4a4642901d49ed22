"""The accounts store: API keys encrypted at rest, rotation, and scripted set-up."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from invoices.models import Account, AuditEntry, Membership, Role
from invoices.models.fields import DecryptionError, decrypt, encrypt
from invoices.sentences import sentence

KEY_ONE = "dGVzdC1rZXktb25lLWZvci1peHBvcnRhbC10ZXN0cyE="
KEY_TWO = "dGVzdC1rZXktdHdvLWZvci1peHBvcnRhbC10ZXN0cyE="
KEY_NEW = "bmV3LXJvdGF0aW9uLWtleS1mb3ItaXhwb3J0YWwtMzI="


def _stored_api_key(account: Account) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT api_key FROM invoices_account WHERE id = %s", [account.pk])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_it_stores_the_api_key_encrypted():
    account = Account.objects.create(
        name="Acme", slug="acme", account_name="acme", api_key="plain-key-123"
    )
    stored = _stored_api_key(account)
    assert "plain-key-123" not in stored
    assert stored.startswith("gcm1$")
    assert Account.objects.get(pk=account.pk).api_key == "plain-key-123"


def test_each_encryption_uses_a_fresh_nonce():
    assert encrypt("same") != encrypt("same")
    assert decrypt(encrypt("same")) == "same"


def test_a_tampered_value_does_not_decrypt():
    stored = encrypt("secret")
    tampered = stored[:-4] + ("AAAA" if not stored.endswith("AAAA") else "BBBB")
    with pytest.raises(DecryptionError):
        decrypt(tampered)


def test_a_value_from_an_unknown_key_does_not_decrypt(settings):
    settings.IXPORTAL_ENCRYPTION_KEYS = [KEY_NEW]
    stored = encrypt("secret")
    settings.IXPORTAL_ENCRYPTION_KEYS = [KEY_ONE, KEY_TWO]
    with pytest.raises(DecryptionError):
        decrypt(stored)


@pytest.mark.django_db
def test_keys_rotate_first_encrypts_all_decrypt(settings):
    account = Account.objects.create(
        name="Acme", slug="acme", account_name="acme", api_key="rotate-me"
    )
    old_stored = _stored_api_key(account)
    settings.IXPORTAL_ENCRYPTION_KEYS = [KEY_NEW, KEY_ONE, KEY_TWO]
    assert Account.objects.get(pk=account.pk).api_key == "rotate-me"  # old key still decrypts
    call_command("rotate_api_keys")
    new_stored = _stored_api_key(account)
    assert new_stored != old_stored
    settings.IXPORTAL_ENCRYPTION_KEYS = [KEY_NEW]  # the old keys can now go
    assert Account.objects.get(pk=account.pk).api_key == "rotate-me"


@pytest.mark.django_db
def test_the_account_repr_never_shows_the_key():
    account = Account.objects.create(name="Acme", slug="acme", account_name="acme", api_key="k-123")
    assert "k-123" not in repr(account) and "k-123" not in str(account)
    assert account.api_base_url == "https://acme.app.invoicexpress.com"
    account.base_url = "http://127.0.0.1:8000/sandbox/acme/"
    assert account.api_base_url == "http://127.0.0.1:8000/sandbox/acme"


@pytest.mark.django_db
def test_add_account_creates_the_account_and_its_members(django_user_model, capsys):
    anna = django_user_model.objects.create_user("anna")
    bruno = django_user_model.objects.create_user("bruno")
    call_command(
        "add_account",
        "--name",
        "Padaria Lusitana, Lda.",
        "--account-name",
        "padarialusitana",
        "--api-key",
        "the-key-42",
        "--member",
        "anna:manager",
        "--member",
        "bruno:viewer",
    )
    account = Account.objects.get(slug="padaria-lusitana-lda")
    assert account.api_key == "the-key-42"
    assert dict(
        Membership.objects.filter(account=account).values_list("user__username", "role")
    ) == {
        "anna": Role.MANAGER,
        "bruno": Role.VIEWER,
    }
    assert "the-key-42" not in capsys.readouterr().out
    assert anna.memberships.count() == 1 and bruno.memberships.count() == 1


@pytest.mark.django_db
def test_add_account_run_twice_updates_instead_of_duplicating():
    for key in ("k1", "k2"):
        call_command(
            "add_account",
            "--name",
            "Acme",
            "--account-name",
            "acme",
            "--api-key",
            key,
            "--slug",
            "acme",
        )
    assert Account.objects.count() == 1
    assert Account.objects.get().api_key == "k2"


@pytest.mark.django_db
@pytest.mark.parametrize("member", ["nobody:viewer", "anna:owner", "anna"])
def test_add_account_refuses_a_bad_member(django_user_model, member):
    django_user_model.objects.create_user("anna")
    with pytest.raises(CommandError):
        call_command(
            "add_account",
            "--name",
            "Acme",
            "--account-name",
            "acme",
            "--api-key",
            "k",
            "--member",
            member,
        )
    assert not Account.objects.exists()  # all or nothing


@pytest.mark.django_db
def test_the_audit_log_is_append_only(cast):
    entry = AuditEntry.record(
        account=cast.account,
        user=cast.manager,
        action="document.create",
        outcome=AuditEntry.Outcome.OK,
        sentences=[sentence("%(what)s failed", what="GET /invoices.json?api_key=abc")],
        said="GET /invoices.json?api_key=abc failed",
    )
    assert "abc" not in entry.detail
    assert "abc" not in entry.text
    entry.outcome = AuditEntry.Outcome.FAILED
    with pytest.raises(Exception, match="append-only"):
        entry.save()
    with pytest.raises(Exception, match="append-only"):
        entry.delete()
    with pytest.raises(Exception, match="append-only"):
        AuditEntry.objects.all().delete()
    with pytest.raises(Exception, match="append-only"):
        AuditEntry.objects.update(outcome="failed")
    assert AuditEntry.objects.get().outcome == AuditEntry.Outcome.OK


@pytest.mark.django_db
def test_add_account_reads_the_key_from_stdin_or_the_environment(monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("key-from-stdin\n"))
    call_command(
        "add_account", "--name", "A", "--account-name", "a", "--slug", "a", "--api-key-stdin"
    )
    assert Account.objects.get(slug="a").api_key == "key-from-stdin"
    monkeypatch.setenv("IX_KEY", "key-from-env")
    call_command(
        "add_account",
        "--name",
        "B",
        "--account-name",
        "b",
        "--slug",
        "b",
        "--api-key-env",
        "IX_KEY",
    )
    assert Account.objects.get(slug="b").api_key == "key-from-env"
    with pytest.raises(CommandError, match="empty"):
        call_command(
            "add_account",
            "--name",
            "C",
            "--account-name",
            "c",
            "--slug",
            "c",
            "--api-key-env",
            "UNSET_VAR",
        )
