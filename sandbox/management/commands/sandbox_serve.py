"""Serve only the sandbox, with gunicorn, on 127.0.0.1 (what `make bench` runs against).

    DEBUG=true python manage.py sandbox_serve --port 8100 --workers 4

The accounts then answer at http://127.0.0.1:8100/sandbox/<account_name>/. Several workers are
fine: every piece of sandbox state (fault counters included) lives in the database. With
SQLite, keep the workers few; PostgreSQL (DATABASE_URL) suits concurrent benchmarks.
"""

import os
import shutil
import sys

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve only the InvoiceXpress sandbox with gunicorn on 127.0.0.1."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8100)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument(
            "--timeout",
            type=int,
            default=120,
            help="gunicorn worker timeout; keep it above the 'timeout' fault's sleep.",
        )

    def handle(self, *args, port, workers, threads, timeout, **options):
        gunicorn = shutil.which("gunicorn") or os.path.join(
            os.path.dirname(sys.executable), "gunicorn"
        )
        if not os.path.exists(gunicorn):
            raise CommandError("gunicorn is not installed in this environment.")
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sandbox.settings"}
        argv = [
            gunicorn,
            "sandbox.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--timeout",
            str(timeout),
        ]  # fmt: skip  (no access log: every URL carries an api_key)
        self.stdout.write(
            f"Sandbox on http://127.0.0.1:{port}/sandbox/<account_name>/ (Ctrl-C stops it)"
        )
        self.stdout.flush()
        os.execve(gunicorn, argv, env)
