from django.urls import path

from one_stop import views

app_name = "one_stop_staff"

urlpatterns = [
    path("ho-so/", views.queue, name="queue"),
    path("ho-so/<str:code>/giay-tiep-nhan.pdf", views.receipt, name="receipt"),
]
