"""Pack API: request a pack for a case (202, built in the background), follow it, download it."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, renderers, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.models import Agency
from audit.services import audit_record
from cases.api.base import CaseScopedMixin
from core.api import error_responses
from reporting.packs.models import Pack, PackKind, PackSignificance
from reporting.packs.selectors import case_packs, pack_for_user
from reporting.packs.services import PackQueueUnavailable, pack_download_record, pack_request


class PackRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PackKind.choices)
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    min_significance = serializers.ChoiceField(choices=PackSignificance.choices, default=PackSignificance.LOW)
    agencies = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), many=True, required=False)

    def validate(self, attrs):
        if attrs["date_to"] < attrs["date_from"]:
            raise serializers.ValidationError({"date_to": ["The end of the period must be on or after its start."]})
        return attrs


class PackSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()
    notice = serializers.SerializerMethodField()
    generated_by = serializers.CharField(source="generated_by.display_name", read_only=True)

    class Meta:
        model = Pack
        fields = [
            "id",
            "case",
            "kind",
            "date_from",
            "date_to",
            "min_significance",
            "agencies",
            "status",
            "progress",
            "error",
            "notice",
            "download_url",
            "sha256",
            "page_count",
            "generated_by",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_notice(self, pack: Pack) -> str:
        """Says so when no worker has started the pack after a while ("" otherwise)."""
        return pack.waiting_notice()

    def get_download_url(self, pack: Pack) -> str | None:
        if not pack.is_ready:
            return None
        path = reverse("api-pack-download", kwargs={"pack_id": pack.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class PackQueueUnavailableSerializer(serializers.Serializer):
    detail = serializers.CharField()
    pack = PackSerializer()


class CasePackListCreate(CaseScopedMixin, generics.ListAPIView):
    """GET the case's packs, newest first; POST kind, date_from, date_to, min_significance -> 202 and the job."""

    serializer_class = PackSerializer
    audit_read_action = "pack.listed"
    keyset_ordering = ("-id",)

    def get_queryset(self):
        return case_packs(self.case)

    @extend_schema(
        request=PackRequestSerializer,
        responses={202: PackSerializer, 503: PackQueueUnavailableSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, case_id):
        incoming = PackRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            pack = pack_request(acting_user=request.user, case=self.case, **incoming.validated_data)
        except PackQueueUnavailable as exc:
            # The broker is down: the pack is recorded as failed (nothing is left queued). Try later.
            body = {"detail": str(exc), "pack": PackSerializer(exc.pack, context={"request": request}).data}
            response = Response(body, status=status.HTTP_503_SERVICE_UNAVAILABLE)
            response["Retry-After"] = str(exc.retry_after)
            return response
        pack.refresh_from_db()
        return Response(PackSerializer(pack, context={"request": request}).data, status=status.HTTP_202_ACCEPTED)


class PackDetail(APIView):
    """GET status, progress, error and, once done, download_url. 404 unless the pack's case is visible."""

    @extend_schema(responses=PackSerializer)
    def get(self, request, pack_id: int):
        pack = pack_for_user(request.user, pack_id)
        audit_record(actor=request.user, action="pack.viewed", case=pack.case, obj=pack, detail={"status": pack.status})
        return Response(PackSerializer(pack, context={"request": request}).data)


class PDFRenderer(renderers.BaseRenderer):
    """Lets a client ask for application/pdf; errors are still JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return renderers.JSONRenderer().render(data)


class PackDownload(APIView):
    """GET the PDF. Every download is audited."""

    renderer_classes = [renderers.JSONRenderer, PDFRenderer]

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, pack_id: int):
        pack = pack_for_user(request.user, pack_id)
        if not pack.is_ready:
            raise Http404("The pack is not ready.")
        try:
            handle = pack.file.open("rb")
        except FileNotFoundError:
            raise Http404("The pack's file is missing.") from None
        pack_download_record(acting_user=request.user, pack=pack)
        reference = f"R-{pack.pk}" if pack.is_anonymised else pack.case.reference.replace("/", "-")
        response = FileResponse(
            handle,
            content_type="application/pdf",
            as_attachment=True,
            filename=f"{reference}-{pack.kind}-pack-{pack.pk}.pdf",
        )
        response["Cache-Control"] = "no-store, private"
        return response
