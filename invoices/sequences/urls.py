from django.urls import path

from invoices.sequences import views

urlpatterns = [
    path("", views.sequence_list, name="sequence_list"),
    path("new/", views.sequence_create, name="sequence_create"),
    path("<upstream_id:sequence_id>/register/", views.sequence_register, name="sequence_register"),
    path(
        "<upstream_id:sequence_id>/set-default/",
        views.sequence_set_default,
        name="sequence_set_default",
    ),
]
