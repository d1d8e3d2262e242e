from django.urls import path

from accounts.api import views

urlpatterns = [
    path("auth/token/", views.ObtainToken.as_view(), name="api-token"),
    path("auth/logout/", views.Logout.as_view(), name="api-logout"),
    path("auth/password/", views.PasswordChange.as_view(), name="api-password"),
    path("users/", views.UserListCreate.as_view(), name="api-users"),
]
