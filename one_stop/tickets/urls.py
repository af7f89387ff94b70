from django.urls import path

from one_stop.tickets import views

app_name = "tickets"

# The clerk's and slip paths come before "<agency>/", which would otherwise take them as an agency key.
urlpatterns = [
    path("quay/", views.clerk_home, name="clerk"),
    path("quay/<int:counter_id>/", views.clerk_console, name="clerk_console"),
    path("quay/<int:counter_id>/trang-thai/", views.clerk_status, name="clerk_status"),
    path("quay/<int:counter_id>/<slug:action>/", views.clerk_action, name="clerk_action"),
    path("phieu/<uuid:token>/", views.slip, name="slip"),
    path("<str:agency>/", views.kiosk, name="kiosk"),
    path("<str:agency>/man-hinh/", views.board, name="board"),
    path("<str:agency>/man-hinh/noi-dung/", views.board_fragment, name="board_fragment"),
]
