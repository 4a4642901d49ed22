"""The accounts store: companies and memberships, the audit log, create submissions."""

from invoices.models.accounts import Account, AccountQuerySet, Membership, Role
from invoices.models.audit import AuditEntry, AuditEntryQuerySet
from invoices.models.submissions import Submission, SubmissionQuerySet

__all__ = [
    "Account",
    "AccountQuerySet",
    "AuditEntry",
    "AuditEntryQuerySet",
    "Membership",
    "Role",
    "Submission",
    "SubmissionQuerySet",
]
