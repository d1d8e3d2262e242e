from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView

api_v1 = [
    path("", include("accounts.api.urls")),
    path("", include("agencies.api.urls")),
    path("", include("cases.api.urls")),
    path("", include("chronology.api.urls")),
    path("", include("genogram.api.urls")),
    path("", include("reporting.packs.api.urls")),
    path("", include("reporting.flags.api.urls")),
    path("", include("chronology.api.urls_audit")),
    path("", include("meetings.api.urls")),
    path("", include("notifications.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
]

# A database outage anywhere in a request answers 503 with Retry-After (core/outage.py).
handler500 = "core.outage.server_error"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="case-list", permanent=False)),
    path("", include("accounts.urls")),
    path("", include("cases.urls")),
    path("", include("chronology.urls")),
    path("", include("genogram.urls")),
    path("", include("reporting.packs.urls")),
    path("", include("reporting.flags.urls")),
    path("", include("chronology.audit_trail.urls")),
    path("", include("meetings.urls")),
    path("", include("notifications.urls")),
    path("api/v1/", include(api_v1)),
]
