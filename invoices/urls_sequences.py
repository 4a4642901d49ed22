from django.urls import path

from invoices import views_sequences

urlpatterns = [
    path(
        "c/<slug:account_slug>/sequences/",
        views_sequences.sequence_list,
        name="sequence_list",
    ),
    path(
        "c/<slug:account_slug>/sequences/new/",
        views_sequences.sequence_create,
        name="sequence_create",
    ),
    path(
        "c/<slug:account_slug>/sequences/<upstream_id:sequence_id>/register/",
        views_sequences.sequence_register,
        name="sequence_register",
    ),
    path(
        "c/<slug:account_slug>/sequences/<upstream_id:sequence_id>/set-default/",
        views_sequences.sequence_set_default,
        name="sequence_set_default",
    ),
    # Across companies: only the user's own (Account.objects.for_user).
    path("sequences/", views_sequences.sequence_overview, name="sequence_overview"),
]
