from django.urls import path, re_path

from chronology import timeline_views, views

urlpatterns = [
    path("cases/<int:case_id>/chronology/", views.chronology, name="chronology"),
    path("cases/<int:case_id>/chronology/timeline/", timeline_views.timeline, name="chronology-timeline"),
    path("cases/<int:case_id>/chronology/new/", views.entry_create, name="entry-create"),
    path("cases/<int:case_id>/chronology/import/", views.entry_import, name="entry-import"),
    re_path(
        r"^cases/(?P<case_id>\d+)/chronology/export\.(?P<fmt>csv|xlsx|json)$",
        views.chronology_export,
        name="chronology-export",
    ),
    path("cases/<int:case_id>/chronology/<int:entry_id>/", views.entry_detail, name="entry-detail"),
    path("cases/<int:case_id>/chronology/<int:entry_id>/amend/", views.entry_amend, name="entry-amend"),
    path("cases/<int:case_id>/chronology/<int:entry_id>/retract/", views.entry_retract, name="entry-retract"),
    path("chronology/import-files/<str:name>", views.import_template, name="import-template"),
]
