from django.urls import path

from cases import views, views_security

urlpatterns = [
    path("cases/", views.case_list, name="case-list"),
    path("cases/new/", views.case_create, name="case-create"),
    path("cases/<int:case_id>/", views.case_detail, name="case-detail"),
    path("cases/<int:case_id>/people/new/", views.person_create, name="person-create"),
    path("cases/<int:case_id>/people/<int:person_id>/edit/", views.person_edit, name="person-edit"),
    path("security-log/", views_security.security_log, name="security-log"),
]
