from invoices.models import Account


def companies(request):
    """The companies the user may switch between, for the base layout's switcher."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"my_companies": []}
    return {"my_companies": Account.objects.for_user(user).only("name", "slug")}
