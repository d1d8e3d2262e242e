"""The access policy: every can-see and can-do of the service, and nothing else decides them.

Views, API views, serializers, selectors, exports, packs, flag evidence, drawings and the audit
listings ask these functions. A rule written twice drifts, and the copy that forgot it is where
content leaks: add a rule here, with its test, and call it.

Visibility of a case: users of an involved agency, and administrators (`visible_cases_filter`,
used by `cases.selectors.cases_visible_to`). Everything under a case is reached through a case the
user can see; the functions below decide what the user may read in full or do there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django.db.models import Exists, OuterRef, Q

from accounts.models import Role

if TYPE_CHECKING:
    from cases.models import Case


def _user(user: object) -> _User | None:
    """The signed-in, active user, or None for anyone else."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    return user  # type: ignore[return-value]


class _User(Protocol):
    pk: object
    agency_id: int | None
    role: str

    @property
    def is_admin(self) -> bool: ...

    def has_role(self, *roles: object) -> bool: ...


def _is_admin(user: object) -> bool:
    u = _user(user)
    return u is not None and u.is_admin


def _has_role(user: object, *roles: object) -> bool:
    """The user holds one of the roles, given as Role members (administrators hold every role).

    Typed `object` because mypy, without the Django plugin, sees a TextChoices member as the tuple
    that declared it."""
    u = _user(user)
    return u is not None and u.has_role(*roles)


def _own_agency(user: object, agency_id: int | None) -> bool:
    u = _user(user)
    return u is not None and u.agency_id is not None and agency_id is not None and u.agency_id == agency_id


def _leads(user: object, case: Case) -> bool:
    """The user is the case's lead professional (not the whole lead agency)."""
    u = _user(user)
    return u is not None and case.lead_professional_id is not None and case.lead_professional_id == u.pk


# Seeing a case --------------------------------------------------------------------------------


def visible_cases_filter(user: object) -> Q | None:
    """A filter on Case for the cases the user may see; None when they may see none at all."""
    u = _user(user)
    if u is None:
        return None
    if u.is_admin:
        return Q()
    if u.agency_id is None:
        return None
    from cases.models import CaseAgency

    return Q(Exists(CaseAgency.objects.filter(case=OuterRef("pk"), agency_id=u.agency_id)))


def can_see_case(user: object, involved_agency_ids: set[int]) -> bool:
    """The same decision as visible_cases_filter, for one user and a case whose involved agencies
    are known: used to tell people about a case (notifications) without a query per person."""
    u = _user(user)
    if u is None:
        return False
    return u.is_admin or (u.agency_id is not None and u.agency_id in involved_agency_ids)


# The case and its people ----------------------------------------------------------------------


def can_open_case(user: object) -> bool:
    return _has_role(user, Role.SOCIAL_WORKER)


def can_lead_case_for(user: object, agency_id: int | None) -> bool:
    """A social worker opens cases led by their own agency; administrators for any agency."""
    return _is_admin(user) or _own_agency(user, agency_id)


def becomes_lead_professional(user: object) -> bool:
    """A social worker who opens a case without naming a lead professional leads it."""
    u = _user(user)
    return u is not None and not u.is_admin and u.has_role(Role.SOCIAL_WORKER)


def can_involve_agency(user: object) -> bool:
    return _has_role(user, Role.SOCIAL_WORKER)


def can_edit_people(user: object) -> bool:
    """Recording people and the family structure (genogram, households, ecomap, GEDCOM import)."""
    return _has_role(user, Role.SOCIAL_WORKER, Role.MANAGER)


def may_correct_records(user: object, case: Case) -> bool:
    """Who marks a person, relationship, household membership or ecomap link "entered in error":
    the case's lead professional, a manager of an agency involved in the case, or an
    administrator. Whether the case is closed is decided apart (can_mark_entered_in_error)."""
    u = _user(user)
    if u is None:
        return False
    if u.is_admin or _leads(user, case):
        return True
    if not u.has_role(Role.MANAGER) or u.agency_id is None:
        return False
    from cases.models import CaseAgency

    return bool(CaseAgency.objects.filter(case_id=case.pk, agency_id=u.agency_id).exists())


