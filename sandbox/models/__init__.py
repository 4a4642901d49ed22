from sandbox.models.accounts import DEFAULT_TAXES, FaultMode, SandboxAccount, SandboxTax
from sandbox.models.catalog import SandboxClient, SandboxItem
from sandbox.models.documents import (
    NUMBERED_STATUSES,
    SandboxDocument,
    SandboxEmail,
    SandboxLine,
    Status,
)
from sandbox.models.exports import SandboxPdf, SandboxSaftExport
from sandbox.models.requests import SandboxRequest
from sandbox.models.sequences import (
    NOT_APPLICABLE,
    NOT_REGISTERED,
    DateBeforeLastError,
    SandboxSequence,
    SandboxSequenceCounter,
)

__all__ = [
    "DEFAULT_TAXES",
    "NOT_APPLICABLE",
    "NOT_REGISTERED",
    "NUMBERED_STATUSES",
    "DateBeforeLastError",
    "FaultMode",
    "SandboxAccount",
    "SandboxClient",
    "SandboxDocument",
    "SandboxEmail",
    "SandboxItem",
    "SandboxLine",
    "SandboxPdf",
    "SandboxRequest",
    "SandboxSaftExport",
    "SandboxSequence",
    "SandboxSequenceCounter",
    "SandboxTax",
    "Status",
]
