from __future__ import annotations

from typing import Any

from django.db import models

from audit.middleware import current_origin, origin_of
from audit.models import AuditEvent


def audit_record(
    *,
    actor,
    action: str,
    case=None,
    obj: models.Model | None = None,
    detail: dict[str, Any] | None = None,
    request=None,
) -> AuditEvent:
    """Append one audit row. Call it inside the transaction of the write it records."""
    origin = origin_of(request) if request is not None else current_origin.get()
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    agency = getattr(actor, "agency", None) if actor is not None else None
    event = AuditEvent(
        actor=actor,
        actor_username=actor.get_username() if actor is not None else "",
        actor_agency=agency.name if agency is not None else "",
        action=action,
        case=case,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        detail=detail or {},
        method=origin.method if origin else "",
        path=origin.path if origin else "",
        client_ip=origin.client_ip if origin else None,
        user_agent=origin.user_agent if origin else "",
    )
    event.save()
    return event
