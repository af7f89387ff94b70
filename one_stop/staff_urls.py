from django.urls import path

from one_stop import views

app_name = "one_stop_staff"

urlpatterns = [
    path("ho-so/", views.queue, name="queue"),
    path("tiep-nhan/", views.counter_receipt, name="counter"),
    path("ho-so/<str:code>/", views.dossier_detail, name="dossier"),
    path("ho-so/<str:code>/thao-tac/<str:action>/", views.dossier_action, name="dossier_action"),
    path("ho-so/<str:code>/giay-tiep-nhan.pdf", views.receipt, name="receipt"),
    path("ho-so/<str:code>/phieu-xin-loi.pdf", views.apology, name="apology"),
    path("ho-so/<str:code>/phieu-thong-bao.pdf", views.notice, name="notice"),
    path("ho-so/<str:code>/phieu-kiem-soat.pdf", views.control_slip, name="control_slip"),
    path("so-theo-doi/<str:day>.pdf", views.desk_register, name="register"),
]
