"""The load test's floor: a plain DRF list of the same 100 entry rows the cursor page returns.

Same server, middleware, token and database as the page; a plain ModelSerializer over the entry
table's own columns, one query, no access policy, no people, no masking, no audit row. Served only
by the load test (bench/run.py starts gunicorn with DJANGO_SETTINGS_MODULE=bench.floor_settings);
never part of the service's URLs.
"""

from django.urls import path
from rest_framework import generics, serializers

from chronology.models import ChronologyEntry
from config.urls import urlpatterns as service_urlpatterns


class PlainEntry(serializers.ModelSerializer):
    class Meta:
        model = ChronologyEntry
        fields = [
            "id",
            "occurred_on",
            "occurred_time",
            "sequence",
            "kind",
            "summary",
            "detail",
            "significance",
            "agency",
            "revision",
            "restricted",
            "retracted",
        ]


class PlainEntryPage(generics.ListAPIView):
    """GET /bench-floor/cases/<id>/entries/?from=<date>: the first 100 entries from that date."""

    serializer_class = PlainEntry
    pagination_class = None

    def get_queryset(self):
        rows = ChronologyEntry.objects.filter(case_id=self.kwargs["case_id"]).order_by("occurred_on", "sequence", "id")
        since = self.request.GET.get("from")
        if since:
            rows = rows.filter(occurred_on__gte=since)
        return rows[:100]


urlpatterns = [
    path("bench-floor/cases/<int:case_id>/entries/", PlainEntryPage.as_view()),
    *service_urlpatterns,
]
