from django.core.management.base import BaseCommand

from sandbox.demo_data import load_demo


class Command(BaseCommand):
    help = "Create the demo companies (sandbox accounts with two years of documents), users and logins. Idempotent."

    def handle(self, *args, **options):
        lines = load_demo()
        self.stdout.write("Demo data:")
        for line in lines:
            self.stdout.write(line)
