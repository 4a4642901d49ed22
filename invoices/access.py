"""The one access check every company view starts with."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from invoices.models import Account, Membership, Role


def get_account_for_user(
    request: HttpRequest, account_slug: str, role: Role = Role.VIEWER
) -> Account:
    """The account `account_slug` if the user is a member with at least `role`.

    Not a member (or no such/inactive account): 404, so a URL does not even reveal that a
    company exists. A member whose role is too low: 403. The membership's role is left on
    `account.role` for templates to show only what the user may do.
    """
    user_id = request.user.pk
    if user_id is None:  # not signed in: a member of nothing
        raise Http404("No such company.")
    membership = (
        Membership.objects.select_related("account")
        .filter(user_id=user_id, account__slug=account_slug, account__is_active=True)
        .first()
    )
    if membership is None:
        raise Http404("No such company.")
    user_role = Role(membership.role)
    if not user_role.allows(role):
        raise PermissionDenied("Your role in this company does not allow this.")
    account = membership.account
    account.role = user_role
    return account
