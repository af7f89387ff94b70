from django.urls import path

from docs_office import views

app_name = "docs_office"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("den/", views.incoming_list, name="incoming_list"),
    path("den/vao-so/", views.incoming_register, name="incoming_register"),
    path("den/nhap-edxml/", views.incoming_import_edxml_page, name="incoming_import"),
    path("den/<int:pk>/", views.incoming_detail, name="incoming_detail"),
    path("den/<int:pk>/thao-tac/<str:action>/", views.incoming_action, name="incoming_action"),
    path("den/<int:pk>/tep/", views.incoming_file, name="incoming_file"),
    path("den/<int:pk>/phu-luc/", views.incoming_attachment_add_page, name="incoming_attachment_add"),
    path("den/<int:pk>/phu-luc/<int:attachment_pk>/", views.incoming_attachment_file, name="incoming_attachment_file"),
    path("den/<int:pk>/phu-luc/<int:attachment_pk>/go/", views.incoming_attachment_remove_page,
         name="incoming_attachment_remove"),
    path("den/<int:pk>/trang-thai-edxml/", views.incoming_edxml_status, name="incoming_edxml_status"),
    path("di/", views.outgoing_list, name="outgoing_list"),
    path("di/soan-thao/", views.outgoing_create_page, name="outgoing_create"),
    path("di/nhap-trang-thai-edxml/", views.outgoing_status_import_page, name="outgoing_status_import"),
    path("di/<int:pk>/", views.outgoing_detail, name="outgoing_detail"),
    path("di/<int:pk>/sua-noi-dung/", views.outgoing_compose_page, name="outgoing_compose"),
    path("di/<int:pk>/thao-tac/<str:action>/", views.outgoing_action, name="outgoing_action"),
    path("di/<int:pk>/tep/", views.outgoing_file, name="outgoing_file"),
    path("di/<int:pk>/phu-luc/", views.outgoing_attachment_add_page, name="outgoing_attachment_add"),
    path("di/<int:pk>/phu-luc/<int:attachment_pk>/", views.outgoing_attachment_file, name="outgoing_attachment_file"),
    path("di/<int:pk>/phu-luc/<int:attachment_pk>/go/", views.outgoing_attachment_remove_page,
         name="outgoing_attachment_remove"),
    path("di/<int:pk>/edxml/", views.outgoing_edxml, name="outgoing_edxml"),
    path("nhiem-vu/", views.tasks_page, name="tasks"),
    path("nhiem-vu/<int:pk>/bao-cao/", views.task_report_page, name="task_report"),
    path("so/<int:pk>/<int:year>.pdf", views.register_export, name="register_export"),
    path("so/<int:pk>/<int:year>.xlsx", views.register_export, {"fmt": "xlsx"}, name="register_export_xlsx"),
]
