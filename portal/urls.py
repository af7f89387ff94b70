from django.urls import path

from portal import views
from portal.constants import ArticleKind

app_name = "portal"

urlpatterns = [
    path("tin-tuc/", views.article_list, {"kind": ArticleKind.NEWS}, name="news"),
    path("tin-tuc/tep/<int:pk>/", views.article_file, name="article_file"),
    path("tin-tuc/<slug:slug>/", views.article_detail, {"kind": ArticleKind.NEWS}, name="news_detail"),
    path("chi-dao-dieu-hanh/", views.article_list, {"kind": ArticleKind.DIRECTION}, name="directions"),
    path("chi-dao-dieu-hanh/<slug:slug>/", views.article_detail, {"kind": ArticleKind.DIRECTION},
         name="directions_detail"),
    path("co-quan/<str:code>/", views.agency_detail, name="agency"),
    path("lich-cong-tac/", views.calendar_week, name="calendar"),
    path("phan-anh-kien-nghi/", views.feedback_public, name="feedback_public"),
    path("phan-anh-kien-nghi/gui/", views.feedback_submit, name="feedback_submit"),
    path("phan-anh-kien-nghi/cua-toi/", views.feedback_mine, name="feedback_mine"),
    path("phan-anh-kien-nghi/cua-toi/<uuid:public_id>/", views.feedback_mine_detail, name="feedback_mine_detail"),
    path("phan-anh-kien-nghi/tep/<int:pk>/", views.feedback_file, name="feedback_file"),
    path("phan-anh-kien-nghi/xu-ly/", views.feedback_staff_list, name="feedback_staff_list"),
    path("phan-anh-kien-nghi/xu-ly/<int:pk>/", views.feedback_staff_detail, name="feedback_staff_detail"),
]