def can_mark_entered_in_error(user: object, case: Case) -> bool:
    """may_correct_records, and the case is open: nobody corrects the record of a closed case
    (cases.policies.case_is_closed, the rule every write on a case's content obeys)."""
    from cases.policies import case_is_closed

    return may_correct_records(user, case) and not case_is_closed(case)


# The case over time: status, closure, the lead, the team, the summary -------------------------


def _of_lead_agency(user: object, case: Case) -> bool:
    return _own_agency(user, case.lead_agency_id)


def can_change_case_status(user: object, case: Case) -> bool:
    """Social workers and managers of the lead agency (and administrators) change the legal status,
    close and reopen the case."""
    u = _user(user)
    if u is None:
        return False
    return u.is_admin or (u.has_role(Role.SOCIAL_WORKER, Role.MANAGER) and _of_lead_agency(user, case))


def can_close_case(user: object, case: Case) -> bool:
    return can_change_case_status(user, case)


def can_reopen_case(user: object, case: Case) -> bool:
    return can_change_case_status(user, case)


def can_hand_over_lead(user: object, case: Case) -> bool:
    """The lead professional, a manager of the lead agency, or an administrator hands the case over."""
    u = _user(user)
    if u is None:
        return False
    return u.is_admin or _leads(user, case) or (u.has_role(Role.MANAGER) and _of_lead_agency(user, case))


def can_be_lead_professional(candidate: object, involved_agency_ids: set[int]) -> bool:
    """A case is led by a social worker (not an administrator) of an agency involved in it."""
    u = _user(candidate)
    return (
        u is not None
        and not u.is_admin
        and u.has_role(Role.SOCIAL_WORKER)
        and u.agency_id is not None
        and u.agency_id in involved_agency_ids
    )


def is_lead_professional(user: object, case: Case) -> bool:
    """Whether this user is the case's lead professional (for the team list, which always keeps the lead)."""
    return _leads(user, case)


def can_manage_team_member(user: object, case: Case, member_agency_id: int | None) -> bool:
    """Who joins a professional to the team around the child, or ends their membership: the lead,
    social workers and managers of the lead agency and administrators for anyone; practitioners
    (and everyone else) for their own agency."""
    u = _user(user)
    if u is None:
        return False
    if u.is_admin or _leads(user, case):
        return True
    if u.has_role(Role.SOCIAL_WORKER, Role.MANAGER) and _of_lead_agency(user, case):
        return True
    return _own_agency(user, member_agency_id)


def can_join_team(candidate: object, involved_agency_ids: set[int]) -> bool:
    """A team member is an active user of an agency involved in the case."""
    u = _user(candidate)
    return u is not None and u.agency_id is not None and u.agency_id in involved_agency_ids


def can_view_team_forms(user: object) -> bool:
    """Any signed-in user of an involved agency may open the team form: it offers only the
    professionals they may add (can_manage_team_member)."""
    return _user(user) is not None


def can_edit_case_summary(user: object, case: Case) -> bool:
    """The case summary is written by the lead professional or a social worker (and administrators)."""
    return _leads(user, case) or _has_role(user, Role.SOCIAL_WORKER)


def can_see_case_actions(user: object, case: Case) -> dict[str, bool]:
    """What the case overview offers this user, as the functions above decide it."""
    return {
        "change_status": can_change_case_status(user, case),
        "close": can_close_case(user, case),
        "reopen": can_reopen_case(user, case),
        "hand_over": can_hand_over_lead(user, case),
        "edit_summary": can_edit_case_summary(user, case),
        "manage_team": _user(user) is not None,
    }


# Entries --------------------------------------------------------------------------------------


def can_record_for_agency(user: object, agency_id: int | None) -> bool:
    """Entries are recorded for the user's own agency; administrators may name any agency."""
    return _is_admin(user) or _own_agency(user, agency_id)


def can_read_restricted(user: object, case: Case, agency_id: int | None) -> bool:
    """A restricted entry is read in full by the recording agency, the case's lead professional and
    administrators; everyone else sees a placeholder with its date and agency."""
    return _is_admin(user) or _leads(user, case) or _own_agency(user, agency_id)


