from django.urls import path

from cases.api import lifecycle, security, views

urlpatterns = [
    path("cases/", views.CaseListCreate.as_view(), name="api-cases"),
    path("cases/<int:case_id>/", views.CaseDetail.as_view(), name="api-case"),
    path("cases/<int:case_id>/agencies/", views.CaseAgencyListCreate.as_view(), name="api-case-agencies"),
    path("cases/<int:case_id>/people/", views.PersonListCreate.as_view(), name="api-people"),
    path("cases/<int:case_id>/people/<int:person_id>/", views.PersonDetail.as_view(), name="api-person"),
    path("cases/<int:case_id>/status/", lifecycle.CaseStatusHistory.as_view(), name="api-case-status"),
    path("cases/<int:case_id>/close/", lifecycle.CaseClose.as_view(), name="api-case-close"),
    path("cases/<int:case_id>/reopen/", lifecycle.CaseReopen.as_view(), name="api-case-reopen"),
    path("cases/<int:case_id>/lead/", lifecycle.CaseLeadHandover.as_view(), name="api-case-lead"),
    path("cases/<int:case_id>/team/", lifecycle.CaseTeam.as_view(), name="api-case-team"),
    path(
        "cases/<int:case_id>/team/<int:team_member_id>/end/",
        lifecycle.CaseTeamMemberEnd.as_view(),
        name="api-case-team-end",
    ),
    path("cases/<int:case_id>/summary/", lifecycle.CaseSummary.as_view(), name="api-case-summary"),
    path(
        "cases/<int:case_id>/summary/revisions/",
        lifecycle.CaseSummaryRevisions.as_view(),
        name="api-case-summary-revisions",
    ),
    path("security-log/", security.SecurityLogList.as_view(), name="api-security-log"),
]
