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
    page = Paginator(events.order_by("-id"), 100).get_page(request.GET.get("page"))
    audit_record(actor=request.user, action="audit.read", case=case)
    return render(request, "audit/case_audit.html", {"case": case, "page": page, "tab": "audit"})
