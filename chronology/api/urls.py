from django.urls import path

from chronology.api import entries

urlpatterns = [
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
