from django.urls import path

from invoices.payments import views

urlpatterns = [
    path(
        "<slug:type_path>/<upstream_id:document_id>/payments/",
        views.payment_register,
        name="payment_register",
    ),
    path(
        "<slug:type_path>/<upstream_id:document_id>/payments/<int:payment_id>/cancel/",
        views.receipt_cancel,
        name="receipt_cancel",
    ),
]
