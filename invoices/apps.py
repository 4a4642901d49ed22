from django.apps import AppConfig


class InvoicesConfig(AppConfig):
    name = "invoices"
    verbose_name = "InvoiceXpress accounts"

    def ready(self) -> None:
        from django.urls import register_converter

        from invoices.converters import UpstreamIdConverter

        register_converter(UpstreamIdConverter, "upstream_id")
