"""What each client owes and for how long: aging, payments, average delay, statements.

InvoiceXpress has no receivables endpoint, so this is built from the document list:
receivables (invoices, debit notes, VAT MOSS invoices), the receipts that pay them and the
credit notes that correct them (both point at their invoice through `owner_invoice_id`).
Read: every unpaid receivable, whatever its date, and everything of the last
`WINDOW_DAYS` (settled receivables, receipts, credit notes), each walk bounded.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from invoices.cockpit.fanout import Outcome, capped_client, fan_out
from invoices.documents.forms import RECEIVABLE_TYPES, UNPAID_STATUSES
from invoices.documents.totals import walk_documents
from invoices.invoicexpress.records import Document
from invoices.models import Account

WINDOW_DAYS = 365
ZERO = Decimal("0")
ISSUED = ("final", "sent", "settled")
PAYMENT_TYPES = ("Receipt",)
CORRECTION_TYPES = ("CreditNote",)
PAID_ON_ISSUE = ("InvoiceReceipt", "SimplifiedInvoice")
BUCKETS: tuple[tuple[str, Any], ...] = (
    ("not_due", _("Not yet due")),
    ("d1_30", _("1-30 days")),
    ("d31_60", _("31-60 days")),
    ("d61_90", _("61-90 days")),
    ("over_90", _("Over 90 days")),
)


def bucket_for(days_late: int) -> str:
    if days_late <= 0:
        return "not_due"
    if days_late <= 30:
        return "d1_30"
    if days_late <= 60:
        return "d31_60"
    if days_late <= 90:
        return "d61_90"
    return "over_90"


def empty_aging() -> dict[str, Decimal]:
    return {key: ZERO for key, _label in BUCKETS}


def aging_rows(aging: dict[str, Decimal]) -> list[tuple[str, Any, Decimal]]:
    """(key, label, amount) in bucket order, for templates."""
    return [(key, label, aging[key]) for key, label in BUCKETS]


@dataclass(frozen=True)
class ReceivableLine:
    doc: Document
    paid: Decimal
    credited: Decimal
    pending: Decimal
    days_late: int  # past the due date today (<= 0: not yet due)
    paid_on: dt.date | None  # the last receipt's date, once settled
    delay: int | None  # days from the due date to the payment (negative: early)


@dataclass
class ClientReceivables:
    client_id: int | None
    name: str
    nif: str
    lines: list[ReceivableLine] = field(default_factory=list)
    aging: dict[str, Decimal] = field(default_factory=empty_aging)

    @property
    def total(self) -> Decimal:
        return sum((line.doc.total for line in self.lines), ZERO)

    @property
    def aging_rows(self) -> list[tuple[str, Any, Decimal]]:
        return aging_rows(self.aging)

    @property
    def paid(self) -> Decimal:
        return sum((line.paid for line in self.lines), ZERO)

    @property
    def credited(self) -> Decimal:
        return sum((line.credited for line in self.lines), ZERO)

    @property
    def pending(self) -> Decimal:
        return sum((line.pending for line in self.lines), ZERO)

    @property
    def average_delay(self) -> Decimal | None:
        """Mean days from due date to payment over the paid documents with a receipt."""
        delays = [line.delay for line in self.lines if line.delay is not None]
        if not delays:
            return None
        return (Decimal(sum(delays)) / len(delays)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class CompanyReceivables:
    account: Account
    clients: list[ClientReceivables]
    complete: bool
    window_start: dt.date
    error: str = ""

    @property
    def aging(self) -> dict[str, Decimal]:
        return add_aging(c.aging for c in self.clients)

    @property
    def pending(self) -> Decimal:
        return sum((c.pending for c in self.clients), ZERO)

    @property
    def aging_rows(self) -> list[tuple[str, Any, Decimal]]:
        return aging_rows(self.aging)

    def client(self, client_id: int) -> ClientReceivables | None:
        return next((c for c in self.clients if c.client_id == client_id), None)


def add_aging(agings: Iterable[dict[str, Decimal]]) -> dict[str, Decimal]:
    total = empty_aging()
    for aging in agings:
        for key, amount in aging.items():
            total[key] += amount
    return total


def window_start(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=WINDOW_DAYS)


def read_documents(
    account: Account, today: dt.date, timeout: float | None = None
) -> tuple[list[Document], bool]:
    """The documents receivables are built from, and whether every page was read."""
    client = capped_client(account, timeout)
    start = window_start(today)
    pages = int(settings.IXPORTAL_TOTALS_MAX_PAGES)
    recent, recent_total = walk_documents(
        client,
        {
            "types": [*RECEIVABLE_TYPES, *PAYMENT_TYPES, *CORRECTION_TYPES],
            "statuses": list(ISSUED),
            "date_from": start,
        },
        max_pages=pages,
    )
    older, older_total = walk_documents(
        client,
        {
            "types": list(RECEIVABLE_TYPES),
            "statuses": list(UNPAID_STATUSES),
            "date_to": start - dt.timedelta(days=1),
        },
        max_pages=pages,
    )
    complete = len(recent) >= recent_total and len(older) >= older_total
    return [*recent, *older], complete


def build(
    account: Account, documents: Sequence[Document], today: dt.date, complete: bool
) -> CompanyReceivables:
    receipts: dict[int, list[Document]] = defaultdict(list)
    notes: dict[int, list[Document]] = defaultdict(list)
    for doc in documents:
        if doc.owner_invoice_id is None:
            continue
        if doc.type.name in PAYMENT_TYPES:
            receipts[doc.owner_invoice_id].append(doc)
        elif doc.type.name in CORRECTION_TYPES:
            notes[doc.owner_invoice_id].append(doc)
    clients: dict[Any, ClientReceivables] = {}
    for doc in documents:
        if doc.type.name not in RECEIVABLE_TYPES:
            continue
        paid = sum((r.total for r in receipts[doc.id]), ZERO)
        credited = sum((n.total for n in notes[doc.id]), ZERO)
        settled = doc.status == "settled"
        if settled and not receipts[doc.id]:
            paid = max(doc.total - credited, ZERO)  # settled without a receipt we can see
        pending = ZERO if settled else max(doc.total - paid - credited, ZERO)
        paid_on = (
            max((r.date for r in receipts[doc.id] if r.date), default=None) if settled else None
        )
        delay = (paid_on - doc.due_date).days if paid_on and doc.due_date else None
        days_late = (today - doc.due_date).days if doc.due_date else 0
        key = doc.client.id if doc.client.id is not None else doc.client.name
        entry = clients.get(key)
        if entry is None:
            entry = clients[key] = ClientReceivables(
                doc.client.id, doc.client.name, doc.client.fiscal_id
            )
        entry.lines.append(ReceivableLine(doc, paid, credited, pending, days_late, paid_on, delay))
        if pending:
            entry.aging[bucket_for(days_late)] += pending
    for entry in clients.values():
        entry.lines.sort(key=lambda line: (line.doc.date or dt.date.min, line.doc.id))
    ordered = sorted(clients.values(), key=lambda c: (-c.pending, c.name.casefold()))
    return CompanyReceivables(account, ordered, complete, window_start(today))


def company_receivables(account: Account, today: dt.date) -> CompanyReceivables:
    """Raises the client's typed errors."""
    documents, complete = read_documents(account, today)
    return build(account, documents, today, complete)


