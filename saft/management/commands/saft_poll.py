"""Advance every pending SAF-T export once, by hand. The workers' periodic job
(`manage.py db_worker`, see invoices/jobs/scheduler.py) does the same on its own: no cron line.

Uses the same `export_advance` as the pages, so it is safe to run from several hosts at
once, and beside people watching the pages: each export is asked about at most once per
poll interval, whoever asks.
"""

import logging

from django.core.management.base import BaseCommand, CommandError

from invoices.sentences import render_sentences
from saft.models import SaftExport
from saft.services import export_advance

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Check every pending SAF-T export with InvoiceXpress once; archive the ready ones."

    def handle(self, *args, **options) -> None:
        exports = SaftExport.objects.pending().select_related("account").order_by("requested_at")
        count = errors = 0
        # A list, not a cursor held open across slow upstream calls.
        for export in list(exports):
            count += 1
            label = f"{export.account.slug} {export.period.key} #{export.pk}"
            try:
                advance = export_advance(export=export)
            except Exception as exc:
                # One bad export must not stop the others. The traceback goes to the log,
                # whose filter redacts api_key; the console gets the exception's type only, since
                # a library's exception text may hold a URL.
                errors += 1
                logger.exception("saft_poll: export %s could not be advanced", label)
                self.stderr.write(f"{label}: error ({type(exc).__name__}), see the log")
                continue
            line = f"{label}: {advance.state}"
            if advance.message:
                line += f" - {render_sentences(advance.message)}"
            if advance.said:
                line += f" (InvoiceXpress: {advance.said})"
            self.stdout.write(line)
        if not count:
            self.stdout.write("no pending SAF-T exports")
        if errors:
            # After every export had its turn: a non-zero exit so cron reports it.
            raise CommandError(f"{errors} of {count} pending SAF-T exports could not be advanced")
