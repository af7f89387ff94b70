from django.urls import path

from signatures import views

app_name = "signatures"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/xac-nhan/", views.confirm, name="confirm"),
    path("<int:pk>/mo-lai/", views.reopen, name="reopen"),
    path("<int:pk>/tra-lai/", views.withdraw, name="withdraw"),
    path("<int:pk>/tep/<str:which>/", views.download, name="download"),
]
