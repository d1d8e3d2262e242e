from django.urls import path

from reporting.packs import views

urlpatterns = [
    path("cases/<int:case_id>/packs/", views.case_packs_page, name="case-packs"),
]
