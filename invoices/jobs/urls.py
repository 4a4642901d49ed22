from django.urls import path

from invoices.jobs import views

urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("<int:job_id>/", views.job_detail, name="job_detail"),
    path("<int:job_id>/progress/", views.job_progress, name="job_progress"),
    path("<int:job_id>/result/", views.job_result, name="job_result"),
]
