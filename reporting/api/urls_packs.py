from django.urls import path

from reporting.api import packs

urlpatterns = [
    path("cases/<int:case_id>/packs/", packs.CasePackListCreate.as_view(), name="api-case-packs"),
    path("packs/<int:pack_id>/", packs.PackDetail.as_view(), name="api-pack"),
    path("packs/<int:pack_id>/download/", packs.PackDownload.as_view(), name="api-pack-download"),
]
