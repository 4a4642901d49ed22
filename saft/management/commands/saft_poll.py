"""Advance every pending SAF-T export once, without a browser (run it from cron).

Uses the same `export_advance` as the pages, so it is safe to run from several hosts at
once, and beside people watching the pages: each export is asked about at most once per
poll interval, whoever asks.
"""

from django.core.management.base import BaseCommand

from saft.models import SaftExport
from saft.services import export_advance


class Command(BaseCommand):
    help = "Check every pending SAF-T export with InvoiceXpress once; archive the ready ones."

    def handle(self, *args, **options) -> None:
        exports = SaftExport.objects.pending().select_related("account").order_by("requested_at")
        count = 0
        # A list, not a cursor held open across slow upstream calls.
        for export in list(exports):
            count += 1
            advance = export_advance(export=export)
            line = f"{export.account.slug} {export.period.key} #{export.pk}: {advance.state}"
            if advance.message:
                line += f" - {advance.message}"
            self.stdout.write(line)
        if not count:
            self.stdout.write("no pending SAF-T exports")
