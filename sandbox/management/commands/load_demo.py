from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sandbox.demo_data import load_demo


class Command(BaseCommand):
    help = "Create the demo companies (sandbox accounts with two years of documents), users and logins. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (it creates users with known passwords).",
        )

    def handle(self, *args, **options):
        # The demo users have published passwords: never on a production site by accident.
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "load_demo creates users with known passwords and is for development: "
                "DEBUG is off, so it refuses. Pass --force if this really is a demo site."
            )
        lines = load_demo()
        self.stdout.write("Demo data:")
        for line in lines:
            self.stdout.write(line)
