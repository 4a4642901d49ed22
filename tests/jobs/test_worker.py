"""Jobs in real worker processes: killed mid-job and taken over, and the periodic job.

These start `manage.py db_worker` subprocesses, so they are few and kept short.
"""

from __future__ import annotations

import signal
from collections import Counter

from invoices.models import AuditEntry, Job
from invoices.sentences import render_sentences as words
from saft.models import SaftExport
from saft.periods import Period
from saft.services import export_queue
from sandbox import faults
from sandbox.models import SandboxDocument, SandboxRequest
from tests.jobs.workers import database_queue, wait_for, worker, worker_log
from tests.lifecycle.helpers import create_draft

DRAFTS = 50


def finalize_puts() -> Counter:
    return Counter(
        SandboxRequest.objects.filter(
            method="PUT", path__endswith="/change-state.json"
        ).values_list("path", flat=True)
    )


def test_a_worker_killed_mid_job_leaves_it_to_another_and_every_draft_is_final_once(
    client, live_company, settings, tmp_path
):
    drafts = [create_draft(live_company) for _ in range(DRAFTS)]
    database_queue(settings)
    client.force_login(live_company.manager)
    response = client.post("/c/acme/documents/finalize/", {"documents": [d.id for d in drafts]})
    job = Job.objects.get()
    assert response.status_code == 302 and job.status == "queued"  # nothing runs in the page

    # The tenth finalize is slow to answer (InvoiceXpress still does it): the worker is
    # killed while it waits, so its write happened and was never recorded.
    tenth = drafts[9]
    path = f"invoices/{tenth.id}/change-state"
    faults.inject("acme", "timeout", count=1, path_prefix=path, timeout_seconds=0.5)
    with worker(tmp_path, "first") as first:
        wait_for(lambda: finalize_puts()[f"{path}.json"] == 1, timeout=60, what="the 10th write")
        first.send_signal(signal.SIGKILL)
        first.wait()
    job.refresh_from_db()
    assert job.status == "running" and job.done == 9, worker_log(tmp_path)
    assert job.items.get(key=str(tenth.id)).outcome == "started"

    with worker(tmp_path, "second"):
        wait_for(
            lambda: Job.objects.filter(pk=job.pk, status="done").exists(),
            timeout=90,
            what="the job to finish in the second worker",
            poll=0.2,
        )
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.runs) == ("done", DRAFTS, DRAFTS, 2)
    assert job.summary == {"finalized": DRAFTS}, worker_log(tmp_path)
    recognised = words(job.items.get(key=str(tenth.id)).message)
    assert recognised.startswith("Finalized before the worker restarted")

    # InvoiceXpress saw exactly one finalize per draft, and numbered each once.
    assert finalize_puts() == Counter({f"invoices/{d.id}/change-state.json": 1 for d in drafts})
    stored = SandboxDocument.objects.filter(pk__in=[d.id for d in drafts])
    assert {d.status for d in stored} == {"final"}
    assert sorted(d.number for d in stored) == list(range(1, DRAFTS + 1))
    # Every write is on record once as done (a write the killed worker never recorded is
    # recorded when the second worker reads it again).
    ok = Counter(
        AuditEntry.objects.filter(action="document.finalize", outcome="ok").values_list(
            "document_id", flat=True
        )
    )
    assert ok == Counter({d.id: 1 for d in drafts})


def test_saft_exports_reach_ready_with_only_a_worker_running(live_company, settings, tmp_path):
    world = live_company
    world.sandbox.saft_pending_calls = 1  # one "still generating" answer, then the file
    world.sandbox.save()
    database_queue(settings)
    export = export_queue(
        account=world.account, user=world.manager, period=Period.last_closed()
    ).export
    assert export.is_pending
    with worker(tmp_path, "saft"):
        wait_for(
            lambda: SaftExport.objects.filter(pk=export.pk, status="ready").exists(),
            timeout=30,
            what="the export to be ready",
            poll=0.2,
        )
    export.refresh_from_db()
    assert export.is_ready and export.attempts == 2, worker_log(tmp_path)
    # At most one upstream check per poll interval, though the periodic job ran every 0.5 s.
    checks = SandboxRequest.objects.filter(path="api/export_saft.json").values_list("at", flat=True)
    gaps = [(b - a).total_seconds() for a, b in zip(checks, checks[1:], strict=False)]
    assert len(checks) == 2 and all(g >= settings.IXPORTAL_SAFT_POLL_SECONDS - 0.1 for g in gaps)
