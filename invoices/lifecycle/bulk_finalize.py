"""Finalizing many drafts at once, as a background job: every draft of a company, oldest
first, and the chosen ones finalized one at a time by a worker, each outcome recorded on
the job's items (and audited by `state_changes`), the whole selection with no time limit.

Nothing twice: before each write the item is marked "started" (committed), so a run that
takes the job over after its worker died reads that document again first and records a
finalize that already happened instead of sending it again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_noop

from invoices.invoicexpress.document_types import GETTABLE_TYPE_PATHS
from invoices.invoicexpress.errors import InvoiceXpressError
from invoices.invoicexpress.records import Document
from invoices.jobs.models import Job, JobItem
from invoices.jobs.runner import Lease, outcome_counts
from invoices.jobs.services import job_start
from invoices.lifecycle.actions import SPECS, Action, table_actions
from invoices.lifecycle.pages import document_url
from invoices.lifecycle.state_changes import document_change_state
from invoices.models import Account, AuditEntry
from invoices.sentences import document_ref, failure_sentences, sentence

MAX_DRAFT_PAGES = 5  # 500 drafts; more than that and the page says the list is incomplete
DRAFTS_PER_PAGE = 100


@dataclass(frozen=True)
class Drafts:
    documents: tuple[Document, ...]  # oldest first: the order they are finalized in
    total: int  # as InvoiceXpress counts them

    @property
    def incomplete(self) -> bool:
        return self.total > len(self.documents)

    def without(self, ids: set[int]) -> Drafts:
        """The list less `ids` (finalized meanwhile), the count less as many."""
        return Drafts(
            documents=tuple(d for d in self.documents if d.id not in ids),
            total=max(self.total - len(ids), 0),
        )


def finalize_order(doc: Document) -> tuple[dt.date, int]:
    """Date order, then id: InvoiceXpress refuses a date earlier than the series' last."""
    return (doc.date or dt.date.max, doc.id)


def can_finalize(doc: Document) -> bool:
    return Action.FINALIZE in table_actions(doc) and doc.type.path in GETTABLE_TYPE_PATHS


def list_drafts(account: Account) -> Drafts:
    """Every draft of the company (up to MAX_DRAFT_PAGES pages), oldest first.

    The list comes newest first: reading only its first page would leave the oldest drafts
    out, and finalizing the newer ones first would block those for good.
    """
    client = account.client()
    page = client.list_documents(statuses=["draft"], per_page=DRAFTS_PER_PAGE)
    documents = list(page.documents)
    number = 1
    while number < min(page.total_pages, MAX_DRAFT_PAGES):
        number += 1
        documents += client.list_documents(
            statuses=["draft"], per_page=DRAFTS_PER_PAGE, page=number
        ).documents
    unique = {d.id: d for d in documents if d.is_draft}  # a page may shift while we read
    return Drafts(
        documents=tuple(sorted(unique.values(), key=finalize_order)),
        total=max(page.total_entries, len(unique)),
    )


class BulkOutcome(StrEnum):
    FINALIZED = "finalized"
    REFUSED = "refused"
    UNKNOWN = "unknown"
    NOT_ATTEMPTED = "not_attempted"
    SKIPPED = "skipped"  # no longer a draft (or not finalizable)


def series_key(doc: Document) -> tuple[str, str]:
    return (doc.type.name, doc.sequence_id)


def same_series(key: tuple[str, str], doc: Document) -> bool:
    """Whether `doc` may be numbered on the series `key` names.

    A draft without a sequence_id is numbered on whatever series is the default when it is
    finalized, so it may share a series with any draft of its type: hold it back too.
    """
    kind, sequence_id = series_key(doc)
    return kind == key[0] and (sequence_id == key[1] or not sequence_id or not key[1])


def draft_data(doc: Document) -> dict[str, Any]:
    """What a job item keeps of its draft: enough to show it and to know its series."""
    return {
        "type": doc.type.path,
        "kind": doc.type.name,
        "label": document_ref(doc.type, doc.id),  # the type named in the reader's language
        "sequence_id": doc.sequence_id,
        "date": doc.date.isoformat() if doc.date else "",
        "client": doc.client.name if doc.client else "",
    }


def finalized_data(doc: Document | None) -> dict[str, Any]:
    if doc is None:
        return {}
    return {"number": doc.display_number, "atcud": doc.atcud or "", "type": doc.type.path}


def bulk_finalize_start(
    *, account: Account, user: Any, drafts: Drafts, selected: Iterable[int]
) -> Job:
    """A job finalizing the selected drafts, in finalize order (ids no longer listed last)."""
    wanted = set(selected)
    chosen = [d for d in drafts.documents if d.id in wanted]  # already in finalize order
    listed = {d.id for d in chosen}
    items = [(str(d.id), draft_data(d)) for d in chosen]
    items += [(str(i), {"label": str(i)}) for i in sorted(wanted - listed)]
    return job_start(account=account, user=user, kind=Job.Kind.BULK_FINALIZE, items=items)


