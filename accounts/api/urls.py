from django.urls import path

from accounts.api import views

urlpatterns = [
    path("auth/token/", views.ObtainToken.as_view(), name="api-token"),
    path("users/", views.UserListCreate.as_view(), name="api-users"),
]
