from django.urls import path

from audit import views

urlpatterns = [
    path("cases/<int:case_id>/audit/", views.case_audit, name="case-audit"),
    path("security-log/", views.security_log, name="security-log"),
]
