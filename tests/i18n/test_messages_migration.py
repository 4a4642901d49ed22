"""The migration that stores a submission's, payment's and e-mail's message as sentences: a
text written before (in whatever language its writer had) is kept as it was, as a text item,
and going back puts it in the old column again."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

OLD_TEXT = "O InvoiceXpress não respondeu a tempo. Não sabemos se o documento foi criado."


def _migration() -> tuple[tuple[str, str], list[tuple[str, str]]]:
    """This migration and the ones it follows."""
    loader = MigrationExecutor(connection).loader
    key = ("invoices", "0009_messages_as_sentences")
    return key, [d for d in loader.disk_migrations[key].dependencies if d[0] == "invoices"]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)  # a fresh graph state for what comes next


def _old_rows(apps) -> None:
    account = apps.get_model("invoices", "Account").objects.create(
        name="Acme", slug="acme", account_name="acme", api_key="k"
    )
    common = {"account": account, "document_type": "invoices"}
    Submission = apps.get_model("invoices", "Submission")
    Submission.objects.create(token=uuid.uuid4(), status="unknown", message=OLD_TEXT, **common)
    Submission.objects.create(token=uuid.uuid4(), status="created", document_id=1, **common)
    apps.get_model("invoices", "Payment").objects.create(
        token=uuid.uuid4(),
        document_id=7,
        amount=Decimal("10.00"),
        payment_date=dt.date(2026, 11, 2),
        mechanism="TB",
        status="failed",
        message="Refused: the payment date is before the invoice's.",
        **common,
    )
    apps.get_model("invoices", "SentEmail").objects.create(
        document_id=7, to="a@b.pt", subject="S", status="sent", message="", **common
    )


@pytest.mark.django_db(transaction=True)
def test_old_messages_are_kept_as_text_and_come_back_when_migrating_back():
    this, before = _migration()
    executor = _migrate(before)
    try:
        _old_rows(executor.loader.project_state(before).apps)

        executor = _migrate([this])
        apps = executor.loader.project_state([this]).apps
        Submission = apps.get_model("invoices", "Submission")
        assert list(Submission.objects.order_by("pk").values_list("sentences", "said")) == [
            ([{"text": OLD_TEXT}], ""),
            ([], ""),
        ]
        payment = apps.get_model("invoices", "Payment").objects.get()
        assert payment.sentences == [{"text": "Refused: the payment date is before the invoice's."}]
        assert apps.get_model("invoices", "SentEmail").objects.get().sentences == []

        # Back: our codes (there is no language to translate them into here) and the
        # service's words, as one text in the old column.
        apps.get_model("invoices", "SentEmail").objects.update(
            sentences=[{"msgid": "InvoiceXpress refused it (422).", "params": {"status": 422}}],
            said="Email: is an invalid email",
        )
        executor = _migrate(before)
        apps = executor.loader.project_state(before).apps
        assert apps.get_model("invoices", "Submission").objects.order_by("pk")[0].message == (
            OLD_TEXT
        )
        assert apps.get_model("invoices", "SentEmail").objects.get().message == (
            "InvoiceXpress refused it (422). Email: is an invalid email"
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
