from django.urls import path

from notifications.api import views

urlpatterns = [
    path("notifications/", views.NotificationList.as_view(), name="api-notifications"),
    path(
        "notifications/<int:notification_id>/read/",
        views.NotificationRead.as_view(),
        name="api-notification-read",
    ),
    path("me/work/", views.MyWork.as_view(), name="api-my-work"),
]