def can_read_in_full(user: object, case: Case, *, restricted: bool, agency_id: int | None) -> bool:
    """An entry (or a revision of one) in full: any unrestricted entry, else as can_read_restricted."""
    return not restricted or can_read_restricted(user, case, agency_id)


def readable_entries_filter(user: object, case: Case) -> Q:
    """A filter on ChronologyEntry (of this case) for the entries the user may read in full."""
    if _is_admin(user) or _leads(user, case):
        return Q()
    u = _user(user)
    if u is None:
        return Q(pk__in=[])
    return Q(restricted=False) | Q(agency_id=u.agency_id)


def restricted_read_is_audited(user: object, agency_id: int | None) -> bool:
    """An administrator reads restricted entries of other agencies in full, but never silently."""
    return _is_admin(user) and not _own_agency(user, agency_id)


def shows_in_full_when_shared(*, restricted: bool) -> bool:
    """Whether an entry appears in full in an output shared beyond its reader: a pack (printed and
    handed round a meeting, whoever generated it) and flag evidence (worked out once for the case
    and read by everyone involved). A restricted entry is a placeholder there for every reader,
    with its date and the agency that holds it; it is read in full only on the chronology, the
    entry page and the API, as `can_read_in_full` decides."""
    return not restricted


def can_amend(user: object, agency_id: int | None) -> bool:
    """A practitioner amends and retracts only their own agency's entries; administrators any."""
    return _is_admin(user) or _own_agency(user, agency_id)


# Flags and packs ------------------------------------------------------------------------------


def can_review_flag(user: object) -> bool:
    return _has_role(user, Role.MANAGER, Role.SOCIAL_WORKER, Role.CHAIR)


def can_change_rule_settings(user: object) -> bool:
    return _has_role(user, Role.MANAGER, Role.SOCIAL_WORKER)


def can_request_pack(user: object) -> bool:
    """Chairs, managers, social workers and administrators print packs."""
    return _has_role(user, Role.CHAIR, Role.MANAGER, Role.SOCIAL_WORKER)


# The audit trail and the security log ---------------------------------------------------------


def can_read_audit(user: object, case: Case | None = None) -> bool:
    """Managers (and administrators) read the audit trail of the cases they can see."""
    return _has_role(user, Role.MANAGER)


def can_read_review(user: object, case: Case | None = None) -> bool:
    """Managers (and administrators) read a case's review analysis ("when was this knowable, and by
    whom"): it is built from the audit trail of who read the flags, so it follows can_read_audit."""
    return can_read_audit(user, case)


def can_read_security_log(user: object) -> bool:
    """Managers read the security log of their own agency's users; administrators everyone's."""
    u = _user(user)
    return u is not None and (u.is_admin or (u.has_role(Role.MANAGER) and u.agency_id is not None))


def security_log_covers_every_agency(user: object) -> bool:
    return _is_admin(user)


def security_log_actors_filter(user: object) -> Q:
    """A filter on AuditEvent for the rows of the users whose refusals this user oversees."""
    if security_log_covers_every_agency(user):
        return Q()
    u = _user(user)
    if u is None or not can_read_security_log(user):
        return Q(pk__in=[])
    return Q(actor__agency_id=u.agency_id)


# Meetings, decisions and actions --------------------------------------------------------------


def can_manage_meetings(user: object, case: Case) -> bool:
    """Scheduling, recording and cancelling a case's meetings and setting actions: social workers
    of the involved agencies, chairs, managers and administrators (the case is one they can see)."""
    return _has_role(user, Role.SOCIAL_WORKER, Role.CHAIR, Role.MANAGER)


def can_manage_all_actions(user: object, case: Case) -> bool:
    """The lead professional, managers and administrators complete or cancel any of the case's actions."""
    return _leads(user, case) or _has_role(user, Role.MANAGER)


def can_complete_action(user: object, case: Case, owner_agency_id: int | None) -> bool:
    """A practitioner completes their own agency's actions; the lead and managers any."""
    return can_manage_all_actions(user, case) or _own_agency(user, owner_agency_id)


def can_cancel_action(user: object, case: Case) -> bool:
    return can_manage_all_actions(user, case)


def can_own_action(user: object, owner_agency_id: int | None) -> bool:
    """A named owner of an action works for the owning agency."""
    return _own_agency(user, owner_agency_id)
