from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.db import models

from audit.middleware import current_origin, origin_of
from audit.models import AuditEvent

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    case: models.Model | None = None,
    obj: models.Model | None = None,
    detail: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Append one pending audit row. Call it inside the transaction of the read or write it records:
    the row commits or rolls back with it, so nothing is recorded that did not happen and nothing
    that happened goes unrecorded. It takes no lock: the sealer (audit/sealer.py) chains pending
    rows later, in id order, off the request path."""
    origin = origin_of(request) if request is not None else current_origin.get()
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    agency = getattr(actor, "agency", None) if actor is not None else None
    client_ip = origin.client_ip if origin else None
    event = AuditEvent(
        actor=actor,
        actor_username=actor.get_username() if actor is not None else "",
        actor_agency=agency.name if agency is not None else "",
        action=action,
        case=case,
        # A model that moved app keeps the label its earlier rows carry (Case: "chronology.case").
        object_type=getattr(obj, "audit_object_type", obj._meta.label_lower) if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        # Stored as it will read back, so the hash covers exactly what is stored.
        detail=json.loads(json.dumps(detail or {})),
        method=origin.method if origin else "",
        path=origin.path if origin else "",
        client_ip=AuditEvent._meta.get_field("client_ip").get_prep_value(client_ip) if client_ip else None,
        user_agent=origin.user_agent if origin else "",
    )
    event.save()
    return event


def _row_values(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": event.at,
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "actor_agency": event.actor_agency,
        "action": event.action,
        "case_id": event.case_id,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "detail": event.detail,
        "method": event.method,
        "path": event.path,
        "client_ip": event.client_ip,
        "user_agent": event.user_agent,
    }


SECURITY_ACCESS_REFUSED = "security.access_refused"


def access_refused_record(*, actor: AbstractBaseUser | AnonymousUser | None, what: str) -> AuditEvent | None:
    """A signed-in user asked for a case (or something of a case) they may not see: a row in the
    security log, with who, the path, when and from where (the request's origin). It names no case
    and says nothing of whether one exists: the same row is written for an id that exists nowhere.

    Written in its own transaction, so it stays when the refused request's work is rolled back."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return audit_record(actor=actor, action=SECURITY_ACCESS_REFUSED, detail={"asked_for": what})
