from django.urls import path

from notifications import views

urlpatterns = [
    path("notifications/", views.inbox, name="notifications"),
    path("notifications/read/", views.mark_read, name="notifications-read"),
    path("notifications/<int:notification_id>/read/", views.mark_read, name="notification-read"),
    path("notifications/settings/", views.preferences, name="notification-preferences"),
    path("my-work/", views.my_work, name="my-work"),
]
