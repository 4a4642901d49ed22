"""SAF-T orchestration: request an export, and advance a pending one by one upstream check.

`export_advance` is the single code path the status view (htmx polling) and the
`saft_poll` command share. It asks InvoiceXpress at most once per poll interval per export,
whoever calls it and however many call it at once (`SaftExport.claim_check`), and applies a
result only while the export is still pending, so nothing is downloaded or finished twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from invoices.formatting import pt_date
from invoices.invoicexpress.client import InvoiceXpressClient
from invoices.invoicexpress.errors import (
    BadResponse,
    InvoiceXpressError,
    NotFound,
    RateLimited,
    ServerError,
    Unauthorized,
    Unreachable,
)
from invoices.models import Account, AuditEntry
from invoices.sentences import failure_sentences, sentence, word
from saft.archive import SaftFileError, read_saft_zip, sha256_of
from saft.models import SaftExport
from saft.periods import Period
from saft.reconciliation import TooManyDocuments, reconcile, upstream_month_documents
from saft.report import Reconciliation, ValidationReport
from saft.validation import FileDocument, validate_saft

logger = logging.getLogger(__name__)


class AdvanceState:
    READY = "ready"
    FAILED = "failed"
    PENDING = "pending"  # asked; still generating (or a passing failure, see `transient`)
    SKIPPED = "skipped"  # someone else asked within this interval; the service was left alone
    FINISHED = "finished"  # was not pending any more: nothing to do


@dataclass(frozen=True)
class Advance:
    state: str
    # The export's message: our sentence items (translated when shown), and the service's.
    message: list[dict[str, Any]] = field(default_factory=list)
    said: str = ""
    called: bool = False  # InvoiceXpress was asked during this call
    transient: bool = False  # the check failed in passing (timeout, 5xx): it stays pending


@dataclass(frozen=True)
class RequestOutcome:
    export: SaftExport
    joined: bool  # an export of that month was already generating: this request joined it
    advance: Advance | None = None


def poll_interval() -> dt.timedelta:
    return dt.timedelta(seconds=settings.IXPORTAL_SAFT_POLL_SECONDS)


def max_wait() -> dt.timedelta:
    return dt.timedelta(seconds=settings.IXPORTAL_SAFT_MAX_WAIT_SECONDS)


def saft_client(account: Account) -> InvoiceXpressClient:
    client = account.client()
    # One poll is one upstream call: the next poll is the retry. The client's own GET
    # retries would turn one check into three and blur the once-per-interval promise.
    client.retries = 0
    return client


def export_request(
    *, account: Account, user, period: Period, client: InvoiceXpressClient | None = None
) -> RequestOutcome:
    """Ask for `period`'s SAF-T: join the pending export of that month, or start a new one.

    A new export is asked about at once, inside the request, so a refused period (422) or a
    wrong key (401) shows on the page straight away. A finished export is never reused:
    asking again creates a new export beside it, so the history keeps every file.
    """
    export, joined = _create_or_join(account=account, user=user, period=period)
    if joined:
        return RequestOutcome(export=export, joined=True)
    advance = export_advance(export=export, client=client)
    _audit_request(account=account, user=user, export=export, advance=advance)
    return RequestOutcome(export=export, joined=False, advance=advance)


def export_queue(*, account: Account, user, period: Period) -> RequestOutcome:
    """Like `export_request`, without asking InvoiceXpress: the new export waits, pending.

    For requests that span many companies: asking each one's InvoiceXpress (and maybe
    downloading its file) inside one web request could outlast the worker's timeout. The
    export's first check is its row's next poll, or the `saft_poll` command's next run.
    """
    export, joined = _create_or_join(account=account, user=user, period=period)
    if not joined:
        _audit_queued(account=account, user=user, export=export)
    return RequestOutcome(export=export, joined=joined)


def _create_or_join(*, account: Account, user, period: Period) -> tuple[SaftExport, bool]:
    """The month's pending export (joined, audited) or a new one; True when joined.

    The database's conditional unique constraint settles a race between two requests; the
    loser joins the winner's export.
    """
    for _attempt in range(3):
        existing = SaftExport.objects.pending().for_period(period).filter(account=account).first()
        if existing is not None:
            _audit_join(account=account, user=user, export=existing)
            return existing, True
        try:
            with transaction.atomic():
                export = SaftExport.objects.create(
                    account=account,
                    year=period.year,
                    month=period.month,
                    requested_by=user if getattr(user, "pk", None) else None,
                )
        except IntegrityError:
            continue  # another request created it a moment ago: join that one
        export.account = account
        return export, False
    raise RuntimeError("could not create or join a pending SAF-T export")  # pragma: no cover


def export_advance(
    *,
    export: SaftExport,
    client: InvoiceXpressClient | None = None,
    now: dt.datetime | None = None,
) -> Advance:
    """Move a pending export one step: ask InvoiceXpress once, apply what it said.

    Past the maximum wait it still asks, once more: nobody may have polled for a while (a
    closed tab, no cron), and the file may be ready. Only if InvoiceXpress is still
    generating, or the check does not get through, does the export fail.

    Leaves `export` refreshed from the database, whatever happened, so the caller can
    render it.
    """
    now = now or timezone.now()
    if not export.is_pending:
        return Advance(AdvanceState.FINISHED, export.message, export.said)

    if not export.claim_check(now=now, interval=poll_interval()):
        export.refresh_from_db()
        return Advance(AdvanceState.SKIPPED, export.message, export.said)

    client = client or saft_client(export.account)
    try:
        result = client.export_saft(month=export.month, year=export.year)
    except ServerError as exc:
        if exc.status == 500:  # the service says generation failed: a new request is needed
            return _failed_upstream(
                export,
                exc,
                sentence(gettext_noop("The generation failed: request the SAF-T again.")),
                now=now,
            )
        return _keep_pending(export, exc, now=now)
    except (Unreachable, RateLimited, BadResponse) as exc:
        return _keep_pending(export, exc, now=now)
    except Unauthorized as exc:
        return _failed_upstream(
            export,
            exc,
            sentence(
                gettext_noop(
                    "A manager must correct the company's API key, then request the SAF-T again."
                )
            ),
            now=now,
        )
    except InvoiceXpressError as exc:  # Rejected (422, a bad period), 404, 406, 409: final
        return _failed_upstream(export, exc, now=now)

    if not result.ready:
        if _waited_too_long(export, now):
            return _give_up(export, now=now)
        # Our words as a code (translated when shown), the service's own kept apart, quoted.
        export.note_progress(
            [sentence(gettext_noop("InvoiceXpress is generating the file."))], said=result.message
        )
        export.refresh_from_db()
        _log(export, "generating")
        return Advance(AdvanceState.PENDING, export.message, export.said, called=True)
    return _archive(export, client, result.url, now=now)


def advance_pending_exports() -> dict[str, int]:
    """Advance every pending export once (the periodic job and `saft_poll` run this).

    Safe from any number of workers at once: each export is asked about at most once per
    poll interval, whoever asks. One bad export does not stop the others.
    """
    counts: dict[str, int] = {}
    exports = SaftExport.objects.pending().select_related("account").order_by("requested_at")
    # A list, not a cursor held open across slow upstream calls.
    for export in list(exports):
        try:
            state = export_advance(export=export).state
        except Exception:
            logger.exception("SAF-T export #%s could not be advanced", export.pk)
            state = "error"
        counts[state] = counts.get(state, 0) + 1
    return counts


def _archive(
    export: SaftExport, client: InvoiceXpressClient, url: str, *, now: dt.datetime
) -> Advance:
    """Download the file at once (the link may expire), check it, keep it in our storage."""
    if not url.lower().startswith(("https://", "http://")):
        return _finish_failed(
            export,
            [sentence(gettext_noop("InvoiceXpress sent a SAF-T link the dashboard cannot open."))],
            now=now,
        )
    try:
        content = client.download(url)
    except NotFound as exc:
        # An expired link: the next check asks for a fresh one.
        expired = sentence(
            gettext_noop("The file link from InvoiceXpress has expired or is gone (404).")
        )
        return _keep_pending(export, exc, now=now, reason=[expired])
    except Unreachable as exc:
        # A dropped connection: the next check asks for a fresh link.
        return _keep_pending(export, exc, now=now)
    except BadResponse as exc:
        if exc.status:  # an HTTP error from the file host: passing
            return _keep_pending(export, exc, now=now)
        # Too large: it will not change.
        return _finish_failed(
            export,
            [
                sentence(
                    gettext_noop(
                        "The file from InvoiceXpress is larger than the dashboard accepts."
                    )
                )
            ],
            now=now,
        )
    except InvoiceXpressError as exc:
        return _keep_pending(export, exc, now=now)

    try:
        summary = read_saft_zip(content)
    except SaftFileError as exc:
        return _reject_file(export, exc.sentence, now=now)
    except Exception:
        # The checker reads hostile bytes. Whatever else it trips on, the same file would
        # trip it on every later check: fail now rather than re-download it on every poll.
        logger.exception("saft export %s: reading the SAF-T file failed unexpectedly", export.pk)
        return _reject_file(
            export, sentence(gettext_noop("The file is not a readable SAF-T.")), now=now
        )
    # A file of the wrong month or with a wrong count is still archived: it is evidence of
    # what InvoiceXpress produced. Its validation says what is wrong and flags it invalid.
    archived = export.mark_ready(
        content=content, sha256=sha256_of(content), summary=summary, now=now
    )
    export.refresh_from_db()
    _log(export, export.status)
    if archived:
        _validate_now_or_as_a_job(export, client)
    return Advance(export.status, export.message, export.said, called=True)


# ---- validation ----------------------------------------------------------------------------


def validates_inline(export: SaftExport) -> bool:
    """Small files are validated right after archiving, inside the request that archived them.

    Larger ones are validated by a background job (`saft.jobs`; the `saft_validate`
    command can still check any unvalidated file by hand). Both the file's size (the
    validation's time) and its number of documents (the upstream list pages, 100 documents
    a call) are bounded.
    """
    return (export.size or 0) <= settings.IXPORTAL_SAFT_VALIDATE_INLINE_BYTES and (
        export.number_of_entries or 0
    ) <= settings.IXPORTAL_SAFT_VALIDATE_INLINE_DOCUMENTS


def _validate_now_or_as_a_job(export: SaftExport, client: InvoiceXpressClient | None) -> None:
    """Small files are checked here and now; larger ones by a background job."""
    if validates_inline(export):
        export_validate(export=export, client=client)
    else:
        from saft.jobs import validation_start

        validation_start(export)


def export_validate(
    *,
    export: SaftExport,
    client: InvoiceXpressClient | None = None,
    progress: Callable[[int], None] | None = None,
    reconcile_upstream: bool = True,
) -> ValidationReport:
    """Validate an archived export, reconcile it with InvoiceXpress's list, store the result.

    The unit of work for a background job: no request, no user; safe to run again (the
    latest result replaces the previous one). `progress` gets the documents checked so far.
    """
    account = export.account
    documents: list[FileDocument] = []
    with export.file.open("rb") as stored, zipfile.ZipFile(stored) as archive:
        # The archive step admitted exactly one XML member within the size caps.
        member = next(m for m in archive.infolist() if m.filename.lower().endswith(".xml"))
        with archive.open(member) as xml:
            report = validate_saft(
                xml,
                company_nif=account.nif,
                year=export.year,
                month=export.month,
                progress=progress,
                documents=documents,
            )
    if reconcile_upstream:
        report.reconciliation = _reconciliation(export, documents, client)
    export.record_validation(report)
    logger.info("saft export %s validated: %s", export.pk, report.verdict)
    return report


class NifConfirm:
    RECORDED = "recorded"
    ALREADY_SET = "already_set"
    NOTHING_TO_CONFIRM = "nothing"


def nif_on_offer(export: SaftExport) -> str:
    """The NIF this export's header offers for confirmation, or "" (NIF set, or none valid)."""
    report = export.report
    if export.account.nif or report is None:
        return ""
    nif = report.tax_registration_number
    return nif if nif and validate_nif_quietly(nif) else ""


