from django.urls import path

from public_services.api import views

# Mounted before one_stop's API in egov/urls.py: one_stop's router would otherwise take
# "dossiers/drafts/" for the dossier with code "drafts".
urlpatterns = [
    path("procedures/<str:code>/form/", views.procedure_form, name="portal-api-procedure-form"),
    path("dossiers/drafts/", views.draft_create, name="portal-api-draft-create"),
    path("dossiers/<str:code>/draft/", views.draft_update, name="portal-api-draft-update"),
    path("dossiers/<str:code>/documents/", views.document_upload, name="portal-api-document-upload"),
    path("dossiers/<str:code>/documents/<int:document_id>/", views.document_download, name="portal-api-document"),
    path("dossiers/<str:code>/submit/", views.submit, name="portal-api-submit"),
    path("my/dossiers/", views.MyDossiers.as_view(), name="portal-api-my-dossiers"),
    path("my/dossiers/<str:code>/", views.my_dossier, name="portal-api-my-dossier"),
]
