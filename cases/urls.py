from django.urls import path

from cases import views, views_lifecycle, views_security

urlpatterns = [
    path("cases/", views.case_list, name="case-list"),
    path("cases/new/", views.case_create, name="case-create"),
    path("cases/<int:case_id>/", views.case_detail, name="case-detail"),
    path("cases/<int:case_id>/people/new/", views.person_create, name="person-create"),
    path("cases/<int:case_id>/people/<int:person_id>/edit/", views.person_edit, name="person-edit"),
    path("cases/<int:case_id>/status/", views_lifecycle.status_change, name="case-status-change"),
    path("cases/<int:case_id>/close/", views_lifecycle.close, name="case-close"),
    path("cases/<int:case_id>/reopen/", views_lifecycle.reopen, name="case-reopen"),
    path("cases/<int:case_id>/lead/", views_lifecycle.lead_handover, name="case-lead"),
    path("cases/<int:case_id>/team/", views_lifecycle.team_join, name="case-team-join"),
    path("cases/<int:case_id>/team/<int:team_member_id>/end/", views_lifecycle.team_end, name="case-team-end"),
    path("cases/<int:case_id>/summary/", views_lifecycle.summary_edit, name="case-summary-edit"),
    path("cases/<int:case_id>/summary/revisions/", views_lifecycle.summary_revisions, name="case-summary-revisions"),
    path("security-log/", views_security.security_log, name="security-log"),
]
