from django.core.management.base import BaseCommand
from django.db import connection

from invoices.models import Account
from invoices.models.fields import needs_rotation


class Command(BaseCommand):
    help = "Re-encrypt every stored API key with the first key of IXPORTAL_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        table = Account._meta.db_table
        column = Account._meta.get_field("api_key").column
        rotated = 0
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, {column} FROM {table}")  # noqa: S608 (names from the model)
            rows = cursor.fetchall()
        for pk, stored in rows:
            if stored and needs_rotation(stored):
                account = Account.objects.get(pk=pk)  # decrypts with whichever key fits
                Account.objects.filter(pk=pk).update(
                    api_key=account.api_key
                )  # the field encrypts with the first key
                rotated += 1
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {rotated} of {len(rows)} API keys."))
