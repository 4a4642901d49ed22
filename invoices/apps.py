from django.apps import AppConfig


class InvoicesConfig(AppConfig):
    name = "invoices"
    verbose_name = "InvoiceXpress accounts"

    def ready(self) -> None:
        from django.urls import register_converter

        from invoices.converters import UpstreamIdConverter

        register_converter(UpstreamIdConverter, "upstream_id")

        from invoices.invoicexpress.client import set_budget
        from invoices.upstream_budget import budget_from_settings

        # Every upstream request, in every process, spends the account's shared budget.
        set_budget(budget_from_settings())

        from invoices.cockpit.services import refresh_cockpit_if_due
        from invoices.jobs.runner import on_every_tick

        # The cockpit is read again in the workers' periodic job (at most once per
        # IXPORTAL_COCKPIT_REFRESH_SECONDS across all of them), so people find it warm.
        on_every_tick(refresh_cockpit_if_due)
