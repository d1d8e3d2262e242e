"""API of information sharing: the signed-in user's notifications (and marking one read) and
"my work". Thin: reads from notifications.selectors, which start from the cases the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.services import audit_record
from core.api import error_responses
from core.bounds import is_db_id
from notifications import selectors, services
from notifications.api.serializers import NotificationSerializer, WorkSerializer
from notifications.models import Notification


class NotificationList(generics.ListAPIView):
    """The signed-in user's notifications about cases they can see, newest first."""

    serializer_class = NotificationSerializer
    keyset_ordering = ("-id",)

    def get_queryset(self) -> QuerySet[Notification]:
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return selectors.notifications_for(self.request.user)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response: Response = super().list(request, *args, **kwargs)
        audit_record(actor=request.user, action="notifications.read")
        return response


class NotificationRead(APIView):
    @extend_schema(
        operation_id="notifications_read",
        request=None,
        responses={200: NotificationSerializer, **error_responses(401, 404)},
    )
    def post(self, request: Request, notification_id: Any) -> Response:
        """Mark one of the user's notifications read."""
        notification = (
            selectors.notifications_for(request.user).filter(pk=int(notification_id)).first()
            if is_db_id(notification_id)
            else None
        )
        if notification is None:
            raise Http404("No such notification.")
        services.notification_mark_read(acting_user=request.user, notification=notification)
        notification.refresh_from_db()
        return Response(NotificationSerializer(notification).data)


class MyWork(APIView):
    @extend_schema(operation_id="me_work", responses={200: WorkSerializer, **error_responses(401)})
    def get(self, request: Request) -> Response:
        """What needs the user: open cases with unreviewed flags, overdue actions and new entries; the
        open actions they or their agency own, overdue first; upcoming meetings; the unread count."""
        work = selectors.my_work(request.user)
        audit_record(actor=request.user, action="my_work.read", detail={"cases": len(work.cases)})
        return Response(WorkSerializer(work, context={"today": work.today}).data)
