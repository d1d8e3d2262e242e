from django.urls import path

from audit.api import views

urlpatterns = [
    path("cases/<int:case_id>/audit/", views.CaseAuditList.as_view(), name="api-case-audit"),
    path("security-log/", views.SecurityLogList.as_view(), name="api-security-log"),
]