def validate_nif_quietly(nif: str) -> bool:
    from stdnum.pt import nif as pt_nif

    return bool(pt_nif.is_valid(nif))


def account_nif_confirm(*, account: Account, export: SaftExport, user) -> str:
    """Record the NIF of `export`'s header as the company's, audited; re-check the file."""
    nif = nif_on_offer(export)
    if not nif:
        return NifConfirm.ALREADY_SET if account.nif else NifConfirm.NOTHING_TO_CONFIRM
    if not account.set_nif_if_empty(nif):
        account.refresh_from_db(fields=["nif"])
        return NifConfirm.ALREADY_SET
    AuditEntry.record(
        account=account,
        user=user,
        action="account.nif",
        outcome=AuditEntry.Outcome.OK,
        target=nif,
        sentences=[
            sentence(
                gettext_noop(
                    "Company NIF confirmed from the header of SAF-T export #%(id)s (%(period)s)."
                ),
                id=export.pk,
                period=export.period.key,
            )
        ],
    )
    export.account = account
    _validate_now_or_as_a_job(export, None)
    return NifConfirm.RECORDED


def _reconciliation(
    export: SaftExport, documents: list[FileDocument], client: InvoiceXpressClient | None
) -> Reconciliation:
    client = client or export.account.client()
    try:
        listed = upstream_month_documents(client, export.period)
    except InvoiceXpressError as exc:
        failure, said = failure_sentences(exc)
        return Reconciliation(failure=tuple(failure), said=said)
    except TooManyDocuments:
        return Reconciliation(
            failure=(
                sentence(
                    gettext_noop(
                        "InvoiceXpress lists too many documents for this month to reconcile."
                    )
                ),
            )
        )
    return reconcile(documents, listed)


