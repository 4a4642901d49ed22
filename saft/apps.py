from django.apps import AppConfig


class SaftConfig(AppConfig):
    name = "saft"
    verbose_name = "SAF-T exports"

    def ready(self) -> None:
        from invoices.jobs.runner import on_every_tick
        from saft.jobs import validate_unchecked_exports
        from saft.services import advance_pending_exports

        # Exports advance in the workers' periodic job: no browser, no cron line.
        on_every_tick(advance_pending_exports)
        # Archived files nobody validated (and no job was started for) get their job.
        on_every_tick(validate_unchecked_exports)
