"""The review pack's first section: the review analysis ("when was this knowable, and by whom").

Printed only in review packs (anonymised) and only for a generator the access policy lets read the
analysis (cases/permissions.can_read_review). People are named by their role labels (`who_id`),
every other string goes through the pack's redactor (`r`); the analysis holds no free text (flag
titles, agency names, kinds of meeting and entry), so nothing of an entry's content reaches it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cases import permissions
from reporting.flags.review import review_analysis
from reporting.packs.models import Pack, PackKind


def review_section(pack: Pack, who_id: Callable[[int], str], r: Callable[[object], str]) -> dict[str, Any] | None:
    """The analysis rows for the pack's period, or None when the pack does not print it."""
    if pack.kind != PackKind.REVIEW:
        return None
    if not permissions.can_read_review(pack.generated_by, pack.case):
        return {"allowed": False, "rows": [], "complete": True}
    analysis = review_analysis(pack.case, pack.date_from, pack.date_to)
    rows = []
    for story in analysis.flags:
        rows.append(
            {
                "title": r(story.title),
                "people": [who_id(p) for p in story.people],
                "first_occurred_on": story.first_occurred_on,
                "first_knowable_on": story.first_knowable_on,
                "late_days": story.late_recording_days,
                "agencies": [{"agency": r(a.agency), "first_recorded_on": a.first_recorded_on} for a in story.agencies],
                "first_seen_on": story.first_seen_on,
                "first_review": None
                if story.first_review is None
                else {"on": story.first_review.on, "decision": story.first_review.decision_label},
                "followed_by": [{"on": f.on, "what": r(f.what)} for f in story.followed_by[:3]],
                "days_to_first_action": story.days_to_first_action,
                "timeline": [{"label": label, "on": on, "after": after} for label, on, after in story.timeline()],
            }
        )
    return {"allowed": True, "rows": rows, "complete": analysis.complete}
