from django.urls import path

from reporting.flags import review_page, views

urlpatterns = [
    path("cases/<int:case_id>/flags/", views.case_flags_page, name="case-flags"),
    path("cases/<int:case_id>/flags/review/", views.flag_review_page, name="case-flag-review"),
    path("cases/<int:case_id>/review/", review_page.case_review_page, name="case-review"),
    path("cases/<int:case_id>/flags/rules/", views.rule_settings_page, name="case-flag-settings"),
    path("cases/<int:case_id>/flags/rules/<str:rule_id>/", views.rule_setting_page, name="case-flag-setting"),
]
