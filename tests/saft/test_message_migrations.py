"""The migrations that turned stored texts into codes keep what was written before: a SAF-T
export's message and a job item's message, each a text item shown as it was (and the bare
"generating" msgid, which the row used to translate when shown, a sentence again)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from invoices.models import Account
from invoices.sentences import render_sentences

SAFT_BEFORE = ("saft", "0006_saftexport_said")
SAFT_AFTER = ("saft", "0007_export_message_as_sentences")
JOBS_BEFORE = ("invoices", "0009_messages_as_sentences")
JOBS_AFTER = ("invoices", "0010_job_item_messages_as_sentences")


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.fixture
def back_at_the_end():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def account():
    return Account.objects.create(
        name="Acme", slug="acme", account_name="acme", api_key="k", base_url="https://acme.ix.test"
    )


@pytest.mark.django_db(transaction=True)
def test_an_exports_old_text_is_kept_and_the_generating_msgid_becomes_a_sentence(account, back_at_the_end):  # fmt: skip
    old = _migrate(SAFT_BEFORE).get_model("saft", "SaftExport")
    failed = old.objects.create(account_id=account.pk, year=2026, month=9, status="failed", message="InvoiceXpress refused the request: Período inválido.")  # fmt: skip
    generating = old.objects.create(account_id=account.pk, year=2026, month=10, message="InvoiceXpress is generating the file.", said="Please keep requesting.")  # fmt: skip
    empty = old.objects.create(account_id=account.pk, year=2026, month=8, status="ready")

    new = _migrate(SAFT_AFTER).get_model("saft", "SaftExport")
    assert new.objects.get(pk=failed.pk).message == [
        {"text": "InvoiceXpress refused the request: Período inválido."}
    ]
    after = new.objects.get(pk=generating.pk)
    assert after.message == [{"msgid": "InvoiceXpress is generating the file.", "params": {}}]
    assert after.said == "Please keep requesting."
    assert new.objects.get(pk=empty.pk).message == []
    # The old text reads as it was written, whatever the reader's language.
    assert render_sentences(new.objects.get(pk=failed.pk).message).endswith("Período inválido.")

    # And back: the text returns to the text column.
    back = _migrate(SAFT_BEFORE).get_model("saft", "SaftExport")
    assert back.objects.get(pk=failed.pk).message.endswith("Período inválido.")
    assert back.objects.get(pk=generating.pk).message == "InvoiceXpress is generating the file."


@pytest.mark.django_db(transaction=True)
def test_a_job_items_old_text_is_kept_as_it_was(account, back_at_the_end):
    apps = _migrate(JOBS_BEFORE)
    Job, JobItem = apps.get_model("invoices", "Job"), apps.get_model("invoices", "JobItem")
    job = Job.objects.create(account_id=account.pk, kind="bulk_finalize")
    told = JobItem.objects.create(job=job, position=0, key="1", outcome="refused", message="InvoiceXpress refused the request: Date can't be earlier.")  # fmt: skip
    silent = JobItem.objects.create(job=job, position=1, key="2", outcome="finalized")

    new = _migrate(JOBS_AFTER).get_model("invoices", "JobItem")
    after = new.objects.get(pk=told.pk)
    assert after.message == [{"text": "InvoiceXpress refused the request: Date can't be earlier."}]
    assert after.said == ""
    assert new.objects.get(pk=silent.pk).message == []

    back = _migrate(JOBS_BEFORE).get_model("invoices", "JobItem")
    assert back.objects.get(pk=told.pk).message.endswith("Date can't be earlier.")
