from django.urls import path

import reports.converters  # noqa: F401  (registers the "export_format" converter)
from reports import views

app_name = "reports_staff"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("xuat/<slug:table>.<export_format:fmt>", views.dashboard_export, name="export"),
    path("bao-cao/<int:report_id>.pdf", views.monthly_report, name="monthly_report"),
]
