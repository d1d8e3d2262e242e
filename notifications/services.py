"""Writes about notifications: telling the people around a case, marking read, preferences, and the
periodic work (overdue actions, daily digests).

Who is told: the case's lead professional and the active team around the child, never the author
of the change and never anyone the access policy does not let see the case
(`permissions.can_see_case`). A restricted entry's content reaches only those who may read it
(`permissions.can_read_in_full`); everyone else is told that a restricted entry was recorded and by
which agency. Notifications are written in the transaction of their cause (the services of cases,
chronology and meetings call the `*_notify` functions below inside their own atomic block) and
emailed after it commits: an email that fails never undoes the cause.

Telling a team costs a fixed number of queries whatever its size: the involved agencies, the
people, and one bulk insert (plus one look-up of those already told, for kinds told once).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record
from cases import permissions
from cases.models import Case, CaseAgency, CaseStatus
from notifications.models import (
    TEXT_MAX_LENGTH,
    CaseFlagState,
    Delivery,
    Kind,
    Notification,
    NotificationPreference,
)

if TYPE_CHECKING:
    from chronology.models import ChronologyEntry
    from meetings.models import Action, Meeting

logger = logging.getLogger(__name__)

NEEDS_REVIEW = ("open", "reopened")


def _saying(said: str) -> Callable[[User], str]:
    """The same text for everyone told."""
    return lambda _user: said


def _clip(text: str) -> str:
    return text if len(text) <= TEXT_MAX_LENGTH else text[: TEXT_MAX_LENGTH - 1] + "…"


def people_around(case: Case, *, extra: Iterable[int | None] = (), today: dt.date | None = None) -> list[User]:
    """The lead professional and the active team around the child (and any `extra` users), as far
    as the access policy lets them see the case. Two queries, whatever the size of the team."""
    today = today or timezone.localdate()
    involved = set(CaseAgency.objects.filter(case_id=case.pk).values_list("agency_id", flat=True))
    who = Q(case_teams__case_id=case.pk) & (Q(case_teams__ended_on__isnull=True) | Q(case_teams__ended_on__gt=today))
    if case.lead_professional_id is not None:
        who |= Q(pk=case.lead_professional_id)
    extra_ids = [pk for pk in extra if pk is not None]
    if extra_ids:
        who |= Q(pk__in=extra_ids)
    users = User.objects.filter(who, is_active=True).distinct().order_by("pk")
    return [user for user in users if permissions.can_see_case(user, involved)]


def _tell(
    *,
    case: Case,
    kind: object,
    users: Sequence[User],
    author: User | None,
    text: Callable[[User], str],
    url: str,
    key: str = "",
) -> list[Notification]:
    """One notification for each user but the author, in the caller's transaction; emailed after commit.
    With a `key`, a user already told of that key is not told again."""
    rows = [
        Notification(case=case, user=user, kind=str(kind), text=_clip(text(user)), url=url, key=key)
        for user in users
        if author is None or user.pk != author.pk
    ]
    if key and rows:
        told = set(
            Notification.objects.filter(kind=str(kind), key=key, user_id__in=[r.user_id for r in rows]).values_list(
                "user_id", flat=True
            )
        )
        rows = [row for row in rows if row.user_id not in told]
    if not rows:
        return []
    try:
        with transaction.atomic():
            created: list[Notification] = Notification.objects.bulk_create(rows)
    except IntegrityError:  # told at the same moment by a concurrent run (kinds told once only)
        return []
    ids = [row.pk for row in created]
    transaction.on_commit(lambda: email_after_commit(ids), robust=True)
    return created


# What causes notifications ---------------------------------------------------------------------


def entry_written_notify(*, entry: ChronologyEntry, acting_user: User, was_high: bool) -> None:
    """After an entry is recorded, amended or retracted (inside that transaction): a high-significance
    entry by another agency is told to the people around the case; flags that open or open again
    because of it are told too."""
    from chronology.models import Significance

    case = entry.case
    if entry.significance == Significance.HIGH and not was_high and not entry.retracted:
        agency_name = entry.agency.name
        url = reverse("entry-detail", args=[case.pk, entry.pk])

        def text(user: User) -> str:
            if permissions.can_read_in_full(user, case, restricted=entry.restricted, agency_id=entry.agency_id):
                return f"{agency_name} recorded a high-significance entry: {entry.summary}"
            return f"{agency_name} recorded a restricted entry. Only that agency and the lead professional can read it."

        users = [u for u in people_around(case) if u.agency_id != entry.agency_id]
        _tell(case=case, kind=Kind.ENTRY_SIGNIFICANT, users=users, author=acting_user, text=text, url=url)
    if settings.NOTIFY_FLAGS_ON_WRITE:
        flags_refresh(case=case, acting_user=acting_user, cause_entry_id=entry.pk)


def flags_refresh(
    *, case: Case, acting_user: User | None, cause_entry_id: int | None = None, today: dt.date | None = None
) -> list[Notification]:
    """Evaluate the case's flags now and compare them with the flags last known (CaseFlagState): a flag
    that needs review and was not known in that state opens (flag_opened) or opens again
    (flag_reopened, reviewed and then given new evidence). The first evaluation of a case tells only
    of flags the cause (`cause_entry_id`) is evidence for, so existing flags are not told at once."""
    from reporting.flags.selectors import flags_for_case

    today = today or timezone.localdate()
    shown = flags_for_case(case, today)
    state = CaseFlagState.objects.select_for_update().filter(case_id=case.pk).first()
    previous: dict[str, str] | None = dict(state.flags) if state is not None else None
    current = {f"{flag.rule} {flag.key}": flag.status for flag in shown}
    news = []
    for flag in shown:
        name = f"{flag.rule} {flag.key}"
        if flag.status not in NEEDS_REVIEW:
            continue
        if previous is None:
            if cause_entry_id is None or cause_entry_id not in flag.evidence:
                continue
        elif previous.get(name) == flag.status:
            continue
        news.append(flag)
    if state is None:
        try:
            with transaction.atomic():
                CaseFlagState.objects.create(case_id=case.pk, flags=current, evaluated_at=timezone.now())
        except IntegrityError:  # a concurrent write evaluated the case first: this evaluation is newer
            CaseFlagState.objects.filter(case_id=case.pk).update(flags=current, evaluated_at=timezone.now())
    else:
        state.flags = current
        state.evaluated_at = timezone.now()
        state.save(update_fields=["flags", "evaluated_at"])
    if not news:
        return []
    users = people_around(case, today=today)
    url = reverse("case-flags", args=[case.pk])
    told: list[Notification] = []
    for flag in news:
        opened = flag.status == "open"
        title = flag.title
        said = f"A flag opened: {title}." if opened else f"A reviewed flag has new evidence: {title}."
        told += _tell(
            case=case,
            kind=Kind.FLAG_OPENED if opened else Kind.FLAG_REOPENED,
            users=users,
            author=acting_user,
            text=_saying(said),
            url=url,
        )
    return told


def flag_reviewed_notify(*, case: Case, rule: str, key: str) -> None:
    """A flag was reviewed: the known state says so, so "my work" stops counting it and the next
    evaluation can tell when it opens again."""
    state = CaseFlagState.objects.select_for_update().filter(case_id=case.pk).first()
    name = f"{rule} {key}"
    if state is not None and name in state.flags:
        state.flags[name] = "reviewed"
        state.save(update_fields=["flags"])


def action_assigned_notify(*, action: Action, acting_user: User) -> None:
    """An action set for an agency (and perhaps a named owner): the owner and the owning agency's
    members of the team around the child are told."""
    case = action.case
    users = [
        u
        for u in people_around(case, extra=[action.owner_id])
        if u.pk == action.owner_id or u.agency_id == action.owner_agency_id
    ]
    due = action.due_on.strftime("%-d %B %Y")
    agency = action.owner_agency.name

    def text(user: User) -> str:
        to = "you" if user.pk == action.owner_id else agency
        return f"An action was assigned to {to}, due {due}: {action.description}"

    url = reverse("case-action", args=[case.pk, action.pk])
    _tell(case=case, kind=Kind.ACTION_ASSIGNED, users=users, author=acting_user, text=text, url=url)


def meeting_scheduled_notify(*, meeting: Meeting, acting_user: User) -> None:
    """A meeting scheduled with agencies invited: the people around the case from those agencies (and
    the lead professional) are told of the invitation."""
    from meetings.models import MeetingStatus

    if meeting.status != MeetingStatus.SCHEDULED:
        return
    case = meeting.case
    invited = {int(pk) for pk in meeting.invited}
    users = [u for u in people_around(case) if u.agency_id in invited or u.pk == case.lead_professional_id]
    said = f"You are invited to a {meeting.get_kind_display().lower()} on {meeting.held_on.strftime('%-d %B %Y')}."
    url = reverse("meeting-detail", args=[case.pk, meeting.pk])
    _tell(case=case, kind=Kind.MEETING_INVITED, users=users, author=acting_user, text=lambda _u: said, url=url)


def case_status_notify(*, case: Case, acting_user: User, said: str) -> None:
    """The legal status changed, or the case closed or reopened: `said` tells how."""
    url = reverse("case-detail", args=[case.pk])
    _tell(
        case=case,
        kind=Kind.STATUS_CHANGED,
        users=people_around(case),
        author=acting_user,
        text=lambda _u: said,
        url=url,
    )


def lead_changed_notify(*, case: Case, acting_user: User, previous: User | None) -> None:
    """The case was handed to a new lead professional: the team, the new lead and the previous one."""
    lead = case.lead_professional
    url = reverse("case-detail", args=[case.pk])
    name = lead.display_name if lead is not None else "nobody"

    def text(user: User) -> str:
        if lead is not None and user.pk == lead.pk:
            return "You are now the lead professional for this case."
        return f"{name} is now the lead professional for this case."

    users = people_around(case, extra=[previous.pk if previous is not None else None])
    _tell(case=case, kind=Kind.LEAD_CHANGED, users=users, author=acting_user, text=text, url=url)


# The periodic task -----------------------------------------------------------------------------


def actions_overdue_notify(*, today: dt.date | None = None) -> int:
    """Tell of every open action past its due date, once: the named owner, the owning agency's team
    members and the lead professional. Idempotent (each action and due date is told once per person),
    so it may run as often as wanted (celery beat, or `manage.py notify_overdue_actions`)."""
    from meetings.models import Action, ActionStatus

    today = today or timezone.localdate()
    overdue = (
        Action.objects.filter(status=ActionStatus.OPEN, due_on__lt=today, case__status=CaseStatus.OPEN)
        .select_related("case", "owner_agency")
        .order_by("due_on", "id")
    )
    told = 0
    for action in overdue:
        with transaction.atomic():
            case = action.case
            users = [
                u
                for u in people_around(case, extra=[action.owner_id], today=today)
                if u.pk in (action.owner_id, case.lead_professional_id) or u.agency_id == action.owner_agency_id
            ]
            due = action.due_on.strftime("%-d %B %Y")
            said = f"An action owned by {action.owner_agency.name} is overdue (due {due}): {action.description}"
            told += len(
                _tell(
                    case=case,
                    kind=Kind.ACTION_OVERDUE,
                    users=users,
                    author=None,
                    text=_saying(said),
                    url=reverse("case-action", args=[case.pk, action.pk]),
                    key=f"action:{action.pk}:due:{action.due_on.isoformat()}",
                )
            )
    return told


def flags_sweep_notify(*, today: dt.date | None = None) -> int:
    """Evaluate every open case's flags as of today and tell of those that opened with time alone (an
    action now overdue, a conference now late, a referral with no outcome): a write evaluates its case
    (flags_refresh), but nothing is written when time is all that changed. flags_refresh compares with
    the flags last known, so a flag already told is not told again, and a case never evaluated is only
    recorded. Idempotent: run it daily or more often (celery beat, or `manage.py notify_flag_changes`)."""
    today = today or timezone.localdate()
    told = 0
    for case in Case.objects.filter(status=CaseStatus.OPEN).order_by("id").iterator():
        with transaction.atomic():  # the known state is locked per case, as a write locks it
            told += len(flags_refresh(case=case, acting_user=None, today=today))
    return told


# Reading and preferences -----------------------------------------------------------------------


def notification_mark_read(*, acting_user: User, notification: Notification | None = None) -> int:
    """Mark one of the user's notifications read (or all of them, with no notification)."""
    rows = Notification.objects.filter(user=acting_user, read_at__isnull=True)
    if notification is not None:
        if notification.user_id != acting_user.pk:
            raise PermissionDenied("You can only mark your own notifications as read.")
        rows = rows.filter(pk=notification.pk)
    with transaction.atomic():
        count: int = rows.update(read_at=timezone.now())
        audit_record(
            actor=acting_user,
            action="notification.marked_read",
            detail={"count": count, "notification": notification.pk if notification is not None else "all"},
        )
    return count


