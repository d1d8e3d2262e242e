from django.urls import path

from genogram.api import views

case = "cases/<int:case_id>/"

urlpatterns = [
    path(f"{case}relationships/", views.RelationshipListCreate.as_view(), name="api-relationships"),
    path(
        f"{case}relationships/<int:relationship_id>/end/", views.RelationshipEnd.as_view(), name="api-relationship-end"
    ),
    path(f"{case}households/", views.HouseholdListCreate.as_view(), name="api-households"),
    path(f"{case}households/<int:household_id>/", views.HouseholdDetail.as_view(), name="api-household"),
    path(
        f"{case}households/<int:household_id>/members/",
        views.HouseholdMemberListCreate.as_view(),
        name="api-household-members",
    ),
    path(
        f"{case}households/<int:household_id>/members/<int:member_id>/end/",
        views.HouseholdMemberEnd.as_view(),
        name="api-household-member-end",
    ),
    path(f"{case}ecomap-links/", views.EcomapLinkListCreate.as_view(), name="api-ecomap-links"),
    path(f"{case}ecomap-links/<int:link_id>/end/", views.EcomapLinkEnd.as_view(), name="api-ecomap-link-end"),
    path(
        f"{case}people/<int:person_id>/entered-in-error/",
        views.PersonEnteredInError.as_view(),
        name="api-person-entered-in-error",
    ),
    path(
        f"{case}relationships/<int:relationship_id>/entered-in-error/",
        views.RelationshipEnteredInError.as_view(),
        name="api-relationship-entered-in-error",
    ),
    path(
        f"{case}households/<int:household_id>/members/<int:member_id>/entered-in-error/",
        views.HouseholdMemberEnteredInError.as_view(),
        name="api-household-member-entered-in-error",
    ),
    path(
        f"{case}ecomap-links/<int:link_id>/entered-in-error/",
        views.EcomapLinkEnteredInError.as_view(),
        name="api-ecomap-link-entered-in-error",
    ),
    path(f"{case}genogram.svg", views.GenogramImage.as_view(fmt="svg"), name="api-genogram-svg"),
    path(f"{case}genogram.png", views.GenogramImage.as_view(fmt="png"), name="api-genogram-png"),
    path(f"{case}genogram.json", views.GenogramJSON.as_view(), name="api-genogram-json"),
    path(f"{case}genogram.ged", views.GenogramGedcom.as_view(), name="api-genogram-ged"),
    path(f"{case}ecomap.svg", views.EcomapImage.as_view(), name="api-ecomap-svg"),
    path(f"{case}genogram/import/", views.GenogramImport.as_view(), name="api-genogram-import"),
]