def bulk_finalize_run(job: Job, lease: Lease) -> dict[str, int]:
    """The job's body: finalize every pending item, oldest first, one at a time.

    A refusal or an unknown outcome holds back the later drafts of the same type and series:
    finalizing one of them would date the series past the failed draft, which InvoiceXpress
    would then refuse for good. Other series go on. A 401, an unreachable service or a 429
    that outlasted its retries stops the batch (the rest would fail the same way); what is
    not tried is recorded as not attempted, with the reason.
    """
    account = job.account
    user = job.started_by
    items = list(job.items.all())
    for item in items:
        if item.outcome == JobItem.STARTED:
            _recognise(job, lease, item)
    pending = [i for i in items if i.outcome == JobItem.PENDING]
    if not pending:
        return outcome_counts(job)
    try:
        drafts = list_drafts(account)
    except InvoiceXpressError as exc:
        failure, said = failure_sentences(exc)
        not_listed = [
            sentence(gettext_noop("Not attempted: the drafts could not be listed.")),
            *failure,
        ]
        for item in pending:
            item.record(BulkOutcome.NOT_ATTEMPTED, message=not_listed, said=said)
        return outcome_counts(job)
    by_id = {d.id: d for d in drafts.documents}
    held: list[tuple[tuple[str, str], str]] = [
        ((i.data.get("kind", ""), i.data.get("sequence_id", "")), i.data.get("label", i.key))
        for i in items
        if i.outcome in (BulkOutcome.REFUSED, BulkOutcome.UNKNOWN)
    ]
    stopped: list[dict[str, Any]] = []
    pending.sort(
        key=lambda i: finalize_order(by_id[int(i.key)]) if int(i.key) in by_id else (dt.date.max, 0)
    )
    for item in pending:
        draft = by_id.get(int(item.key))
        if draft is None:
            item.record(
                BulkOutcome.SKIPPED,
                message=[
                    sentence(
                        gettext_noop(
                            "No longer a draft (finalized or deleted meanwhile): left alone."
                        )
                    )
                ],
            )
        elif not can_finalize(draft):
            item.record(
                BulkOutcome.SKIPPED,
                message=[sentence(gettext_noop("Cannot be finalized here."))],
            )
        elif stopped:
            item.record(BulkOutcome.NOT_ATTEMPTED, message=stopped)
        elif blocker := next((label for key, label in held if same_series(key, draft)), None):
            item.record(
                BulkOutcome.NOT_ATTEMPTED,
                message=[
                    sentence(
                        gettext_noop(
                            "Not attempted: an earlier draft of this series (%(draft)s) could "
                            "not be finalized, and finalizing a later one would block it for "
                            "good."
                        ),
                        draft=blocker,
                    )
                ],
            )
        else:
            lease.check()  # never write for a job another worker has taken over
            item.data = draft_data(draft)
            item.outcome = JobItem.STARTED
            item.save(update_fields=["data", "outcome", "updated_at"])
            result = document_change_state(
                account=account, user=user, doc=draft, action=Action.FINALIZE
            )
            if result.ok:
                outcome = BulkOutcome.FINALIZED
            elif result.unknown:
                outcome = BulkOutcome.UNKNOWN
            else:
                outcome = BulkOutcome.REFUSED
            # Our sentences as the audit log stores them (codes), the service's words apart.
            item.record(
                outcome,
                message=[] if result.ok else list(result.audit),
                said="" if result.ok else result.said,
                result=finalized_data(result.document),
            )
            if result.stops_batch:
                stopped = [
                    sentence(
                        gettext_noop("Not attempted: the batch stopped after the error above.")
                    )
                ]
            elif not result.ok:
                held.append((series_key(draft), item.data["label"]))
        lease.progress()
    return outcome_counts(job)


def _recognise(job: Job, lease: Lease, item: JobItem) -> None:
    """An earlier run sent this finalize and stopped before recording the answer (its
    worker died): read the document again, and never finalize it a second time."""
    kind = item.data.get("type", "invoices")
    try:
        doc = job.account.client().get_document(kind, int(item.key))
    except InvoiceXpressError as exc:
        failure, said = failure_sentences(exc)
        item.record(
            BulkOutcome.UNKNOWN,
            message=[
                *failure,
                sentence(
                    gettext_noop("A run stopped while finalizing it: check it before trying again.")
                ),
            ],
            said=said,
        )
        lease.progress()
        return
    if doc.is_draft:
        # The write never arrived (or was refused): it is simply still to do.
        item.record(JobItem.PENDING)
        return
    AuditEntry.record(
        account=job.account,
        user=job.started_by,
        action=SPECS[Action.FINALIZE].audit_action,
        outcome=AuditEntry.Outcome.OK,
        document_type=doc.type.name,
        document_id=doc.id,
        target=doc.issued_number,
        sentences=[
            sentence(
                gettext_noop(
                    "Finalized by a run of job %(job)s that stopped before recording it; read "
                    "again from InvoiceXpress, not sent twice."
                ),
                job=job.pk,
            )
        ],
    )
    item.record(
        BulkOutcome.FINALIZED,
        message=[
            sentence(
                gettext_noop("Finalized before the worker restarted (read again, not sent twice).")
            )
        ],
        result=finalized_data(doc),
    )
    lease.progress()


def draft_rows(account: Account, drafts: Drafts, selected: set) -> list[dict[str, Any]]:
    """The checkbox table's rows (`selected` holds ints, or strings when read from a POST)."""
    return [
        {
            "doc": doc,
            "finalizable": can_finalize(doc),
            "checked": doc.id in selected or str(doc.id) in selected,
            "url": document_url(account, doc.type.path, doc.id)
            if doc.type.path in GETTABLE_TYPE_PATHS
            else "",
        }
        for doc in drafts.documents
    ]
