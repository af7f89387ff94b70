from django.urls import path

from public_services import views

app_name = "public_services"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure"),
    path("thu-tuc/<str:code>/mau/<int:template_id>/", views.form_template, name="form_template"),
    path("thu-tuc/<str:code>/nop-ho-so/", views.apply, name="apply"),
    path("ho-so-cua-toi/", views.my_dossiers, name="my_dossiers"),
    path("du-lieu-ca-nhan/tai-ve/", views.personal_data_download, name="personal_data_download"),
    path("ho-so-cua-toi/<str:code>/", views.dossier_detail, name="dossier"),
    path("ho-so-cua-toi/<str:code>/giay-tiep-nhan.pdf", views.receipt, name="receipt"),
    path("ho-so-cua-toi/<str:code>/rut/", views.withdraw, name="withdraw"),
    path("ho-so-cua-toi/<str:code>/danh-gia/", views.rate, name="rate"),
    path("ho-so-cua-toi/<str:code>/bo-sung/", views.supplement, name="supplement"),
    path("ho-so-cua-toi/<str:code>/tep/<int:document_id>/", views.document_download, name="document"),
    path("ho-so-cua-toi/<str:code>/tep/<int:document_id>/xoa/", views.document_delete, name="document_delete"),
]
