"""Signature API routes, included by the root urlconf under /api/v1/."""

from django.urls import path

from signatures.api import views

app_name = "signatures_api"

urlpatterns = [
    path("signatures/verify/", views.SignatureVerifyView.as_view(), name="verify"),
]
