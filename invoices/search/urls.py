from django.urls import path

from invoices.search import views

urlpatterns = [
    path("", views.search, name="search"),
]