def receivables_across(accounts: Sequence[Account], today: dt.date) -> list[CompanyReceivables]:
    """Every company at once (the fan-out); a failing or late one carries its error."""
    calls: list[tuple[Hashable, Callable[[], CompanyReceivables]]] = [
        (account.pk, partial(company_receivables, account, today)) for account in accounts
    ]
    outcomes: dict[Hashable, Outcome[CompanyReceivables]] = fan_out(calls)
    found = []
    for account in accounts:
        outcome = outcomes[account.pk]
        if outcome.value is not None:
            found.append(outcome.value)
        else:
            found.append(CompanyReceivables(account, [], False, window_start(today), outcome.error))
    return found


# ---- a client's statement ----------------------------------------------------------------


@dataclass(frozen=True)
class Movement:
    doc: Document
    debit: Decimal
    credit: Decimal
    balance: Decimal


@dataclass(frozen=True)
class Statement:
    client_id: int
    name: str
    nif: str
    date_from: dt.date
    date_to: dt.date
    opening: Decimal
    movements: list[Movement]
    complete: bool

    @property
    def closing(self) -> Decimal:
        return self.movements[-1].balance if self.movements else self.opening

    @property
    def debits(self) -> Decimal:
        return sum((m.debit for m in self.movements), ZERO)

    @property
    def credits(self) -> Decimal:
        return sum((m.credit for m in self.movements), ZERO)


def debit_credit(doc: Document) -> tuple[Decimal, Decimal]:
    """What a document does to the client's balance: it owes more (debit) or less (credit)."""
    name = doc.type.name
    if name in RECEIVABLE_TYPES:
        return doc.total, ZERO
    if name in PAID_ON_ISSUE:
        return doc.total, doc.total  # invoiced and paid at once
    return ZERO, doc.total  # a receipt (payment) or a credit note


def client_statement(
    account: Account, *, client_id: int, name: str, date_from: dt.date, date_to: dt.date
) -> Statement:
    """Every issued document of the client up to `date_to`; before `date_from` they make the
    opening balance. The list can only search by text, so the name is searched and the
    client's own documents (by id) kept. Raises the client's typed errors."""
    documents, total = walk_documents(
        capped_client(account, float(settings.IXPORTAL_READ_TIMEOUT)),
        {"text": name, "statuses": list(ISSUED), "date_to": date_to},
        max_pages=int(settings.IXPORTAL_TOTALS_MAX_PAGES),
    )
    own = [d for d in documents if d.client.id == client_id and d.date is not None]
    own.sort(key=lambda d: (d.date, d.id))
    opening = ZERO
    movements: list[Movement] = []
    balance = ZERO
    nif = ""
    for doc in own:
        nif = nif or doc.client.fiscal_id
        debit, credit = debit_credit(doc)
        if doc.date < date_from:  # type: ignore[operator]
            opening += debit - credit
            balance = opening
            continue
        balance += debit - credit
        movements.append(Movement(doc, debit, credit, balance))
    return Statement(
        client_id, name, nif, date_from, date_to, opening, movements, len(documents) >= total
    )
