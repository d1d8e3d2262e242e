from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from audit import selectors
from audit.services import audit_record
from chronology.selectors import case_for_user

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
    events = selectors.audit_events_for_case(user=request.user, case=case).select_related("actor")
    audit_record(actor=request.user, action="audit.read", case=case)
    page = _keyset_page(request, events)
    page["rows"] = selectors.present_audit_events(user=request.user, case=case, events=page["rows"])
    return render(request, "audit/case_audit.html", {"case": case, "tab": "audit", **page})


@login_required
def security_log(request):
    """Refused access by the users of the manager's agency (every user's, for administrators)."""
    if not selectors.can_read_security_log(request.user):
        raise PermissionDenied("Only managers and administrators read the security log.")
    events = selectors.security_log_for(user=request.user)
    audit_record(actor=request.user, action="security_log.read")
    return render(request, "audit/security_log.html", _keyset_page(request, events))
