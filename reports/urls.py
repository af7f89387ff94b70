from django.urls import path

import reports.converters  # noqa: F401  (registers the "export_format" converter)
from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.public_statistics, name="public"),
    path("xuat/<slug:table>.<export_format:fmt>", views.public_export, name="public_export"),
]
