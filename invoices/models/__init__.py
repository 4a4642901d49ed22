"""The accounts store: companies and memberships, the audit log, create submissions."""

from invoices.models.accounts import Account, AccountQuerySet, Membership, Role
from invoices.models.audit import AuditEntry, AuditEntryQuerySet
from invoices.models.email import EmailTemplate, SentEmail
from invoices.models.payments import Payment
from invoices.models.submissions import Submission, SubmissionQuerySet

__all__ = [
    "Account",
    "AccountQuerySet",
    "AuditEntry",
    "AuditEntryQuerySet",
    "EmailTemplate",
    "Payment",
    "SentEmail",
    "Membership",
    "Role",
    "Submission",
    "SubmissionQuerySet",
]
