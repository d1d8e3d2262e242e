"""Pages: the notifications inbox (mark read), notification settings and "my work". Thin: reads from
notifications.selectors (which start from the cases the user may see), writes through services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from audit.services import audit_record
from core.bounds import is_db_id
from core.forms import add_service_errors
from core.pagination import InvalidCursor, Page, PageLinks, invalid_cursor_context, paginate
from notifications import selectors, services
from notifications.forms import PreferencesForm
from notifications.models import Notification

PAGE_SIZE = 25


@login_required
@require_http_methods(["GET"])
def inbox(request: HttpRequest) -> HttpResponse:
    rows = selectors.notifications_for(request.user)
    try:
        page: Page[Notification] = paginate(rows, ("-id",), cursor=request.GET.get("cursor"), size=PAGE_SIZE)
    except InvalidCursor:
        return render(request, "notifications/inbox.html", invalid_cursor_context(request), status=400)
    audit_record(actor=request.user, action="notifications.viewed", detail={"count": len(page.rows)})
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "pages": PageLinks.build(request, page, label="Notifications pages"),
            "unread": any(not row.read for row in page.rows),
        },
    )


@login_required
@require_http_methods(["POST"])
def mark_read(request: HttpRequest, notification_id: object = None) -> HttpResponse:
    """Mark one notification read (and follow it, with `open`), or all of them."""
    notification = None
    if notification_id is not None:
        notification = (
            selectors.notifications_for(request.user).filter(pk=int(str(notification_id))).first()
            if is_db_id(notification_id)
            else None
        )
        if notification is None:
            raise Http404("No such notification.")
    count = services.notification_mark_read(acting_user=request.user, notification=notification)
    if notification is not None and request.POST.get("open"):
        return redirect(notification.url)
    if notification is None:
        messages.success(request, "All notifications marked as read." if count else "Nothing was unread.")
    return redirect(reverse("notifications"))


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    current = {kind: delivery for (_u, kind), delivery in services.deliveries_for([request.user.pk]).items()}
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_preferences_set(acting_user=request.user, choices=dict(form.cleaned_data))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Your notification settings are saved.")
            return redirect(reverse("notification-preferences"))
    return render(request, "notifications/preferences.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET"])
def my_work(request: HttpRequest) -> HttpResponse:
    work = selectors.my_work(request.user)
    audit_record(
        actor=request.user,
        action="my_work.viewed",
        detail={"cases": len(work.cases), "actions": len(work.actions), "meetings": len(work.meetings)},
    )
    context: dict[str, Any] = {"work": work}
    return render(request, "notifications/my_work.html", context)
