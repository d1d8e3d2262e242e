from django.urls import path

from chronology.api import audit

urlpatterns = [
    path("cases/<int:case_id>/audit/", audit.CaseAuditList.as_view(), name="api-case-audit"),
]
