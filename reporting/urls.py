from django.urls import path

from reporting import views_packs
from reporting.urls_flags import urlpatterns as flag_urlpatterns

urlpatterns: list = [
    path("cases/<int:case_id>/packs/", views_packs.case_packs_page, name="case-packs"),
    *flag_urlpatterns,
]
