from django.urls import path

from reporting import views_flags

urlpatterns = [
    path("cases/<int:case_id>/flags/", views_flags.case_flags_page, name="case-flags"),
    path("cases/<int:case_id>/flags/review/", views_flags.flag_review_page, name="case-flag-review"),
    path("cases/<int:case_id>/flags/rules/", views_flags.rule_settings_page, name="case-flag-settings"),
    path("cases/<int:case_id>/flags/rules/<str:rule_id>/", views_flags.rule_setting_page, name="case-flag-setting"),
]
