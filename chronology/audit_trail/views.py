"""The audit trail of a case, as a page: readable descriptions of each event, filters by person,
event and date, newest first in pages of 100 (core.pagination); restricted entries the reader may
not read are redacted."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from audit import selectors
from audit.descriptions import describe_action
from audit.services import audit_record
from cases.selectors import case_audit_events, case_for_user
from chronology.audit_trail.forms import AuditFilterForm, people_in
from chronology.selectors import unreadable_restricted_entries
from core.pagination import InvalidCursor, PageLinks, invalid_cursor_context, paginate

PAGE_SIZE = 100
ORDERING = ("-id",)


@login_required
def case_audit(request, case_id: int):
    """The case's audit trail, newest first, 100 rows a page, filtered by person, event and date."""
    case = case_for_user(request.user, case_id)
    events = case_audit_events(request.user, case)
    form = AuditFilterForm(request.GET or None, people=people_in(events))
    form.is_valid()
    audit_record(actor=request.user, action="audit.read", case=case)
    context = {"case": case, "tab": "audit", "form": form, "rows": [], "pages": None}
    try:
        page = paginate(
            form.apply(events).select_related("actor"),
            ORDERING,
            cursor=request.GET.get("cursor"),
            size=PAGE_SIZE,
        )
    except InvalidCursor:
        context.update(invalid_cursor_context(request))
        return render(request, "audit/case_audit.html", context, status=400)
    unreadable = unreadable_restricted_entries(request.user, case, selectors.entry_ids_of(page.rows))
    rows = selectors.present_audit_events(events=page.rows, unreadable=unreadable)
    for event in rows:
        event.description = describe_action(event.action)
    context.update(
        rows=rows,
        pages=PageLinks.build(request, page, label="Audit trail pages", previous_text="Newer", next_text="Older"),
    )
    return render(request, "audit/case_audit.html", context)
