from django.urls import path

from meetings import views

urlpatterns = [
    path("cases/<int:case_id>/meetings/", views.case_meetings_page, name="case-meetings"),
    path("cases/<int:case_id>/meetings/new/", views.meeting_new_page, name="meeting-new"),
    path("cases/<int:case_id>/meetings/<int:meeting_id>/", views.meeting_page, name="meeting-detail"),
    path("cases/<int:case_id>/meetings/<int:meeting_id>/record/", views.meeting_record_page, name="meeting-record"),
    path("cases/<int:case_id>/meetings/<int:meeting_id>/cancel/", views.meeting_cancel_page, name="meeting-cancel"),
    path("cases/<int:case_id>/actions/", views.case_actions_page, name="case-actions"),
    path("cases/<int:case_id>/actions/new/", views.action_new_page, name="action-new"),
    path("cases/<int:case_id>/actions/<int:action_id>/", views.action_page, name="case-action"),
    path("cases/<int:case_id>/actions/<int:action_id>/cancel/", views.action_cancel_page, name="action-cancel"),
]
