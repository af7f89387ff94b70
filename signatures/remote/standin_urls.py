"""The stand-in remote signing service (development and tests; 404 otherwise)."""

from django.urls import path

from signatures.remote import standin_views

app_name = "remote_standin"

urlpatterns = [
    path("giao-dich/", standin_views.api_transaction_create, name="api_create"),
    path("giao-dich/<uuid:transaction_id>/", standin_views.api_transaction_status, name="api_status"),
    path("giao-dich/<uuid:transaction_id>/xac-nhan/", standin_views.app_confirm, name="app_confirm"),
    path("ung-dung/<str:account>/", standin_views.app_inbox, name="app_inbox"),
]
