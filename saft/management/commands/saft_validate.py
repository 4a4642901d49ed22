"""Validate the archived SAF-T files nobody has validated yet (those too large to check inline).

Large files are validated by background jobs (`saft.jobs`) and the periodic job catches up
any file left unchecked; this command checks by hand, inline. `--export ID` validates
(again) one export, whatever its current result.
"""

import logging

from django.core.management.base import BaseCommand

from saft.models import SaftExport
from saft.services import export_validate

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Validate archived SAF-T exports that have no validation result yet."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--export", type=int, help="validate this export (again)")

    def handle(self, *args, **options) -> None:
        exports = SaftExport.objects.ready().select_related("account").order_by("requested_at")
        exports = (
            exports.filter(pk=options["export"]) if options["export"] else exports.unvalidated()
        )
        for export in list(exports):
            label = f"{export.account.slug} {export.period.key} #{export.pk}"
            try:
                report = export_validate(export=export)
            except Exception as exc:
                logger.exception("saft_validate: export %s could not be validated", label)
                self.stderr.write(f"{label}: error ({type(exc).__name__}), see the log")
                continue
            self.stdout.write(
                f"{label}: {report.verdict} ({len(report.errors)} errors, "
                f"{len(report.warnings)} warnings)"
            )
