from django.urls import path

from invoices import views

app_name = "invoices"
urlpatterns = [
    path("", views.home, name="home"),
]
