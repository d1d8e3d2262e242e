"""The security log page: refused access to cases and packs by the users the reader oversees."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from audit.selectors import keyset_page
from audit.services import audit_record
from cases import permissions
from cases.selectors import security_log_visible_to


@login_required
def security_log(request):
    """Refused access by the users of the manager's agency (every user's, for administrators)."""
    events = security_log_visible_to(request.user)
    audit_record(actor=request.user, action="security_log.read")
    every_agency = permissions.security_log_covers_every_agency(request.user)
    page = keyset_page(events, before=request.GET.get("before"), after=request.GET.get("after"))
    return render(request, "audit/security_log.html", {"every_agency": every_agency, **page})
