from django.urls import path

from invoices.cockpit import views

urlpatterns = [
    path("", views.cockpit, name="home"),
    path("cockpit/refresh/", views.cockpit_refresh, name="cockpit_refresh"),
]
