from django.urls import path

from chronology.api import entries, views

urlpatterns = [
    path("cases/", views.CaseListCreate.as_view(), name="api-cases"),
    path("cases/<int:case_id>/", views.CaseDetail.as_view(), name="api-case"),
    path("cases/<int:case_id>/agencies/", views.CaseAgencyListCreate.as_view(), name="api-case-agencies"),
    path("cases/<int:case_id>/people/", views.PersonListCreate.as_view(), name="api-people"),
    path("cases/<int:case_id>/people/<int:person_id>/", views.PersonDetail.as_view(), name="api-person"),
    path("cases/<int:case_id>/entries/", entries.EntryListCreate.as_view(), name="api-entries"),
    path("cases/<int:case_id>/entries/import/", entries.EntryImport.as_view(), name="api-entries-import"),
    path("cases/<int:case_id>/entries/<int:entry_id>/", entries.EntryDetail.as_view(), name="api-entry"),
    path("cases/<int:case_id>/entries/<int:entry_id>/amend/", entries.EntryAmend.as_view(), name="api-entry-amend"),
    path(
        "cases/<int:case_id>/entries/<int:entry_id>/retract/", entries.EntryRetract.as_view(), name="api-entry-retract"
    ),
    path(
        "cases/<int:case_id>/entries/<int:entry_id>/revisions/",
        entries.EntryRevisions.as_view(),
        name="api-entry-revisions",
    ),
]
