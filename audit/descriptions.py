"""What each audit action code means, in words a manager reading the trail understands.

The one place that maps codes (`chronology.timeline_viewed`) to descriptions ("Viewed the
timeline"). Every code the service records has one: tests/audit/test_action_descriptions.py reads
every `audit_record(action=...)` in the source and fails on a code missing here. A code with no
description (an old row, written by an earlier version) is shown readably all the same.
"""

from __future__ import annotations

# Grouped by area, in the order the filter on the audit trail page offers them.
ACTION_GROUPS: dict[str, dict[str, str]] = {
    "Case": {
        "case.created": "Opened the case",
        "case.viewed": "Viewed the case overview",
        "case.read": "Read the case (API)",
        "case.summary_read": "Read the case summary (API)",
        "case.status_history_read": "Read the legal status history (API)",
        "case.team_read": "Read the team around the child (API)",
        "case.listed": "Listed cases",
        "case.updated": "Changed the case details",
        "case.agency_involved": "Involved an agency in the case",
        "case.status_changed": "Changed the legal status",
        "case.summary_revised": "Revised the case summary",
        "case.lead_handed_over": "Handed over the lead professional",
        "case.team_member_added": "Added a member of the team around the child",
        "case.team_member_ended": "Ended a team member's involvement",
        "case.closed": "Closed the case",
        "case.reopened": "Reopened the case",
    },
    "People and family": {
        "person.created": "Recorded a person",
        "person.updated": "Changed a person's details",
        "person.viewed": "Viewed a person",
        "person.entered_in_error": "Marked a person as entered in error",
        "relationship.created": "Recorded a relationship",
        "relationship.ended": "Ended a relationship",
        "relationship.listed": "Listed relationships",
        "relationship.entered_in_error": "Marked a relationship as entered in error",
        "household.created": "Recorded a household",
        "household.member_added": "Added someone to a household",
        "household.member_left": "Recorded someone leaving a household",
        "household.member_entered_in_error": "Marked a household membership as entered in error",
        "household.listed": "Listed households",
        "household.viewed": "Viewed a household",
        "ecomap.link_created": "Recorded an ecomap link",
        "ecomap.link_ended": "Ended an ecomap link",
        "ecomap.link_entered_in_error": "Marked an ecomap link as entered in error",
        "ecomap.links_listed": "Listed ecomap links",
        "ecomap.viewed": "Viewed the ecomap",
        "genogram.viewed": "Viewed the genogram",
        "genogram.exported": "Exported the genogram (GEDCOM)",
        "genogram.imported": "Imported a family tree (GEDCOM)",
        "family.corrections_viewed": "Viewed the records entered in error",
    },
    "Chronology": {
        "chronology.viewed": "Viewed the chronology",
        "chronology.read": "Read the chronology (API)",
        "chronology.timeline_viewed": "Viewed the timeline",
        "chronology.exported": "Exported the chronology",
        "entries.imported": "Imported chronology entries",
        "entry.created": "Added an entry",
        "entry.viewed": "Viewed an entry and its history",
        "entry.revisions_viewed": "Read an entry's revisions (API)",
        "entry.amended": "Amended an entry",
        "entry.retracted": "Retracted an entry",
        "entry.restricted_read": "Read a restricted entry",
    },
    "Flags": {
        "flags.viewed": "Viewed the flags",
        "flag.viewed": "Opened a flag to review it",
        "flag.reviewed": "Recorded a flag review",
        "flag_rules.viewed": "Viewed the flag rules for the case",
        "flag_rule.changed": "Changed a flag rule for the case",
        "review.viewed": "Viewed the review analysis (when each flag was knowable)",
    },
    "Meetings and actions": {
        "meetings.viewed": "Viewed the meetings",
        "meetings.read": "Read the meetings (API)",
        "meeting.viewed": "Viewed a meeting",
        "meeting.scheduled": "Scheduled a meeting",
        "meeting.held": "Recorded a meeting as held",
        "meeting.cancelled": "Cancelled a meeting",
        "actions.viewed": "Viewed the actions",
        "actions.read": "Read the actions (API)",
        "action.viewed": "Viewed an action",
        "action.created": "Set an action",
        "action.completed": "Completed an action",
        "action.cancelled": "Cancelled an action",
    },
    "Packs": {
        "pack.listed": "Viewed the packs",
        "pack.requested": "Requested a pack",
        "pack.requeued": "Sent a pack build again (the job sweeper)",
        "pack.generated": "A pack was built",
        "pack.failed": "A pack failed",
        "pack.viewed": "Viewed a pack's status",
        "pack.downloaded": "Downloaded a pack",
    },
    "Information sharing": {
        "notifications.viewed": "Viewed their notifications",
        "notifications.read": "Read their notifications (API)",
        "notification.marked_read": "Marked notifications as read",
        "notification_preferences.changed": "Changed how they hear of notifications",
        "my_work.viewed": "Viewed their work",
        "my_work.read": "Read their work (API)",
    },
    "Audit and security": {
        "audit.read": "Read the audit trail",
        "security_log.read": "Read the security log",
        "security.access_refused": "Refused access to a case or pack",
        "backup.created": "Backed up the data",
        "backup.restored": "Restored the data from a backup",
    },
    "Accounts": {
        "auth.login": "Signed in",
        "auth.login_failed": "Failed to sign in",
        "auth.logout": "Signed out",
        "auth.2fa_enrolled": "Set up two-factor sign-in",
        "auth.2fa_verified": "Passed two-factor sign-in",
        "auth.2fa_failed": "Failed two-factor sign-in",
        "auth.password_changed": "Changed their password",
        "auth.tokens_revoked": "API tokens revoked",
        "user.created": "Created a user",
        "agency.created": "Created an agency",
    },
}

ACTION_DESCRIPTIONS: dict[str, str] = {
    code: description for group in ACTION_GROUPS.values() for code, description in group.items()
}


def describe_action(code: str) -> str:
    """The description of an action code; an unknown code made readable ("thing.done" -> "Thing done")."""
    known = ACTION_DESCRIPTIONS.get(code)
    if known:
        return known
    words = code.replace(".", " ").replace("_", " ").strip()
    return f"{words[:1].upper()}{words[1:]}" if words else "Unknown action"


def action_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The codes as grouped choices for a select (one optgroup per area)."""
    return [(area, list(codes.items())) for area, codes in ACTION_GROUPS.items()]
