from django.urls import include, path

from public_services.payments import views

app_name = "payments"

urlpatterns = [
    path("ho-so/<str:code>/", views.dossier_payment, name="dossier"),
    path("giao-dich/<str:txn_ref>/chuyen-cong/", views.go_to_gateway, name="go"),
    path("giao-dich/<str:txn_ref>/trang-thai/", views.payment_status, name="status"),
    path("ket-qua/", views.payment_return, name="return"),
    path("ipn/", views.payment_ipn, name="ipn"),
    path("bien-lai/<str:txn_ref>/", views.receipt_download, name="receipt"),
    path("cong-thu-nghiem/", include("public_services.payments.sandbox.urls")),
]
