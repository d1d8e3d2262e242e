from django.urls import path

from meetings.api import views

urlpatterns = [
    path("cases/<int:case_id>/meetings/", views.MeetingListCreate.as_view(), name="api-meetings"),
    path("cases/<int:case_id>/meetings/<int:meeting_id>/", views.MeetingDetail.as_view(), name="api-meeting"),
    path(
        "cases/<int:case_id>/meetings/<int:meeting_id>/record/",
        views.MeetingRecord.as_view(),
        name="api-meeting-record",
    ),
    path(
        "cases/<int:case_id>/meetings/<int:meeting_id>/cancel/",
        views.MeetingCancel.as_view(),
        name="api-meeting-cancel",
    ),
    path("cases/<int:case_id>/actions/", views.ActionListCreate.as_view(), name="api-actions"),
    path("cases/<int:case_id>/actions/<int:action_id>/", views.ActionDetail.as_view(), name="api-action"),
    path(
        "cases/<int:case_id>/actions/<int:action_id>/complete/",
        views.ActionComplete.as_view(),
        name="api-action-complete",
    ),
    path(
        "cases/<int:case_id>/actions/<int:action_id>/cancel/",
        views.ActionCancel.as_view(),
        name="api-action-cancel",
    ),
]
