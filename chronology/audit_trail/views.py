"""The audit trail of a case, as a page: restricted entries the reader may not read are redacted."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from audit import selectors
from audit.selectors import keyset_page
from audit.services import audit_record
from cases.selectors import case_audit_events, case_for_user
from chronology.selectors import unreadable_restricted_entries


@login_required
def case_audit(request, case_id: int):
    """The case's audit trail, newest first, 100 rows a page."""
    case = case_for_user(request.user, case_id)
    events = case_audit_events(request.user, case).select_related("actor")
    audit_record(actor=request.user, action="audit.read", case=case)
    page = keyset_page(events, before=request.GET.get("before"), after=request.GET.get("after"))
    unreadable = unreadable_restricted_entries(request.user, case, selectors.entry_ids_of(page["rows"]))
    page["rows"] = selectors.present_audit_events(events=page["rows"], unreadable=unreadable)
    return render(request, "audit/case_audit.html", {"case": case, "tab": "audit", **page})
