from django.urls import path

from portal.api import views

urlpatterns = [
    path("portal/articles/", views.ArticleList.as_view(), name="portal-api-articles"),
    path("portal/feedback/published/", views.PublishedFeedbackList.as_view(), name="portal-api-feedback-published"),
    path("portal/feedback/", views.MyFeedback.as_view(), name="portal-api-my-feedback"),
]
