from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from audit import selectors
from audit.services import audit_record
from cases import permissions
from cases.selectors import case_audit_events, case_for_user, security_log_visible_to
from chronology.selectors_entries import unreadable_restricted_entries

PAGE_SIZE = 100


def _event_id(value) -> int | None:
    try:
        pk = int(value) if value else None
    except (TypeError, ValueError):
        return None
    return pk if pk is not None and 0 <= pk < 2**63 else None


def _keyset_page(request, events) -> dict:
    """Newest first, 100 rows a page: `?before=<id>` for older rows, `?after=<id>` for newer.

    Never OFFSET or COUNT: a busy trail grows by a row on every read, so it pages in constant time."""
    before, after = _event_id(request.GET.get("before")), _event_id(request.GET.get("after"))
    if after is not None:
        rows = list(events.filter(id__gt=after).order_by("id")[:PAGE_SIZE])[::-1]
    elif before is not None:
        rows = list(events.filter(id__lt=before).order_by("-id")[:PAGE_SIZE])
    else:
        rows = list(events.order_by("-id")[:PAGE_SIZE])
    newer = rows and (before is not None or after is not None) and events.filter(id__gt=rows[0].id).exists()
    older = rows and events.filter(id__lt=rows[-1].id).exists()
    return {
        "rows": rows,
        "newer_link": f"?after={rows[0].id}" if newer else None,
        "older_link": f"?before={rows[-1].id}" if older else None,
    }


@login_required
def case_audit(request, case_id: int):
    """The case's audit trail, newest first, 100 rows a page."""
    case = case_for_user(request.user, case_id)
    events = case_audit_events(request.user, case).select_related("actor")
    audit_record(actor=request.user, action="audit.read", case=case)
    page = _keyset_page(request, events)
    unreadable = unreadable_restricted_entries(request.user, case, selectors.entry_ids_of(page["rows"]))
    page["rows"] = selectors.present_audit_events(events=page["rows"], unreadable=unreadable)
    return render(request, "audit/case_audit.html", {"case": case, "tab": "audit", **page})


@login_required
def security_log(request):
    """Refused access by the users of the manager's agency (every user's, for administrators)."""
    events = security_log_visible_to(request.user)
    audit_record(actor=request.user, action="security_log.read")
    every_agency = permissions.security_log_covers_every_agency(request.user)
    return render(request, "audit/security_log.html", {"every_agency": every_agency, **_keyset_page(request, events)})
