from django.urls import path

from reporting.api import flags

urlpatterns = [
    path("cases/<int:case_id>/flags/", flags.CaseFlagList.as_view(), name="api-case-flags"),
    path("cases/<int:case_id>/flags/reviews/", flags.FlagReviewCreate.as_view(), name="api-case-flag-reviews"),
    path("cases/<int:case_id>/flags/settings/", flags.CaseRuleSettings.as_view(), name="api-case-flag-settings"),
]