def deliveries_for(user_ids: Iterable[int]) -> dict[tuple[int, str], str]:
    """(user, kind) -> delivery for the given users, defaults filled in (one query)."""
    ids = list(dict.fromkeys(user_ids))
    chosen = {(p.user_id, p.kind): p.delivery for p in NotificationPreference.objects.filter(user_id__in=ids)}
    from notifications.models import DEFAULT_DELIVERY

    return {(uid, kind): chosen.get((uid, kind), DEFAULT_DELIVERY[kind]) for uid in ids for kind in Kind.values}


def notification_preferences_set(*, acting_user: User, choices: dict[str, Any]) -> dict[str, str]:
    """Set how the user hears of each kind: immediate email, a daily digest or the inbox only."""
    errors: dict[str, list[str]] = {}
    for kind in choices:
        if kind not in Kind.values:
            errors[str(kind)[:40]] = ["Unknown kind of notification."]
    for kind in Kind.values:
        if kind in choices and choices[kind] not in Delivery.values:
            errors[kind] = ["Select how you want to hear of this: straight away, once a day or no email."]
    if errors:
        raise ValidationError(errors)
    current = deliveries_for([acting_user.pk])
    changed = {
        kind: str(choices[kind])
        for kind in Kind.values
        if kind in choices and current[(acting_user.pk, kind)] != choices[kind]
    }
    with transaction.atomic():
        for kind, delivery in changed.items():
            NotificationPreference.objects.update_or_create(
                user=acting_user, kind=kind, defaults={"delivery": delivery, "changed_at": timezone.now()}
            )
        audit_record(actor=acting_user, action="notification_preferences.changed", detail={"changed": changed})
    return {kind: delivery for (_uid, kind), delivery in deliveries_for([acting_user.pk]).items()}


# Email -----------------------------------------------------------------------------------------


def email_after_commit(ids: list[int]) -> None:
    """Send the immediate emails of notifications just committed: through Celery when a broker is
    configured, else in place (the console backend on the embedded default). Never raises: the cause
    has committed and stays; an email that could not go is left unsent (emailed_at empty)."""
    from notifications import emails

    try:
        if settings.REDIS_URL and not settings.CELERY_TASK_ALWAYS_EAGER:
            from notifications.tasks import send_immediate_emails

            send_immediate_emails.delay(ids)
        else:
            emails.send_immediate(ids)
    except Exception:  # an email failure must never reach the request that caused it
        logger.exception("Notification emails for %s could not be sent", ids)
