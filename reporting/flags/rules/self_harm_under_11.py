from __future__ import annotations

from reporting.flags.base import Severity, register
from reporting.flags.rules._young_child import KindAboutYoungChild


@register
class SelfHarmUnder11(KindAboutYoungChild):
    id = "self_harm_under_11"
    title = "Self-harm by a young child"
    severity = Severity.HIGH
    rationale = "Self-harm in a primary-age child is rare and usually a sign of serious distress or harm at home."
    defaults = {"age_years": 11}
    param_help = {"age_years": "Self-harm by a child younger than this is flagged."}
    kind = "self_harm"
    words = "self-harm"
