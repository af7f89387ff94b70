"""Mounted by the root urlconf under /api/v1/ (path("api/v1/", include("egov.accounts.api_urls")))."""

from django.urls import path

from egov.accounts import api

urlpatterns = [
    path("citizens/register/", api.RegisterView.as_view(), name="api-citizen-register"),
    path("citizens/resend/", api.ResendView.as_view(), name="api-citizen-resend"),
    path("citizens/verify/", api.VerifyView.as_view(), name="api-citizen-verify"),
    path("citizens/me/", api.MeView.as_view(), name="api-citizen-me"),
    path("citizens/me/erase/", api.EraseView.as_view(), name="api-citizen-erase"),
    path("citizens/me/privacy-consent/", api.ConsentView.as_view(), name="api-citizen-consent"),
    path("citizens/me/personal-data-requests/", api.DataRequestsView.as_view(), name="api-citizen-data-requests"),
    path("citizens/me/personal-data-requests/<uuid:request_id>/cancel/", api.DataRequestCancelView.as_view(),
         name="api-citizen-data-request-cancel"),
]
