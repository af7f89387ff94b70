from django.urls import path

from one_stop import views

app_name = "one_stop"

urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("xac-thuc-ket-qua/<str:token>/", views.result_verify, name="result_verify"),
    path("<str:code>/danh-gia/", views.lookup_rate, name="lookup_rate"),
    path("<str:code>/", views.lookup, name="lookup_code"),
]
