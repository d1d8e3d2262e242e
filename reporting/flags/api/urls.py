from django.urls import path

from reporting.flags.api import review_views, views

urlpatterns = [
    path("cases/<int:case_id>/flags/", views.CaseFlagList.as_view(), name="api-case-flags"),
    path("cases/<int:case_id>/flags/reviews/", views.FlagReviewCreate.as_view(), name="api-case-flag-reviews"),
    path("cases/<int:case_id>/review/", review_views.CaseReview.as_view(), name="api-case-review"),
    path("cases/<int:case_id>/flags/settings/", views.CaseRuleSettings.as_view(), name="api-case-flag-settings"),
]
