from django.urls import path

from one_stop import views

app_name = "one_stop_staff"

urlpatterns = [
    path("ho-so/", views.queue, name="queue"),
    path("tiep-nhan/", views.counter_receipt, name="counter"),
    path("tiep-nhan/thanh-phan/", views.counter_checklist, name="counter_checklist"),
    path("tiep-nhan/thu-tuc/", views.counter_procedures, name="counter_procedures"),
    path("truc-tuyen/", views.online_inbox, name="inbox"),
    path("ho-so/<str:code>/", views.dossier_detail, name="dossier"),
    path("ho-so/<str:code>/thao-tac/<str:action>/", views.dossier_action, name="dossier_action"),
    path("ho-so/<str:code>/hoan-thanh-buoc/", views.dossier_step_done, name="step_done"),
    path("ho-so/<str:code>/chuyen/", views.dossier_forward_view, name="forward"),
    path("ho-so/<str:code>/hen-lai/", views.dossier_postpone_view, name="postpone"),
    path("ho-so/<str:code>/tai-len/<str:kind>/", views.dossier_upload, name="upload"),
    path("ho-so/<str:code>/trinh-ky-ket-qua/", views.dossier_result_sign, name="result_sign"),
    path("ho-so/<str:code>/chuyen-lanh-dao-khac-ky/", views.dossier_result_signer_change_view, name="result_signer_change"),
    path("ho-so/<str:code>/tep/<int:document_id>/", views.dossier_document, name="document"),
    path("ho-so/<str:code>/giay-tiep-nhan.pdf", views.receipt, name="receipt"),
    path("ho-so/<str:code>/phieu-xin-loi.pdf", views.apology, name="apology"),
    path("ho-so/<str:code>/phieu-thong-bao.pdf", views.notice, name="notice"),
    path("ho-so/<str:code>/phieu-kiem-soat.pdf", views.control_slip, name="control_slip"),
    path("so-theo-doi/", views.desk_register_choose, name="register_choose"),
    path("so-theo-doi/<str:day>.pdf", views.desk_register, name="register"),
]
