from django.contrib import admin

from invoices.admin import ReadOnlyAdmin
from saft.models import SaftDeadline, SaftExport, SaftSubmission


@admin.register(SaftExport)
class SaftExportAdmin(ReadOnlyAdmin):
    """Read-only: exports change only through the request/poll flow, history is never edited."""

    list_display = (
        "account",
        "year",
        "month",
        "status",
        "requested_by",
        "requested_at",
        "attempts",
        "size",
    )
    list_filter = ("status", "account")
    search_fields = ("account__name", "account__slug", "sha256")
    date_hierarchy = "requested_at"
    # The file is served only by the access-checked view, never by an admin link.
    exclude = ("file",)


@admin.register(SaftDeadline)
class SaftDeadlineAdmin(admin.ModelAdmin):
    """Deadlines the Tax Authority moved: a month and its new last day (day 5 otherwise)."""

    list_display = ("year", "month", "deadline", "note")
    ordering = ("-year", "-month")


@admin.register(SaftSubmission)
class SaftSubmissionAdmin(ReadOnlyAdmin):
    """Read-only: managers mark submissions on the SAF-T page, where it is audited."""

    list_display = ("account", "year", "month", "submitted_on", "receipt_number", "submitted_by")
    list_filter = ("account",)
    exclude = ("receipt_pdf",)  # served only by the access-checked view
