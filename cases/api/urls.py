from django.urls import path

from cases.api import security, views

urlpatterns = [
    path("cases/", views.CaseListCreate.as_view(), name="api-cases"),
    path("cases/<int:case_id>/", views.CaseDetail.as_view(), name="api-case"),
    path("cases/<int:case_id>/agencies/", views.CaseAgencyListCreate.as_view(), name="api-case-agencies"),
    path("cases/<int:case_id>/people/", views.PersonListCreate.as_view(), name="api-people"),
    path("cases/<int:case_id>/people/<int:person_id>/", views.PersonDetail.as_view(), name="api-person"),
    path("security-log/", security.SecurityLogList.as_view(), name="api-security-log"),
]
