from django.urls import path

from public_services.payments.api import views

urlpatterns = [
    path("dossiers/<str:code>/payments/", views.dossier_payments, name="dossier-payments"),
    path("payments/<str:txn_ref>/receipt/", views.payment_receipt, name="payment-receipt"),
]
