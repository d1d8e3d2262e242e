from django.urls import path

from genogram import views, views_corrections

urlpatterns = [
    path("cases/<int:case_id>/family/", views.family, name="genogram-family"),
    path("cases/<int:case_id>/family/relationships/new/", views.relationship_add, name="genogram-relationship-add"),
    path(
        "cases/<int:case_id>/family/relationships/<int:relationship_id>/end/",
        views.relationship_end,
        name="genogram-relationship-end",
    ),
    path("cases/<int:case_id>/family/households/new/", views.household_add, name="genogram-household-add"),
    path("cases/<int:case_id>/family/members/new/", views.member_add, name="genogram-member-add"),
    path("cases/<int:case_id>/family/members/<int:member_id>/end/", views.member_end, name="genogram-member-end"),
    path("cases/<int:case_id>/family/ecomap/new/", views.link_add, name="genogram-link-add"),
    path(
        "cases/<int:case_id>/family/entered-in-error/",
        views_corrections.entered_in_error_history,
        name="genogram-entered-in-error",
    ),
    path(
        "cases/<int:case_id>/people/<int:person_id>/entered-in-error/",
        views_corrections.person_entered_in_error,
        name="person-entered-in-error",
    ),
    path(
        "cases/<int:case_id>/family/relationships/<int:relationship_id>/entered-in-error/",
        views_corrections.relationship_entered_in_error,
        name="genogram-relationship-entered-in-error",
    ),
    path(
        "cases/<int:case_id>/family/members/<int:member_id>/entered-in-error/",
        views_corrections.member_entered_in_error,
        name="genogram-member-entered-in-error",
    ),
    path(
        "cases/<int:case_id>/family/ecomap/<int:link_id>/entered-in-error/",
        views_corrections.link_entered_in_error,
        name="genogram-link-entered-in-error",
    ),
]
