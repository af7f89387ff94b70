from django.urls import path

from one_stop import views

app_name = "one_stop"

urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("<str:code>/", views.lookup, name="lookup_code"),
]