def _reject_file(export: SaftExport, reason: dict[str, Any], *, now: dt.datetime) -> Advance:
    return _finish_failed(
        export,
        [
            sentence(
                gettext_noop("The SAF-T file from InvoiceXpress failed the dashboard's checks.")
            ),
            reason,
        ],
        now=now,
    )


def _waited_too_long(export: SaftExport, now: dt.datetime) -> bool:
    started = export.first_checked_at  # set by the claim that let this check through
    return started is not None and now - started > max_wait()


_LAST_CHECK_FAILED = gettext_noop("The last check did not get through:")


def _give_up(
    export: SaftExport, *, now: dt.datetime, problem: InvoiceXpressError | None = None
) -> Advance:
    minutes = max(1, round(max_wait().total_seconds() / 60))
    message = [
        sentence(
            gettext_noop(
                "InvoiceXpress did not finish this SAF-T within %(minutes)s minutes, so the "
                "dashboard stopped waiting. Request it again."
            ),
            minutes=minutes,
        )
    ]
    said = ""
    if problem is not None:
        failure, said = failure_sentences(problem)
        message += [sentence(_LAST_CHECK_FAILED), *failure]
    return _finish_failed(export, message, said=said, now=now)


def _keep_pending(
    export: SaftExport,
    exc: InvoiceXpressError,
    *,
    now: dt.datetime,
    reason: list[dict[str, Any]] | None = None,
) -> Advance:
    """A passing failure (`reason`: our sentences for it, when better than its kind's)."""
    if _waited_too_long(export, now):
        return _give_up(export, now=now, problem=exc)
    failure, said = failure_sentences(exc)
    failure = reason or failure
    export.note_progress(
        [
            sentence(_LAST_CHECK_FAILED),
            *failure,
            sentence(gettext_noop("The dashboard keeps trying.")),
        ],
        said=said,
    )
    export.refresh_from_db()
    _log(export, "still pending after a failed check")
    return Advance(AdvanceState.PENDING, export.message, export.said, called=True, transient=True)


