from django.urls import path

from chronology import views_audit

urlpatterns = [
    path("cases/<int:case_id>/audit/", views_audit.case_audit, name="case-audit"),
]
