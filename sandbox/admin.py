from django.conf import settings
from django.contrib import admin

from sandbox.forms import BEHAVIOUR_FIELDS, FAULT_FIELDS
from sandbox.models import (
    SandboxAccount,
    SandboxClient,
    SandboxDocument,
    SandboxItem,
    SandboxLine,
    SandboxPdf,
    SandboxSaftExport,
    SandboxSequence,
    SandboxSequenceCounter,
    SandboxTax,
)


def register_when_sandbox_is_on(*models):
    """admin.register, but only while the sandbox is on (IXPORTAL_SANDBOX): a production
    admin has no pages for the stand-in's fake companies, documents and fault switches."""

    def register(model_admin):
        if settings.IXPORTAL_SANDBOX:
            admin.site.register(models, model_admin)
        return model_admin

    return register


class SandboxTaxInline(admin.TabularInline):
    model = SandboxTax
    extra = 0


@register_when_sandbox_is_on(SandboxAccount)
class SandboxAccountAdmin(admin.ModelAdmin):
    list_display = [
        "account_name",
        "company_name",
        "fault_mode",
        "fault_remaining",
        "fault_path_prefix",
        "latency_ms",
        "has_at_credentials",
        "has_open_activity",
    ]
    list_editable = ["fault_mode", "fault_remaining", "fault_path_prefix", "latency_ms"]
    search_fields = ["account_name", "company_name"]
    inlines = [SandboxTaxInline]
    fieldsets = [
        (None, {"fields": ["account_name", "api_key"]}),
        (
            "Company (SAF-T header, PDF)",
            {"fields": ["company_name", "fiscal_id", "address", "city", "postal_code"]},
        ),
        ("Faults", {"fields": FAULT_FIELDS}),
        ("Service behaviour", {"fields": BEHAVIOUR_FIELDS}),
    ]


class SandboxLineInline(admin.TabularInline):
    model = SandboxLine
    extra = 0


@register_when_sandbox_is_on(SandboxDocument)
class SandboxDocumentAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "account",
        "doc_type",
        "status",
        "sequence_number",
        "date",
        "client",
        "total",
    ]
    list_filter = ["account", "doc_type", "status", "archived"]
    search_fields = ["sequence_number", "client__name", "proprietary_uid", "reference"]
    date_hierarchy = "date"
    list_select_related = ["account", "client"]
    raw_id_fields = ["client", "owner", "counter"]
    inlines = [SandboxLineInline]


class SandboxSequenceCounterInline(admin.TabularInline):
    model = SandboxSequenceCounter
    extra = 0


@register_when_sandbox_is_on(SandboxSequence)
class SandboxSequenceAdmin(admin.ModelAdmin):
    list_display = ["serie", "account", "is_default", "registering_until"]
    list_filter = ["account"]
    inlines = [SandboxSequenceCounterInline]


@register_when_sandbox_is_on(SandboxClient)
class SandboxClientAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "fiscal_id", "country", "account"]
    list_filter = ["account"]
    search_fields = ["name", "code", "fiscal_id"]


@register_when_sandbox_is_on(SandboxItem)
class SandboxItemAdmin(admin.ModelAdmin):
    list_display = ["name", "unit_price", "unit", "tax", "account"]
    list_filter = ["account"]
    search_fields = ["name"]


@register_when_sandbox_is_on(SandboxPdf)
class SandboxPdfAdmin(admin.ModelAdmin):
    list_display = ["document", "second_copy", "calls", "created_at"]
    raw_id_fields = ["document"]


@register_when_sandbox_is_on(SandboxSaftExport)
class SandboxSaftExportAdmin(admin.ModelAdmin):
    list_display = ["account", "year", "month", "calls", "created_at"]
    list_filter = ["account"]
