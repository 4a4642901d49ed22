"""About two years of a demo company's documents, generated from `random.Random(slug)`.

Every type and status: drafts, final (some overdue), settled (invoices with their receipts),
canceled, sent, archived; credit and debit notes linked to invoices. Numbers, ATCUDs and
signatures follow the documents' order, one series per year, as finalizing them one by one
through the API would. Written with bulk_create: a few thousand rows in well under a second.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from sandbox.demo_catalog import DemoClient, DemoCompany, DemoItem, make_nif
from sandbox.doctypes import DocType, info_for
from sandbox.models import (
    SandboxAccount,
    SandboxClient,
    SandboxDocument,
    SandboxItem,
    SandboxLine,
    SandboxSequence,
    SandboxSequenceCounter,
    SandboxTax,
    Status,
)
from sandbox.services import saft_signature
from sandbox.totals import document_totals, line_totals

DAYS = 730
CANCEL_REASONS = ("Erro nos dados do cliente", "Preço incorreto", "Documento emitido em duplicado")


@dataclass
class Draft:
    """A document being generated, before it has a primary key."""

    doc: SandboxDocument
    lines: list[SandboxLine]
    owner: Draft | None = None
    derived: list[Draft] = field(default_factory=list)


class DocumentGenerator:
    def __init__(self, account: SandboxAccount, company: DemoCompany, today: date) -> None:
        self.account = account
        self.company = company
        self.today = today
        self.rng = random.Random(company.slug)
        self.taxes = {tax.name: tax for tax in SandboxTax.objects.filter(account=account)}
        self.drafts: list[Draft] = []

    # --- master data -------------------------------------------------------------------

    def _fiscal_id(self, client: DemoClient) -> str:
        if client.nif_prefix == "":
            return ""
        if client.nif_prefix == "ES":
            return f"ESB{self.rng.randrange(10**7, 10**8)}"
        if client.nif_prefix == "DE":
            return f"DE{self.rng.randrange(10**8, 10**9)}"
        return make_nif(self.rng, client.nif_prefix)

    def create_clients(self) -> list[SandboxClient]:
        clients = [
            SandboxClient(
                account=self.account,
                name=client.name,
                code=f"C{number:03d}",
                fiscal_id=self._fiscal_id(client),
                address="" if not client.nif_prefix else client.address,
                city="" if not client.nif_prefix else client.city,
                postal_code="" if not client.nif_prefix else client.postal_code,
                country=client.country,
                email=client.email,
                language="pt",
            )
            for number, client in enumerate(self.company.clients, start=1)
        ]
        return SandboxClient.objects.bulk_create(clients)

    def create_items(self) -> None:
        SandboxItem.objects.bulk_create(
            SandboxItem(
                account=self.account,
                name=item.name,
                description=item.description,
                unit_price=Decimal(item.low),
                unit=item.unit,
                tax=self.taxes[item.tax],
            )
            for item in self.company.items
        )

    def create_sequences(self) -> dict[int, SandboxSequence]:
        """One registered series per year (this year's is the default), plus one N/D series."""
        self.account.sequences.all().delete()  # the default one a new account gets
        years = range((self.today - timedelta(days=DAYS)).year, self.today.year + 1)
        series = {
            year: SandboxSequence.objects.create_with_counters(
                account=self.account,
                serie=str(year),
                is_default=year == self.today.year,
                rng=self.rng,
            )
            for year in years
        }
        SandboxSequence.objects.create_with_counters(
            account=self.account, serie=self.company.unregistered_serie, registered=False
        )
        return series

    # --- documents ---------------------------------------------------------------------

    def _lines(self, items: list[DemoItem]) -> list[SandboxLine]:
        lines = []
        for position, item in enumerate(items, start=1):
            tax = self.taxes[item.tax]
            quantity = Decimal(self.rng.randint(1, item.max_quantity))
            if item.unit == "hour" and self.rng.random() < 0.3:
                quantity += Decimal("0.5")
            unit_price = item.price(self.rng)
            discount = Decimal(self.rng.choice((0, 0, 0, 0, 5, 10)))
            totals = line_totals(quantity, unit_price, discount, tax.value)
            lines.append(
                SandboxLine(
                    position=position,
                    name=item.name,
                    description=item.description,
                    unit_price=unit_price,
                    unit=item.unit,
                    quantity=quantity,
                    discount=discount,
                    tax_ref=tax.pk,
                    tax_name=tax.name,
                    tax_value=tax.value,
                    tax_region=tax.region or "",
                    subtotal=totals.subtotal,
                    discount_amount=totals.discount_amount,
                    tax_amount=totals.tax_amount,
                    total=totals.total,
                )
            )
        return lines

    def _document(
        self, doc_type, on: date, client, lines, *, owner: Draft | None = None, exemption: str = ""
    ) -> Draft:
        totals = document_totals(lines)
        info = info_for(doc_type)
        due = on if info.settled_when_finalized else on + timedelta(days=self.company.payment_days)
        if all(line.tax_value for line in lines):
            exemption = ""  # only a document with a 0 % line carries an exemption reason
        doc = SandboxDocument(
            account=self.account,
            doc_type=doc_type,
            client=client,
            date=on,
            due_date=due,
            tax_exemption=exemption,
            sum=totals.sum,
            discount=totals.discount,
            before_taxes=totals.before_taxes,
            taxes=totals.taxes,
            total=totals.total,
            reference=f"PO-{self.rng.randrange(1000, 9999)}" if self.rng.random() < 0.2 else "",
        )
        draft = Draft(doc=doc, lines=lines, owner=owner)
        if owner is not None:
            owner.derived.append(draft)
        self.drafts.append(draft)
        return draft

    def _pick_items(self, client: SandboxClient, doc_type) -> list[DemoItem]:
        foreign = client.country != "Portugal"
        items = [i for i in self.company.items if not (foreign and i.exemption)]
        chosen = self.rng.sample(items, k=min(len(items), self.rng.choice((1, 1, 2, 2, 3, 4))))
        if doc_type == DocType.SIMPLIFIED_INVOICE:
            chosen = chosen[:2]
        return chosen

    def _primary(self, on: date, clients: list[SandboxClient]) -> None:
        weights = self.company.type_weights
        doc_type = self.rng.choices(list(weights), weights=list(weights.values()))[0]
        with_nif = [c for c in clients if c.fiscal_id]
        foreign = [c for c in clients if c.country != "Portugal"]
        if doc_type == DocType.SIMPLIFIED_INVOICE:
            client = self.rng.choice([c for c in clients if c.country == "Portugal"])
        elif doc_type == DocType.VAT_MOSS_INVOICE:
            client = self.rng.choice(foreign or with_nif)
        else:
            client = self.rng.choice(with_nif)
        items = self._pick_items(client, doc_type)
        lines = self._lines(items)
        exemption = next((item.exemption for item in items if item.exemption), "")
        if client.country != "Portugal":  # services to a foreign business: reverse charge
            exemption = "M40"
            for line in lines:
                self._retax(line, self.taxes["Isento"])
        if doc_type == DocType.SIMPLIFIED_INVOICE and document_totals(lines).total > 100:
            doc_type = DocType.INVOICE_RECEIPT  # over the simplified invoice limit
        self._document(doc_type, on, client, lines, exemption=exemption)

    def _retax(self, line: SandboxLine, tax: SandboxTax) -> None:
        totals = line_totals(line.quantity, line.unit_price, line.discount, tax.value)
        line.tax_ref, line.tax_name, line.tax_value = tax.pk, tax.name, tax.value
        line.tax_amount, line.total = totals.tax_amount, totals.total

    def generate(self, clients: list[SandboxClient]) -> None:
        start = self.today - timedelta(days=DAYS)
        for offset in range(DAYS + 1):
            on = start + timedelta(days=offset)
            if self.rng.random() < self.company.docs_per_day:
                self._primary(on, clients)
        for draft in list(self.drafts):
            self._settle_and_correct(draft)

    def _later(self, on: date, low: int, high: int) -> date | None:
        later = on + timedelta(days=self.rng.randint(low, high))
        return later if later <= self.today else None

    def _settle_and_correct(self, draft: Draft) -> None:
        doc = draft.doc
        age = (self.today - doc.date).days
        if age < 30 and self.rng.random() < 0.3:
            doc.status = Status.DRAFT
            return
        if doc.info.settled_when_finalized:
            doc.status = Status.SETTLED
        else:
            paid_on = self._later(doc.date, 3, self.company.payment_days + 40)
            unpaid_chance = 0.04 if age > 120 else 0.45
            if paid_on is None or self.rng.random() < unpaid_chance:
                doc.status = Status.SENT if self.rng.random() < 0.05 else Status.FINAL
                if self.company.mb_references and doc.doc_type == DocType.INVOICE:
                    doc.mb_entity = "21217"
                    doc.mb_reference = f"{self.rng.randrange(10**8, 10**9)}"
            else:
                doc.status = Status.SETTLED
                if doc.doc_type == DocType.INVOICE:
                    receipt_lines = [self._copy(line) for line in draft.lines]
                    receipt = self._document(
                        DocType.RECEIPT, paid_on, doc.client, receipt_lines, owner=draft,
                        exemption=doc.tax_exemption,
                    )  # fmt: skip
                    receipt.doc.status = Status.FINAL
        if self.rng.random() < 0.03:
            doc.status = Status.CANCELED
            doc.state_message = self.rng.choice(CANCEL_REASONS)
            for derived in draft.derived:
                self.drafts.remove(derived)
            draft.derived.clear()
            return
        if doc.status == Status.SETTLED and age > 400 and self.rng.random() < 0.25:
            doc.archived = True
        roll = self.rng.random()
        if roll < 0.06 and (on := self._later(doc.date, 1, 25)):
            credited = [self._copy(draft.lines[0], quantity=Decimal("1"))]
            note = self._document(
                DocType.CREDIT_NOTE, on, doc.client, credited, owner=draft,
                exemption=doc.tax_exemption,
            )  # fmt: skip
            note.doc.status = Status.SETTLED if self.rng.random() < 0.5 else Status.FINAL
            note.doc.observations = "Devolução / correção de preço"
        elif (
            roll < 0.08 and doc.doc_type == DocType.INVOICE and (on := self._later(doc.date, 5, 40))
        ):
            charge = self._copy(draft.lines[0], quantity=Decimal("1"), unit_price=Decimal("15.00"))
            charge.name, charge.description = "Portes adicionais", "Custos de envio não faturados"
            # The charge copies the invoice's first line, tax included: a 0 % one needs the
            # invoice's exemption too (a 0 % line without one is refused, and invalid SAF-T).
            note = self._document(
                DocType.DEBIT_NOTE, on, doc.client, [charge], owner=draft,
                exemption=doc.tax_exemption,
            )  # fmt: skip
            note.doc.status = Status.FINAL

    def _copy(self, line: SandboxLine, **changes) -> SandboxLine:
        fields = {
            f: getattr(line, f)
            for f in ("position", "name", "description", "unit_price", "unit", "quantity")
            + ("discount", "tax_ref", "tax_name", "tax_value", "tax_region")
        }
        fields.update(changes)
        copy = SandboxLine(**fields)
        totals = line_totals(copy.quantity, copy.unit_price, copy.discount, copy.tax_value)
        copy.subtotal, copy.discount_amount = totals.subtotal, totals.discount_amount
        copy.tax_amount, copy.total = totals.tax_amount, totals.total
        return copy

    # --- numbering and writing -----------------------------------------------------------

    def number_all(self, series: dict[int, SandboxSequence]) -> None:
        counters = {
            (counter.sequence_id, counter.kind): counter
            for counter in SandboxSequenceCounter.objects.filter(sequence__account=self.account)
        }
        numbered = [d for d in self.drafts if d.doc.status != Status.DRAFT]
        for position, draft in enumerate(sorted(numbered, key=lambda d: d.doc.date)):
            doc = draft.doc
            sequence = series[doc.date.year]
            counter = counters[(sequence.pk, doc.info.kind)]
            counter.number += 1
            doc.counter = counter
            doc.number = counter.number
            doc.sequence_number = f"{counter.number}/{sequence.serie}"
            doc.inverted_sequence_number = f"{sequence.serie}/{counter.number}"
            doc.atcud = counter.atcud(counter.number)
            entry = time(9 + position % 9, (position * 7) % 60)
            doc.finalized_at = timezone.make_aware(datetime.combine(doc.date, entry))
            doc.saft_hash = saft_signature(doc, counter.last_hash)
            counter.last_hash, counter.last_date = doc.saft_hash, doc.date
        used = [counter for counter in counters.values() if counter.number]
        SandboxSequenceCounter.objects.bulk_update(used, ["number", "last_date", "last_hash"])

    def write(self) -> int:
        primaries = [d for d in self.drafts if d.owner is None]
        derived = [d for d in self.drafts if d.owner is not None]
        for batch in (primaries, derived):
            for draft in batch:
                draft.doc.owner = draft.owner.doc if draft.owner else None
            SandboxDocument.objects.bulk_create([d.doc for d in batch])
        lines = []
        for draft in self.drafts:
            for line in draft.lines:
                line.document = draft.doc
                lines.append(line)
        SandboxLine.objects.bulk_create(lines)
        return len(self.drafts)


def generate_company_documents(account: SandboxAccount, company: DemoCompany, today: date) -> int:
    generator = DocumentGenerator(account, company, today)
    clients = generator.create_clients()
    generator.create_items()
    series = generator.create_sequences()
    generator.generate(clients)
    generator.number_all(series)
    return generator.write()
