from django.urls import path

from invoices.lifecycle import views
from invoices.lifecycle.actions import Action

DOCUMENT = "<slug:type_path>/<upstream_id:document_id>/"

urlpatterns = [
    path("finalize/", views.document_bulk_finalize, name="document_bulk_finalize"),
    path(f"{DOCUMENT}header/", views.document_header, name="document_header"),
    path(f"{DOCUMENT}pdf/", views.document_pdf, name="document_pdf"),
    path(f"{DOCUMENT}pdf/download/", views.document_pdf_download, name="document_pdf_download"),
    # One route per action: document_finalize, document_delete, document_cancel,
    # document_settle, document_unsettle (GET: the confirm step; POST: the change).
    *(
        path(
            f"{DOCUMENT}{action.value}/",
            views.document_change_state,
            {"action": action.value},
            name=f"document_{action.value}",
        )
        for action in Action
    ),
]
