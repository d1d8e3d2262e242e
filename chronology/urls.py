from django.urls import path, re_path

from chronology.views import chronology, entries, timeline

urlpatterns = [
    path("cases/<int:case_id>/chronology/", chronology.chronology, name="chronology"),
    path("cases/<int:case_id>/chronology/timeline/", timeline.timeline, name="chronology-timeline"),
    path("cases/<int:case_id>/chronology/new/", entries.entry_create, name="entry-create"),
    path("cases/<int:case_id>/chronology/import/", chronology.entry_import, name="entry-import"),
    re_path(
        r"^cases/(?P<case_id>\d+)/chronology/export\.(?P<fmt>csv|xlsx|json)$",
        chronology.chronology_export,
        name="chronology-export",
    ),
    path("cases/<int:case_id>/chronology/<int:entry_id>/", entries.entry_detail, name="entry-detail"),
    path("cases/<int:case_id>/chronology/<int:entry_id>/amend/", entries.entry_amend, name="entry-amend"),
    path("cases/<int:case_id>/chronology/<int:entry_id>/retract/", entries.entry_retract, name="entry-retract"),
    path("chronology/import-files/<str:name>", chronology.import_template, name="import-template"),
]