def _failed_upstream(
    export: SaftExport,
    exc: InvoiceXpressError,
    *then: dict[str, Any],
    now: dt.datetime,
) -> Advance:
    """A final refusal: our sentence for its kind (and `then`), the service's words quoted."""
    failure, said = failure_sentences(exc)
    return _finish_failed(export, [*failure, *then], said=said, now=now)


def _finish_failed(
    export: SaftExport, message: list[dict[str, Any]], *, said: str = "", now: dt.datetime
) -> Advance:
    export.mark_failed(message, said=said, now=now)
    export.refresh_from_db()  # if another caller finished it first, theirs is the truth
    _log(export, export.status)
    return Advance(export.status, export.message, export.said, called=True)


def _log(export: SaftExport, outcome: str) -> None:
    # Never the file link: it may carry a token.
    logger.info(
        "saft export %s %s %s: %s (check %s)",
        export.pk,
        export.account.slug,
        export.period.key,
        outcome,
        export.attempts,
    )


# ---- audit ------------------------------------------------------------------------------


def _audit(
    *, account: Account, user, export: SaftExport, outcome: str, sentences: list, said: str = ""
) -> None:
    AuditEntry.record(
        account=account,
        user=user,
        action="saft.request",
        outcome=outcome,
        target=export.period.key,
        sentences=sentences,
        said=said,
    )


def _status_word(export: SaftExport) -> dict[str, str]:
    # The status's msgid (its label with no language active), translated when shown.
    with translation.override(None):
        return word(str(export.get_status_display()))


def _audit_request(*, account: Account, user, export: SaftExport, advance: Advance) -> None:
    if advance.state == AdvanceState.FAILED:
        outcome = AuditEntry.Outcome.FAILED
    elif advance.transient:
        outcome = AuditEntry.Outcome.UNKNOWN  # no answer: generation may or may not have begun
    else:
        outcome = AuditEntry.Outcome.OK
    status = sentence(
        gettext_noop("Export #%(id)s: %(status)s."), id=export.pk, status=_status_word(export)
    )
    # The export's message (our sentences, after this one) and InvoiceXpress's own words.
    _audit(
        account=account,
        user=user,
        export=export,
        outcome=outcome,
        sentences=[status, *export.message],
        said=export.said,
    )


def _audit_queued(*, account: Account, user, export: SaftExport) -> None:
    queued = sentence(
        gettext_noop("Export #%(id)s: queued; InvoiceXpress is asked on its first check."),
        id=export.pk,
    )
    _audit(
        account=account,
        user=user,
        export=export,
        outcome=AuditEntry.Outcome.OK,
        sentences=[queued],
    )


def _audit_join(*, account: Account, user, export: SaftExport) -> None:
    joined = sentence(
        gettext_noop("Joined export #%(id)s, already generating since %(since)s."),
        id=export.pk,
        since=pt_date(timezone.localtime(export.requested_at)),
    )
    _audit(
        account=account,
        user=user,
        export=export,
        outcome=AuditEntry.Outcome.OK,
        sentences=[joined],
    )
