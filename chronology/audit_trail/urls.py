from django.urls import path

from chronology.audit_trail import views

urlpatterns = [
    path("cases/<int:case_id>/audit/", views.case_audit, name="case-audit"),
]
