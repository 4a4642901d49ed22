from django.contrib import admin

from saft.models import SaftExport


@admin.register(SaftExport)
class SaftExportAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
