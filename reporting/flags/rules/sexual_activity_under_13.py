from __future__ import annotations

from reporting.flags.base import Severity, register
from reporting.flags.rules._young_child import KindAboutYoungChild


@register
class SexualActivityUnder13(KindAboutYoungChild):
    id = "sexual_activity_under_13"
    title = "Sexual activity involving a child under 13"
    severity = Severity.HIGH
    rationale = "A child under 13 cannot consent in law: any sexual activity is a child protection matter."
    defaults = {"age_years": 13}
    param_help = {"age_years": "Sexual activity involving a child younger than this is flagged."}
    kind = "sexual_activity"
    words = "sexual activity"
