import os
import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from invoices.models import Account, Membership, Role


class Command(BaseCommand):
    help = "Add (or update) an InvoiceXpress account and its members, for scripted set-up."

    def add_arguments(self, parser):
        parser.add_argument(
            "--name", required=True, help="Display name, e.g. 'Padaria Lusitana, Lda.'"
        )
        parser.add_argument(
            "--account-name", required=True, help="The InvoiceXpress account (sub-domain)"
        )
        key = parser.add_mutually_exclusive_group(required=True)
        key.add_argument(
            "--api-key",
            help="The account's API key (stored encrypted). Prefer --api-key-stdin or "
            "--api-key-env: a command-line argument stays in shell history and `ps`.",
        )
        key.add_argument(
            "--api-key-stdin", action="store_true", help="Read the API key from standard input"
        )
        key.add_argument(
            "--api-key-env", metavar="VARIABLE", help="Read the API key from this variable"
        )
        parser.add_argument(
            "--base-url", default="", help="Override https://ACCOUNT.app.invoicexpress.com"
        )
        parser.add_argument("--slug", default="", help="URL slug (default: from the name)")
        parser.add_argument(
            "--member",
            action="append",
            default=[],
            metavar="USERNAME:ROLE",
            help="Give an existing user a role (viewer, clerk, manager); repeatable",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        options["api_key"] = self._api_key(options)
        slug = options["slug"] or slugify(options["name"])[:60]
        if not slug:
            raise CommandError("The name gives an empty slug: pass --slug.")
        members = [self._parse_member(spec) for spec in options["member"]]
        account, created = Account.objects.get_or_create(
            slug=slug,
            defaults={
                "name": options["name"],
                "account_name": options["account_name"],
                "api_key": options["api_key"],
            },
        )
        account.name = options["name"]
        account.account_name = options["account_name"]
        account.api_key = options["api_key"]
        account.base_url = options["base_url"]
        try:
            account.full_clean()
        except ValidationError as exc:
            # The transaction rolls back: a refused URL leaves no half-made account behind.
            raise CommandError(" ".join(exc.messages)) from None
        account.save()
        for user, role in members:
            Membership.objects.update_or_create(user=user, account=account, defaults={"role": role})
        verb = "Created" if created else "Updated"
        # Never echo the key.
        self.stdout.write(
            self.style.SUCCESS(f"{verb} account {account.slug} ({account.api_base_url})")
        )
        for user, role in members:
            self.stdout.write(f"  {user.get_username()}: {role}")

    def _api_key(self, options) -> str:
        if options.get("api_key_stdin"):
            key = sys.stdin.readline().strip()
        elif options.get("api_key_env"):
            key = os.environ.get(options["api_key_env"], "").strip()
        else:
            key = (options.get("api_key") or "").strip()
        if not key:
            raise CommandError("The API key is empty.")
        return key

    def _parse_member(self, spec: str):
        username, sep, role = spec.partition(":")
        if not sep or role not in Role.values:
            raise CommandError(
                f"--member takes USERNAME:ROLE with ROLE one of {', '.join(Role.values)}; got {spec!r}"
            )
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        return user, Role(role)
