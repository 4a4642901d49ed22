"""The accounts store: companies and memberships, the audit log, create submissions."""

# The jobs feature's models live in its package (invoices/jobs/models.py); imported here so
# Django registers them with this app.
from invoices.jobs.models import Job, JobItem, PeriodicSlot
from invoices.models.accounts import Account, AccountQuerySet, Membership, Role
from invoices.models.audit import AuditEntry, AuditEntryQuerySet
from invoices.models.email import EmailTemplate, SentEmail
from invoices.models.payments import Payment
from invoices.models.submissions import Submission, SubmissionQuerySet
from invoices.models.upstream import UpstreamBudgetState

__all__ = [
    "Account",
    "AccountQuerySet",
    "AuditEntry",
    "AuditEntryQuerySet",
    "Job",
    "JobItem",
    "EmailTemplate",
    "Payment",
    "SentEmail",
    "Membership",
    "PeriodicSlot",
    "Role",
    "Submission",
    "SubmissionQuerySet",
    "UpstreamBudgetState",
]
