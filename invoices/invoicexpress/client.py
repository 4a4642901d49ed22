"""The InvoiceXpress API v2 client: the only module in ixportal that speaks HTTP.

One client per account over one shared `requests.Session` (connection reuse), a
`(connect, read)` timeout on every call, and one `_request()` choke point that turns every
failure into a typed error from `invoices.invoicexpress.errors`. The API key travels in the query
string, so no URL ever reaches a message, a log line or an error page: messages are built
here, requests' exceptions are dropped (`from None`), and paths are logged without query.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
import threading
import time
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Protocol

import requests
import urllib3
from django.conf import settings
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables
from urllib3.exceptions import ReadTimeoutError

from invoices.invoicexpress.document_types import FAMILIES, document_type
from invoices.invoicexpress.errors import (
    BadResponse,
    NotFound,
    Unreachable,
    error_for,
)
from invoices.invoicexpress.records import (
    Client,
    ClientPage,
    Document,
    DocumentPage,
    PdfResult,
    SaftResult,
    Tax,
    format_date,
    to_int,
)
from invoices.invoicexpress.sequences import Sequence

logger = logging.getLogger(__name__)

USER_AGENT = "ixportal/0.1 (+InvoiceXpress dashboard)"
MAX_DOWNLOAD_BYTES = 200 * 1024 * 1024  # a SAF-T zip of a busy year stays well below


class AccountCredentials(Protocol):
    """What the client needs of an account (`invoices.models.Account`, not imported here)."""

    @property
    def api_base_url(self) -> str: ...

    @property
    def api_key(self) -> str: ...

    @property
    def slug(self) -> str: ...


class Budget(Protocol):
    """The shared upstream budget every request passes through before it leaves.

    `acquire(key)` returns when one request to the account `key` may go, or raises
    `errors.Busy` (nothing sent). The implementation lives outside this package
    (`invoices.upstream_budget`, installed by `InvoicesConfig.ready`), so the client knows
    nothing of Redis, the database or who is waiting.
    """

    def acquire(self, key: str) -> None: ...


_budget: Budget | None = None


def set_budget(budget: Budget | None) -> None:
    global _budget
    _budget = budget


_session_lock = threading.Lock()
_session: requests.Session | None = None


def shared_session() -> requests.Session:
    """One Session per process: keeps TLS connections to InvoiceXpress alive between calls."""
    global _session
    with _session_lock:
        if _session is None:
            session = requests.Session()
            adapter = requests.adapters.HTTPAdapter(
                pool_connections=16, pool_maxsize=32, max_retries=0
            )
            session.mount("https://", adapter)
            session.mount("http://", adapter)
            session.headers.update({"Accept": "application/json", "User-Agent": USER_AGENT})
            _session = session
        return _session


class _Answer:
    """A finished HTTP exchange, reduced to what callers may see (no URL)."""

    __slots__ = ("status", "text", "content_type")

    def __init__(self, status: int, text: str, content_type: str) -> None:
        self.status = status
        self.text = text
        self.content_type = content_type

    def json(self) -> Any:
        if not self.text.strip():
            return None
        if "html" in self.content_type.lower() or self.text.lstrip().startswith("<"):
            raise BadResponse(
                _("InvoiceXpress answered with a web page instead of data (HTTP %(status)s).")
                % {"status": self.status}
            )
        try:
            # Numbers straight to Decimal: money never passes through float.
            return json.loads(self.text, parse_float=Decimal)
        except ValueError:
            raise BadResponse(
                _("InvoiceXpress sent a reply that is not valid JSON (HTTP %(status)s).")
                % {"status": self.status}
            ) from None


class InvoiceXpressClient:
    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: tuple[float, float] | None = None,
        retries: int | None = None,
        backoff: float | None = None,
        write_deadline: float | None = None,
        session: requests.Session | None = None,
        label: str = "",
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._api_key = api_key  # decrypted; never logged, never in repr
        # Annotated: the settings come from django-environ, which is untyped (Any).
        self.timeout: tuple[float, float] = timeout or (
            settings.IXPORTAL_CONNECT_TIMEOUT,
            settings.IXPORTAL_READ_TIMEOUT,
        )
        self.retries: int = settings.IXPORTAL_GET_RETRIES if retries is None else retries
        self.backoff: float = settings.IXPORTAL_RETRY_BACKOFF if backoff is None else backoff
        self.write_deadline: float = (
            settings.IXPORTAL_WRITE_DEADLINE if write_deadline is None else write_deadline
        )
        self.session = session or shared_session()
        self.label = label or self.base_url
        # The account's identity for the shared budget: its base URL names the
        # InvoiceXpress account (never the key, which may rotate and must not be stored).
        self.budget_key = self.base_url
        self.calls = 0  # upstream requests made by this client (for benchmarks and tests)

    @classmethod
    def for_account(cls, account: AccountCredentials) -> InvoiceXpressClient:
        return cls(account.api_base_url, account.api_key, label=account.slug)

    def __repr__(self) -> str:
        return f"<InvoiceXpressClient {self.label}>"

    # ---- the choke point -------------------------------------------------------------

    @sensitive_variables("params", "query", "url")
    def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
        body: Any = None,
        ok: Iterable[int] = (200, 201),
    ) -> _Answer:
        """Send one request (retrying where safe) and return the answer, or raise typed.

        GETs retry 429, 5xx and connection failures with bounded exponential backoff (not a
        read timeout: the service is slow, not gone). A write (POST, PUT) makes one attempt
        bounded by `write_deadline` seconds in all (connecting, waiting, reading the body);
        past it, it is a timeout, whose outcome the caller reports as unknown ("check, then
        retry safely"). A write is resent only after a 429, which the service answers before
        doing anything, and only while the deadline leaves time for it.
        """
        query = list(params.items()) if isinstance(params, Mapping) else list(params or [])
        query.append(("api_key", self._api_key))
        url = f"{self.base_url}/{path.lstrip('/')}"
        is_read = method == "GET"
        deadline = None if is_read else time.monotonic() + self.write_deadline
        attempt = 0
        while True:
            try:
                answer = self._send(method, url, query, body, deadline)
            except Unreachable as exc:
                # A read timeout is not retried: the service is slow, not gone, and three
                # 20-second waits would hold the page for a minute.
                if is_read and not exc.timed_out and attempt < self.retries:
                    attempt += 1
                    self._sleep(attempt)
                    continue
                raise
            retryable = answer.status == 429 or (is_read and answer.status >= 500)
            if retryable and deadline is not None:
                # Another try must fit before the deadline, pause included.
                retryable = time.monotonic() + self._delay(attempt + 1) * 1.25 < deadline
            if retryable and attempt < self.retries:
                attempt += 1
                self._sleep(attempt)
                continue
            if answer.status in ok:
                return answer
            raise error_for(answer.status, answer.text)

    @sensitive_variables("query", "url")
    def _send(
        self,
        method: str,
        url: str,
        query: list[tuple[str, Any]],
        body: Any,
        deadline: float | None = None,
    ) -> _Answer:
        self._spend_budget()
        started = time.monotonic()
        self.calls += 1
        failure: Unreachable | None = None
        timeout = self.timeout
        if deadline is not None:
            # requests' read timeout is per socket read, not for the whole answer: cap each
            # wait at what is left, and check the clock between the body's chunks.
            left = max(deadline - started, 0.001)
            timeout = (min(self.timeout[0], left), min(self.timeout[1], left))
        try:
            response = self.session.request(
                method,
                url,
                params=query,
                data=None if body is None else json.dumps(body, default=_json_default),
                headers={"Content-Type": "application/json"} if body is not None else None,
                timeout=timeout,
                allow_redirects=False,
                stream=deadline is not None,
            )
            text = response.text if deadline is None else _read_until(response, deadline)
        except _PastDeadline:
            failure = Unreachable(
                _("InvoiceXpress did not answer in time. Try again in a moment."),
                timed_out=True,
            )
        except requests.ConnectTimeout:
            # Never connected, so nothing was sent: the same as a refused connection.
            failure = Unreachable(
                _(
                    "InvoiceXpress cannot be reached (connection failed). Check the network or the company's base URL."
                )
            )
        except requests.Timeout:
            failure = Unreachable(
                _("InvoiceXpress did not answer in time. Try again in a moment."),
                timed_out=True,
            )
        except requests.ConnectionError:
            failure = Unreachable(
                _(
                    "InvoiceXpress cannot be reached (connection failed). Check the network or the company's base URL."
                )
            )
        except requests.RequestException:
            failure = Unreachable(
                _("The request to InvoiceXpress failed before an answer came back.")
            )
        if failure is not None:
            # Raised outside the except block: requests' exception (whose text holds the
            # full URL, API key included) must not survive even as __context__.
            self._log(method, url, "timeout" if failure.timed_out else "unreachable", started)
            raise failure
        self._log(method, url, response.status_code, started)
        return _Answer(response.status_code, text, response.headers.get("Content-Type", ""))

    def _spend_budget(self) -> None:
        """Every attempt (retries included) waits for the account's shared budget first."""
        if _budget is not None:
            _budget.acquire(self.budget_key)

    def _log(self, method: str, url: str, outcome: Any, started: float) -> None:
        # The path only: the query string carries the API key, and file links carry tokens.
        path = (
            url[len(self.base_url) :].split("?", 1)[0]
            if url.startswith(self.base_url)
            else "(file)"
        )
        logger.info(
            "invoicexpress %s %s %s -> %s in %.0f ms",
            self.label,
            method,
            path,
            outcome,
            (time.monotonic() - started) * 1000,
        )

    def _delay(self, attempt: int) -> float:
        return min(self.backoff * 2.0 ** (attempt - 1), 8.0)

    def _sleep(self, attempt: int) -> None:
        # jitter: workers don't retry in step
        time.sleep(self._delay(attempt) * (0.75 + random.random() / 2))

    def _data(self, answer: _Answer, root: str) -> Any:
        data = answer.json()
        if not isinstance(data, dict) or root not in data:
            raise BadResponse(_("InvoiceXpress sent a reply without its expected contents."))
        return data[root]

    # ---- documents -------------------------------------------------------------------

    def list_documents(
        self,
        *,
        text: str = "",
        types: Iterable[str] = (),
        statuses: Iterable[str] = (),
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        due_date_from: dt.date | None = None,
        due_date_to: dt.date | None = None,
        total_before_taxes_from: Decimal | None = None,
        total_before_taxes_to: Decimal | None = None,
        archived: bool | None = None,
        non_archived: bool | None = None,
        reference: str = "",
        page: int = 1,
        per_page: int = 10,
        family: str = "invoices",
    ) -> DocumentPage:
        """`GET /invoices.json` with the list page's filters (every type unless `types`).

        `family`: "estimates" or "guides" asks `GET /estimates.json` or `/guides.json`,
        which take the same filters and answer under their own root.
        """
        if family not in FAMILIES:
            raise ValueError(f"Unknown document family: {family!r}")
        params: list[tuple[str, Any]] = []
        if text:
            params.append(("text", text))
        params += [("type[]", document_type(t).name) for t in types]
        params += [("status[]", s) for s in statuses]
        for key, day in (
            ("date[from]", date_from),
            ("date[to]", date_to),
            ("due_date[from]", due_date_from),
            ("due_date[to]", due_date_to),
        ):
            if day is not None:
                params.append((key, format_date(day)))
        for key, amount in (
            ("total_before_taxes[from]", total_before_taxes_from),
            ("total_before_taxes[to]", total_before_taxes_to),
        ):
            if amount is not None:
                params.append((key, f"{amount:.2f}"))
        if archived is not None:
            params.append(("archived", "true" if archived else "false"))
        if non_archived is not None:
            params.append(("non_archived", "true" if non_archived else "false"))
        if reference:
            params.append(("reference", reference))
        params += [("page", page), ("per_page", per_page)]
        answer = self._request("GET", f"{family}.json", params=params)
        return DocumentPage.from_api(answer.json(), root=family)

    def get_document(self, doc_type: str, doc_id: int) -> Document:
        kind = document_type(doc_type)
        answer = self._request("GET", f"{kind.path}/{int(doc_id)}.json")
        return Document.from_api(self._data(answer, kind.root))

    def related_documents(self, doc_type: str, doc_id: int) -> tuple[Document, ...]:
        """`GET /document/{id}/related_documents.json`: the credit notes, debit notes and
        receipts tied to a document, drafts included (callers filter on `status`).

        `doc_type` is the document's own type ("invoices" or "Invoice"); the path does not
        need it (singular `document`, underscore: the hyphenated per-type path some client
        libraries use does not exist), it only guards against asking with a wrong kind.
        """
        document_type(doc_type)  # ValueError for a type the client does not know
        answer = self._request("GET", f"document/{int(doc_id)}/related_documents.json")
        rows = self._data(answer, "documents")
        if not isinstance(rows, list):
            raise BadResponse(_("InvoiceXpress sent related documents in an unexpected shape."))
        return tuple(Document.from_api(row) for row in rows if isinstance(row, dict))

    def create_document(
        self, doc_type: str, invoice: Mapping[str, Any], *, proprietary_uid: str
    ) -> Document:
        """`POST /{type}.json`. `proprietary_uid` makes a resend answer 409, never a second document."""
        kind = document_type(doc_type)
        answer = self._request(
            "POST",
            f"{kind.path}.json",
            body={"invoice": dict(invoice), "proprietary_uid": proprietary_uid},
        )
        return Document.from_api(self._data(answer, kind.root))

    def change_state(self, doc_type: str, doc_id: int, state: str, message: str = "") -> Document:
        """`PUT /{type}/{id}/change-state.json`: finalized, deleted, canceled, settled, unsettled."""
        kind = document_type(doc_type)
        payload: dict[str, str] = {"state": state}
        if message:
            payload["message"] = message
        answer = self._request(
            "PUT",
            f"{kind.path}/{int(doc_id)}/change-state.json",
            body={"invoice": payload},
            ok=(200, 201, 204),
        )
        data = answer.json()
        if isinstance(data, dict) and isinstance(data.get(kind.root), dict):
            return Document.from_api(data[kind.root])
        # Some states (deleted) answer without a body: read the document back if it exists.
        return self.get_document(doc_type, doc_id)

    def update_document(self, doc_type: str, doc_id: int, invoice: Mapping[str, Any]) -> Document:
        """`PUT /{type}/{id}.json`: replaces a draft wholesale (send the client and every item).

        A document that is no longer a draft answers 422 (Rejected). 200 with the document
        or with an empty body: both happen, so an empty one reads the draft back.
        """
        kind = document_type(doc_type)
        answer = self._request(
            "PUT",
            f"{kind.path}/{int(doc_id)}.json",
            body={"invoice": dict(invoice)},
            ok=(200, 201, 204),
        )
        data = answer.json()
        if isinstance(data, dict) and isinstance(data.get(kind.root), dict):
            return Document.from_api(data[kind.root])
        return self.get_document(doc_type, doc_id)

    def register_payment(
        self,
        doc_id: int,
        *,
        amount: Decimal,
        payment_date: dt.date,
        mechanism: str,
        note: str = "",
        serie: str = "",
    ) -> Document:
        """`POST /documents/{id}/partial_payments.json`: a payment on an invoice (or simplified
        invoice) as a receipt. When the receipts reach the total, the invoice is settled.
        Never resent: it has no idempotency key, so a lost answer is the caller's to resolve.
        """
        payment: dict[str, Any] = {
            "payment_mechanism": mechanism,
            "amount": amount,
            "payment_date": payment_date,
        }
        if note:
            payment["note"] = note
        if serie:
            payment["serie"] = serie
        answer = self._request(
            "POST",
            f"documents/{int(doc_id)}/partial_payments.json",
            body={"partial_payment": payment},
        )
        return Document.from_api(self._data(answer, "receipt"), "Receipt")

    def cancel_receipt(self, receipt_id: int, reason: str) -> Document:
        """`PUT /receipts/{id}/change-state.json` (root "receipt"): the invoice is unsettled."""
        answer = self._request(
            "PUT",
            f"receipts/{int(receipt_id)}/change-state.json",
            body={"receipt": {"state": "canceled", "message": reason}},
            ok=(200, 201, 204),
        )
        data = answer.json()
        if isinstance(data, dict) and isinstance(data.get("receipt"), dict):
            return Document.from_api(data["receipt"], "Receipt")
        return self.get_document("receipts", receipt_id)

    def email_document(
        self,
        doc_type: str,
        doc_id: int,
        *,
        to: str,
        subject: str,
        body: str,
        cc: str = "",
        bcc: str = "",
        save_client_email: bool = False,
        logo: bool = False,
    ) -> None:
        """`PUT /{type}/{id}/email-document.json`. Success is a 200 with an EMPTY body, so
        nothing is parsed; 422 names the bad address ("Email: is an invalid email")."""
        kind = document_type(doc_type)
        message = {
            "client": {"email": to, "save": "1" if save_client_email else "0"},
            "subject": subject,
            "body": body,
            "cc": cc,
            "bcc": bcc,
            "logo": "1" if logo else "0",
        }
        self._request(
            "PUT",
            f"{kind.path}/{int(doc_id)}/email-document.json",
            body={"message": message},
            ok=(200, 201, 204),
        )

    def pdf(self, doc_id: int, *, second_copy: bool = False) -> PdfResult:
        """`GET /api/pdf/{id}.json`: 202 while rendering, then the link. 406 for a draft."""
        params = {"second_copy": "true"} if second_copy else {}
        answer = self._request("GET", f"api/pdf/{int(doc_id)}.json", params=params, ok=(200, 202))
        if answer.status == 202:
            return PdfResult(ready=False)
        output = self._data(answer, "output")
        url = output.get("pdfUrl") if isinstance(output, dict) else None
        if not url:
            raise BadResponse(_("InvoiceXpress said the PDF is ready but sent no link."))
        return PdfResult(ready=True, url=str(url))

    # ---- clients and taxes -----------------------------------------------------------

    def list_clients(self, *, page: int = 1, per_page: int = 30) -> ClientPage:
        data = self._request(
            "GET", "clients.json", params={"page": page, "per_page": per_page}
        ).json()
        if not isinstance(data, dict) or not isinstance(data.get("clients"), list):
            raise BadResponse(_("InvoiceXpress sent a client list in an unexpected shape."))
        given = data.get("pagination")
        pagination: dict[str, Any] = given if isinstance(given, dict) else {}
        clients = tuple(Client.from_api(c) for c in data["clients"])
        return ClientPage(
            clients=clients,
            total_entries=to_int(pagination.get("total_entries")) or len(clients),
            total_pages=to_int(pagination.get("total_pages")) or 1,
            current_page=to_int(pagination.get("current_page")) or page,
        )

    def find_client_by_name(self, name: str) -> Client | None:
        try:
            answer = self._request("GET", "clients/find-by-name.json", params={"client_name": name})
        except NotFound:
            return None
        return Client.from_api(self._data(answer, "client"))

    def find_client_by_code(self, code: str) -> Client | None:
        try:
            answer = self._request("GET", "clients/find-by-code.json", params={"client_code": code})
        except NotFound:
            return None
        return Client.from_api(self._data(answer, "client"))

    def list_taxes(self) -> list[Tax]:
        rows = self._data(self._request("GET", "taxes.json"), "taxes")
        if not isinstance(rows, list):
            raise BadResponse(_("InvoiceXpress sent a tax list in an unexpected shape."))
        return [Tax.from_api(row) for row in rows]

    # ---- sequences -------------------------------------------------------------------

    def list_sequences(self) -> list[Sequence]:
        rows = self._data(self._request("GET", "sequences.json"), "sequences")
        if not isinstance(rows, list):
            raise BadResponse(_("InvoiceXpress sent a sequence list in an unexpected shape."))
        return [Sequence.from_api(row) for row in rows]

    def get_sequence(self, sequence_id: int) -> Sequence:
        return Sequence.from_api(
            self._data(self._request("GET", f"sequences/{int(sequence_id)}.json"), "sequence")
        )

    def create_sequence(self, serie: str, *, make_default: bool = False) -> Sequence:
        """`POST /sequences.json`: creates and registers the series with the Tax Authority."""
        body = {"sequence": {"serie": serie, "default_sequence": "1" if make_default else "0"}}
        return Sequence.from_api(
            self._data(self._request("POST", "sequences.json", body=body), "sequence")
        )

    def register_sequence(self, sequence_id: int) -> Sequence:
        answer = self._request(
            "PUT", f"sequences/{int(sequence_id)}/register.json", body={}, ok=(200, 201, 204)
        )
        data = answer.json()
        if isinstance(data, dict) and isinstance(data.get("sequence"), dict):
            return Sequence.from_api(data["sequence"])
        return self.get_sequence(sequence_id)

    def set_current_sequence(self, sequence_id: int) -> Sequence:
        answer = self._request(
            "PUT", f"sequences/{int(sequence_id)}/set_current.json", body={}, ok=(200, 201, 204)
        )
        data = answer.json()
        if isinstance(data, dict) and isinstance(data.get("sequence"), dict):
            return Sequence.from_api(data["sequence"])
        return self.get_sequence(sequence_id)

    # ---- SAF-T -----------------------------------------------------------------------

    def export_saft(self, *, month: int, year: int) -> SaftResult:
        """`GET /api/export_saft.json`: 202 while generating, 200 with the file's URL.

        422 (bad period) raises Rejected; 500 (generation failed) raises ServerError.
        Sends both `year` and `years`: the docs' example and table disagree.
        """
        params = {"month": int(month), "year": int(year), "years": int(year)}
        answer = self._request("GET", "api/export_saft.json", params=params, ok=(200, 202))
        data = answer.json()
        message = str(data.get("message") or "") if isinstance(data, dict) else ""
        if answer.status == 202:
            return SaftResult(ready=False, message=message)
        url = data.get("url") if isinstance(data, dict) else None
        if not url:
            raise BadResponse(_("InvoiceXpress said the SAF-T file is ready but sent no link."))
        return SaftResult(ready=True, url=str(url), message=message)

    # ---- files -----------------------------------------------------------------------

    def download(self, url: str, *, max_bytes: int = MAX_DOWNLOAD_BYTES) -> bytes:
        """Fetch a file the service linked to (PDF, SAF-T zip), bounded in size.

        These links are signed URLs, maybe on another host: no API key is added. They may
        still carry tokens, so they are never logged either. Counted in the budget all the
        same: the file host may be InvoiceXpress itself.
        """
        self._spend_budget()
        started = time.monotonic()
        self.calls += 1
        failure: Unreachable | None = None
        try:
            with self.session.get(
                url, timeout=self.timeout, stream=True, allow_redirects=True
            ) as response:
                status = response.status_code
                if status == 200:
                    chunks, size = [], 0
                    for chunk in response.iter_content(chunk_size=256 * 1024):
                        size += len(chunk)
                        if size > max_bytes:
                            break
                        chunks.append(chunk)
        except requests.Timeout:
            failure = Unreachable(
                _("Downloading the file from InvoiceXpress timed out."), timed_out=True
            )
        except requests.RequestException:
            failure = Unreachable(
                _("The file from InvoiceXpress could not be downloaded (connection failed).")
            )
        if failure is not None:
            self._log("GET", "(file)", "timeout" if failure.timed_out else "unreachable", started)
            raise failure
        self._log("GET", "(file)", status, started)
        if status == 404:
            raise NotFound(_("The file link from InvoiceXpress has expired or is gone (404)."))
        if status != 200:
            raise BadResponse(
                _("Downloading the file from InvoiceXpress failed (HTTP %(status)s).")
                % {"status": status},
                status=status,
            )
        if size > max_bytes:
            raise BadResponse(
                _("The file from InvoiceXpress is larger than the dashboard accepts.")
            )
        return b"".join(chunks)


class _PastDeadline(Exception):
    pass


def _read_until(response: requests.Response, deadline: float) -> str:
    """The body of a streamed answer, given up on (connection closed) past `deadline`.

    read1 returns whatever has arrived, so a body that trickles in byte by byte (each
    read within the socket timeout) still cannot outlast the deadline.
    """
    chunks = []
    try:
        while chunk := response.raw.read1(64 * 1024, decode_content=True):
            chunks.append(chunk)
            if time.monotonic() > deadline:
                raise _PastDeadline
    except ReadTimeoutError:
        raise _PastDeadline from None
    except urllib3.exceptions.HTTPError:
        # Our own words: urllib3's may name the host and path.
        raise requests.ConnectionError("the answer broke off") from None
    finally:
        response.close()
    response._content = b"".join(chunks)  # lets .text decode as requests always does
    return response.text


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        # The API takes numbers as strings happily ("10.0"); a string keeps every digit.
        return str(value)
    if isinstance(value, dt.date):
        return format_date(value)
    raise TypeError(f"Cannot send {type(value).__name__} to InvoiceXpress")
