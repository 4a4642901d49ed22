"""The SAF-T corpus: one valid audit file made by the sandbox, and damaged copies of it.

The base file comes from `sandbox.saft_xml` for a small fixture company's October 2026:
an invoice at 23 %, an exempt invoice (0 %, M07), a cancelled invoice and a credit note.
Until the money branch makes the sandbox's own file schema-valid, its one defect here is
fixed in the base: HashControl "1" although the software has no certificate (0) becomes "0".
"""

from __future__ import annotations

import re

from sandbox.models import SandboxAccount
from sandbox.saft_xml import audit_file

COMPANY_NIF = "508025338"  # sandbox.testing's fixture company
YEAR, MONTH = 2026, 10

CONSULTING = [
    {"name": "Consultoria", "description": "Horas", "unit_price": "100.0", "quantity": "2.0",
     "unit": "hour", "tax": {"name": "IVA23"}},
]  # fmt: skip
TRAINING = [{"name": "Formação", "unit_price": "50", "quantity": "1", "tax": {"name": "Isento"}}]


def issue_month(api) -> dict:
    """Issue the base month's documents through the sandbox's API; their JSON by role."""
    SandboxAccount.objects.filter(pk=api.account.pk).update(saft_pending_calls=0)
    client = {"name": "Beta, Lda.", "code": "B1", "fiscal_id": "503504564"}
    taxed = api.create(date="03/10/2026", due_date="03/11/2026", items=CONSULTING, client=client)
    api.finalize("invoices", taxed["id"])
    exempt = api.create(
        date="05/10/2026", due_date="05/11/2026", tax_exemption="M07", items=TRAINING
    )
    api.finalize("invoices", exempt["id"])
    cancelled = api.create(date="06/10/2026", due_date="06/11/2026", items=CONSULTING)
    api.finalize("invoices", cancelled["id"])
    assert api.change_state("invoices", cancelled["id"], "canceled", "Erro").status_code == 200
    note = api.create(
        "credit_notes.json",
        date="07/10/2026",
        due_date="07/10/2026",
        owner_invoice_id=taxed["id"],
        items=[{"name": "Consultoria", "unit_price": "100.0", "quantity": "1.0",
                "tax": {"name": "IVA23"}}],
    )  # fmt: skip
    api.finalize("credit_notes", note["id"])
    return {"taxed": taxed, "exempt": exempt, "cancelled": cancelled, "note": note}


def fix_sandbox_defects(xml: bytes) -> bytes:
    # The sandbox writes HashControl 1 with SoftwareCertificateNumber 0 (issue 13 fixes it).
    return re.sub(rb"<HashControl>1</HashControl>", b"<HashControl>0</HashControl>", xml)


def base_file(api) -> bytes:
    issue_month(api)
    return fix_sandbox_defects(audit_file(api.account, YEAR, MONTH))
