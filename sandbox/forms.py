from django import forms

from sandbox.models import SandboxAccount

# What the control page (and the admin's "Faults" and "Service behaviour" sections) edit.
FAULT_FIELDS = [
    "latency_ms",
    "fault_mode",
    "fault_remaining",
    "fault_path_prefix",
    "fault_timeout_seconds",
]
BEHAVIOUR_FIELDS = [
    "has_at_credentials",
    "has_open_activity",
    "sequence_registering_seconds",
    "mb_references",
    "loose_types",
    "pdf_pending_calls",
    "saft_pending_calls",
    "saft_defect",
]
CONTROL_FIELDS = FAULT_FIELDS + BEHAVIOUR_FIELDS


class AccountControlForm(forms.ModelForm):
    """One sandbox account's faults and Tax Authority flags, on the control page."""

    class Meta:
        model = SandboxAccount
        fields = CONTROL_FIELDS

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", f"account-{kwargs['instance'].pk}")
        super().__init__(*args, **kwargs)

    def save(self, commit: bool = True) -> SandboxAccount:
        account = super().save(commit=False)
        if commit:  # only these columns: never clobber anything else written meanwhile
            account.save(update_fields=CONTROL_FIELDS)
        return account
