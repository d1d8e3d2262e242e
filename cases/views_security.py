"""The security log page: refused access to cases and packs by the users the reader oversees."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from audit.models import AuditEvent
from audit.services import audit_record
from cases import permissions
from cases.selectors import security_log_visible_to
from core.pagination import InvalidCursor, Page, PageLinks, invalid_cursor_context, paginate

PAGE_SIZE = 100
ORDERING = ("-id",)


@login_required
def security_log(request: HttpRequest) -> HttpResponse:
    """Refused access by the users of the manager's agency (every user's, for administrators),
    newest first, 100 rows a page (core.pagination)."""
    events = security_log_visible_to(request.user)
    audit_record(actor=request.user, action="security_log.read")
    context = {"every_agency": permissions.security_log_covers_every_agency(request.user), "rows": [], "pages": None}
    try:
        page: Page[AuditEvent] = paginate(events, ORDERING, cursor=request.GET.get("cursor"), size=PAGE_SIZE)
    except InvalidCursor:
        context.update(invalid_cursor_context(request))
        return render(request, "audit/security_log.html", context, status=400)
    context.update(
        rows=page.rows,
        pages=PageLinks.build(request, page, label="Security log pages", previous_text="Newer", next_text="Older"),
    )
    return render(request, "audit/security_log.html", context)
