"""A final invoice in the sandbox (created and finalized through the real client)."""

from __future__ import annotations

from tests.lifecycle.helpers import create_draft


def final_invoice(company, **changes):
    """A final invoice of 246,00 € (2 × 100 + IVA 23 %)."""
    draft = create_draft(company, **changes)
    return company.account.client().change_state("invoices", draft.id, "finalized")
