from django.urls import path

from reports.api import views

urlpatterns = [
    path("reports/statistics/", views.public_statistics, name="reports-statistics"),
    path("reports/dashboard/", views.dashboard_index, name="reports-dashboard"),
]
