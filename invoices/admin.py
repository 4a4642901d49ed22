from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from invoices.invoicexpress.errors import InvoiceXpressError, Unauthorized, Unreachable
from invoices.models import Account, AuditEntry, EmailTemplate, Membership


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists and shows rows; nobody adds, changes or deletes them here (history, exports)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AccountForm(forms.ModelForm):
    """The API key can only be set or replaced: it is never rendered back."""

    new_api_key = forms.CharField(
        label=_("API key"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Stored encrypted and never shown. Leave empty to keep the current key."),
    )

    class Meta:
        model = Account
        fields = ["name", "slug", "account_name", "nif", "base_url", "is_active"]

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk and not cleaned.get("new_api_key"):
            self.add_error("new_api_key", _("A new company needs its API key."))
        return cleaned

    def save(self, commit=True):
        account = super().save(commit=False)
        if self.cleaned_data.get("new_api_key"):
            account.api_key = self.cleaned_data["new_api_key"]
        if commit:
            account.save()
        return account


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


def check_connection(account: Account) -> tuple[int, str]:
    """(message level, sentence) for one account; never includes the key or a URL."""
    try:
        account.client().list_taxes()
    except Unauthorized:
        return messages.ERROR, _(
            "%(name)s: bad API key or account name (InvoiceXpress answered 401)."
        ) % {"name": account.name}
    except Unreachable as exc:
        return messages.ERROR, _("%(name)s: unreachable. %(why)s") % {
            "name": account.name,
            "why": exc.message,
        }
    except InvoiceXpressError as exc:
        return messages.WARNING, _("%(name)s: answered, but not as expected. %(why)s") % {
            "name": account.name,
            "why": exc.message,
        }
    return messages.SUCCESS, _("%(name)s: connection OK.") % {"name": account.name}


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    form = AccountForm
    list_display = ["name", "slug", "account_name", "nif", "api_base_url", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug", "account_name", "nif"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]
    actions = ["test_connection"]

    @admin.action(description=_("Test connection to InvoiceXpress"))
    def test_connection(self, request, queryset):
        for account in queryset:
            level, sentence = check_connection(account)
            self.message_user(request, sentence, level)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "account", "role"]
    list_filter = ["role", "account"]
    autocomplete_fields = ["user", "account"]
    search_fields = ["user__username", "account__name"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "account", "username", "action", "outcome", "target"]
    list_filter = ["outcome", "action", "account"]
    search_fields = ["username", "target", "detail"]


@admin.register(EmailTemplate)
class EmailTemplateAdmin(admin.ModelAdmin):
    """Each company's e-mail wording; placeholders: {document} {client} {company} {total}
    {due_date}. Without a row, the built-in Portuguese or English wording is used."""

    list_display = ("account", "language", "subject")
    list_filter = ("language",)
