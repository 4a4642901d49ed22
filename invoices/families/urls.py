from django.urls import path

from invoices.families import views

urlpatterns = [
    path("estimates/", views.estimate_list, name="estimate_list"),
    path("guides/", views.guide_list, name="guide_list"),
]
