from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

from invoices.models import Membership, Role

# The company switcher keeps the kind of page: the page a URL name belongs to in the other
# company, and the role that page needs there. Anything else (a document, its actions, an
# unknown page) lands on the other company's Documents list.
FALLBACK = ("invoices:document_list", Role.VIEWER)
SAME_KIND: dict[str, tuple[str, Role]] = {
    **{
        f"invoices:{name}": ("invoices:sequence_list", Role.VIEWER)
        for name in (
            "sequence_list",
            "sequence_create",
            "sequence_register",
            "sequence_set_default",
        )
    },
    **{
        f"saft:{name}": ("saft:export_list", Role.VIEWER)
        for name in ("export_list", "export_request", "export_status", "export_download")
    },
    "invoices:audit_list": ("invoices:audit_list", Role.MANAGER),
    "invoices:document_create": ("invoices:document_create", Role.CLERK),
    **{
        f"invoices:{name}": ("invoices:receivables_company", Role.VIEWER)
        for name in ("receivables_company", "receivables_statement", "receivables_statement_csv")
    },
}


@dataclass(frozen=True)
class SwitchTarget:
    name: str
    slug: str
    url: str


def switch_url(current: str, slug: str, role: Role) -> str:
    target, needed = SAME_KIND.get(current, FALLBACK)
    if not role.allows(needed):
        target = FALLBACK[0]
    try:
        return reverse(target, args=[slug])
    except NoReverseMatch:  # that feature is not installed
        return reverse("invoices:company_home", args=[slug])


def companies(request):
    """The companies the user may switch between, for the base layout's switcher.

    Lazy: a fragment that never shows the switcher never pays for the query.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"my_companies": []}

    def targets() -> list[SwitchTarget]:
        match = getattr(request, "resolver_match", None)
        current = match.view_name if match else ""
        memberships = (
            Membership.objects.filter(user=user, account__is_active=True)
            .select_related("account")
            .only("role", "account__name", "account__slug")
            .order_by("account__name")
        )
        return [
            SwitchTarget(
                name=m.account.name,
                slug=m.account.slug,
                url=switch_url(current, m.account.slug, Role(m.role)),
            )
            for m in memberships
        ]

    return {"my_companies": SimpleLazyObject(targets)}
