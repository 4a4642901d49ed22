from django.contrib.auth import get_user_model
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
        parser.add_argument(
            "--api-key", required=True, help="The account's API key (stored encrypted)"
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
        account.full_clean()
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
