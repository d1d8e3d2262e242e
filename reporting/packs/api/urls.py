from django.urls import path

from reporting.packs.api import views

urlpatterns = [
    path("cases/<int:case_id>/packs/", views.CasePackListCreate.as_view(), name="api-case-packs"),
    path("packs/<int:pack_id>/", views.PackDetail.as_view(), name="api-pack"),
    path("packs/<int:pack_id>/download/", views.PackDownload.as_view(), name="api-pack-download"),
]
