from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from audit import selectors
from audit.services import audit_record
from chronology.selectors import case_for_user


@login_required
def case_audit(request, case_id: int):
    case = case_for_user(request.user, case_id)
    events = selectors.audit_events_for_case(user=request.user, case=case).select_related("actor")
    # Record this read first: the paginator counts rows before the page is rendered, so a row
    # added after it would push the oldest row of the page out of sight.
    audit_record(actor=request.user, action="audit.read", case=case)
    page = Paginator(events.order_by("-id"), 100).get_page(request.GET.get("page"))
    return render(request, "audit/case_audit.html", {"case": case, "page": page, "tab": "audit"})
